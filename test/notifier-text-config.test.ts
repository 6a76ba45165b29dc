import { describe, expect, it } from "vitest";
import { alertMessage, foldAlert, readNotifierConfig } from "../functions/notifier";
import { readAlertInfo } from "../functions/notifier/alert-text";
import type { FailureEvent } from "../shared/alerts";
import { registerSecretValues } from "../shared/observability";
import { failureEvent } from "./helpers/alert-events";

/**
 * The alert text and the notifier's configuration with exact values (issue 16, mutation testing).
 */
const failure = (over: Partial<FailureEvent> = {}): FailureEvent => failureEvent({ occurredAt: "2026-12-01T10:00:00.000Z", ...over });
const one = (event: FailureEvent) => ({ count: 1, firstSeenAt: event.occurredAt, lastSeenAt: event.occurredAt, latest: event });

describe("Function: alertMessage", () => {
  it("names the connector, the reason as a sentence, the DLQ and the redrive command", () => {
    expect(alertMessage(one(failure()))).toBe(
      "[akeneo-products] Akeneo answered 503. The message is in DLQ akeneo-main-products-dlq; fix the cause, then run: npm run ops -- dlq redrive akeneo-main akeneo-products.",
    );
  });

  it("speaks of messages and counts occurrences since the first, in Oro's time format", () => {
    expect(
      alertMessage({
        count: 3,
        firstSeenAt: "2026-12-01T09:00:00.123Z",
        lastSeenAt: "2026-12-01T10:00:00.000Z",
        latest: failure({ message: "Oro refused it!" }),
      }),
    ).toBe(
      "[akeneo-products] Oro refused it! The messages are in DLQ akeneo-main-products-dlq; fix the cause, then run: npm run ops -- dlq redrive akeneo-main akeneo-products. (3 occurrences since 2026-12-01T09:00:00Z)",
    );
    expect(alertMessage({ count: 2, firstSeenAt: "yesterday", lastSeenAt: "today", latest: failure() })).toMatch(/ \(2 occurrences since yesterday\)$/);
  });

  it("says the record will be retried when there is no DLQ yet", () => {
    expect(alertMessage(one(failure({ dlq: undefined, message: "  slow\n\n  upstream   again  " })))).toBe(
      "[akeneo-products] slow upstream again. It will be retried; if it keeps failing it lands in the connector's DLQ.",
    );
  });

  it("cuts a long reason at 1,000 characters with an ellipsis, and keeps a reason ending in ? or …", () => {
    const text = alertMessage(one(failure({ message: "x".repeat(1_500) })));
    expect(text.startsWith(`[akeneo-products] ${"x".repeat(999)}… The message`)).toBe(true);
    expect(alertMessage(one(failure({ message: "x".repeat(1_000) })))).toContain(`${"x".repeat(1_000)}. The message`);
    expect(alertMessage(one(failure({ message: "why?" })))).toContain("] why? The");
    expect(alertMessage(one(failure({ message: "and so on…" })))).toContain("] and so on… The");
  });

  it("masks secret values in the reason", () => {
    registerSecretValues({ clientSecret: "cs-alert-text-0001" });
    expect(alertMessage(one(failure({ message: "token cs-alert-text-0001 refused" })))).toContain("] token *** refused. ");
  });
});

describe("Function: foldAlert (new alert)", () => {
  it("counts the fold's failures and stores ISO times and the latest failure's details", () => {
    expect(
      foldAlert({
        count: 2,
        firstSeenAt: "2026-12-01T09:00:00Z",
        lastSeenAt: "2026-12-01T10:00:00Z",
        latest: failure({ envelopeId: undefined, dlq: undefined, attempts: 2, code: "X" }),
      }).additionalInfo,
    ).toEqual({
      connector: "akeneo-products",
      attempts: 2,
      envelopeId: null,
      dlq: null,
      count: 2,
      firstSeenAt: "2026-12-01T09:00:00.000Z",
      lastSeenAt: "2026-12-01T10:00:00.000Z",
      code: "X",
    });
  });

  it("keeps the earlier first sighting and the later last one, whichever side has them", () => {
    const info = foldAlert(
      { count: 1, firstSeenAt: "2026-12-01T08:00:00Z", lastSeenAt: "2026-12-01T08:30:00Z", latest: failure() },
      { count: 2, firstSeenAt: "2026-12-01T09:00:00Z", lastSeenAt: "2026-12-01T11:00:00Z" },
    ).additionalInfo;
    expect([info.count, info.firstSeenAt, info.lastSeenAt, info.connector]).toEqual([
      3,
      "2026-12-01T08:00:00.000Z",
      "2026-12-01T11:00:00.000Z",
      "akeneo-products",
    ]);
    const kept = foldAlert({ count: 1, firstSeenAt: "not a date", lastSeenAt: "not a date", latest: failure() }).additionalInfo;
    expect([kept.firstSeenAt, kept.lastSeenAt]).toEqual(["not a date", "not a date"]);
  });
});

describe("Function: readAlertInfo", () => {
  it("reads back only well-formed fields", () => {
    expect(readAlertInfo({ count: 4, firstSeenAt: "a", lastSeenAt: "b", connector: "c", other: 1 })).toEqual({
      count: 4,
      firstSeenAt: "a",
      lastSeenAt: "b",
      connector: "c",
    });
    expect(readAlertInfo({ count: 0, firstSeenAt: "", lastSeenAt: 5, connector: null })).toEqual({});
    expect(readAlertInfo({ count: 1.5 })).toEqual({});
    expect(readAlertInfo({ count: "3" })).toEqual({});
    for (const value of [null, undefined, "text", 7, [1, 2]]) expect(readAlertInfo(value)).toEqual({});
  });
});

describe("Function: readNotifierConfig", () => {
  const env = { ORO_SECRET_NAME: "oro/main", QUEUE_URL: "https://sqs/q", DLQ_URL: "https://sqs/d", STATE_TABLE_NAME: "stack-state" };
  it("uses the runtime's defaults when only the stack's variables are set", () => {
    expect(readNotifierConfig(env)).toEqual({
      oroSecretName: "oro/main",
      queueUrl: "https://sqs/q",
      dlqUrl: "https://sqs/d",
      maxReceiveCount: 5,
      backoffBaseSeconds: 10,
      backoffCapSeconds: 900,
      deadlineMarginMs: 3_000,
      keyConcurrency: 2,
      stateTableName: "stack-state",
    });
  });
  it("reads every knob from the environment, overrides winning, at least one key at a time", () => {
    expect(
      readNotifierConfig({ ...env, MAX_RECEIVE_COUNT: "7", BACKOFF_BASE_SECONDS: "2", BACKOFF_CAP_SECONDS: "60", DEADLINE_MARGIN_MS: "900" }),
    ).toMatchObject({ maxReceiveCount: 7, backoffBaseSeconds: 2, backoffCapSeconds: 60, deadlineMarginMs: 900 });
    expect(
      readNotifierConfig(env, {
        queueUrl: "o",
        dlqUrl: "p",
        oroSecretName: "s",
        stateTableName: "t",
        maxReceiveCount: 1,
        backoffBaseSeconds: 0,
        backoffCapSeconds: 1,
        deadlineMarginMs: 1,
        keyConcurrency: 0,
      }),
    ).toEqual({
      oroSecretName: "s",
      queueUrl: "o",
      dlqUrl: "p",
      maxReceiveCount: 1,
      backoffBaseSeconds: 0,
      backoffCapSeconds: 1,
      deadlineMarginMs: 1,
      keyConcurrency: 1,
      stateTableName: "t",
    });
  });
  it("names each missing variable and who sets it", () => {
    expect(() => readNotifierConfig({ ORO_SECRET_NAME: "o", DLQ_URL: "d" })).toThrow(
      /QUEUE_URL.*the CDK stack sets it on the notifier function \(infra\/stack\.ts\)/,
    );
    expect(() => readNotifierConfig({ ORO_SECRET_NAME: "o", QUEUE_URL: "q" })).toThrow(/DLQ_URL/);
  });
});
