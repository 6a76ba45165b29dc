import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  alertKeyOf,
  alertMessage,
  foldAlert,
  MAX_MESSAGE_CHARS,
  planBatch,
  readNotifierConfig,
  redriveCommand,
  unresolvedFilters,
} from "../functions/notifier";
import type { FailureEvent } from "../shared/alerts";
import { ConfigurationError } from "../shared/errors";
import { buildQuery } from "../shared/oro";
import { failureEvent } from "./helpers/alert-events";

const failure = (over: Partial<FailureEvent> = {}): FailureEvent => failureEvent({ occurredAt: "2026-11-26T20:00:00.000Z", ...over });

const record = (body: unknown, id: number): SQSRecord => ({ messageId: `m-${id}`, body: typeof body === "string" ? body : JSON.stringify(body) }) as SQSRecord;

describe("Function: planBatch", () => {
  it("folds 1,000 failures of one key into one fold that counts them and keeps the latest", () => {
    // Prepare
    const records = Array.from({ length: 1_000 }, (_, i) =>
      record(failure({ occurredAt: new Date(Date.UTC(2026, 10, 26, 20, 0, i % 600)).toISOString(), envelopeId: `e-${i}` }), i),
    );
    // Act
    const plan = planBatch(records);
    // Assess
    expect(plan.invalid).toEqual([]);
    expect(plan.groups).toHaveLength(1);
    const [fold] = plan.groups[0]?.failures ?? [];
    expect(fold?.count).toBe(1_000);
    expect(fold?.records).toHaveLength(1_000);
    expect(fold?.firstSeenAt).toBe("2026-11-26T20:00:00.000Z");
    expect(fold?.lastSeenAt).toBe("2026-11-26T20:09:59.000Z");
    expect(fold?.latest.envelopeId).toBe("e-599");
  });

  it("keeps alert types apart within a key and item-level failures in a key of their own", () => {
    const plan = planBatch([record(failure(), 1), record(failure({ alertType: "auth" }), 2), record(failure({ externalId: "SKU-1" }), 3)]);
    expect(plan.groups).toHaveLength(2);
    expect(plan.groups.map((g) => g.failures.length).sort()).toEqual([1, 2]);
  });
});

describe("Function: alertKeyOf / unresolvedFilters", () => {
  it("cuts parts to Oro's column limits and asks for null parts with exists=false", () => {
    const key = alertKeyOf(failure({ integration: "i".repeat(80), alertType: "a".repeat(30) }));
    expect(key.sourceType).toHaveLength(50);
    expect(key.alertType).toHaveLength(20);
    expect(buildQuery({ filter: unresolvedFilters(key) })).toContain("filter[itemId][exists]=false&filter[externalId][exists]=false");
    expect(buildQuery({ filter: unresolvedFilters(key) })).toContain("filter[resolved]=false");
  });
});

describe("Function: alertMessage / foldAlert", () => {
  it("caps a huge reason and keeps the occurrence tail", () => {
    const message = alertMessage({
      count: 7,
      firstSeenAt: "2026-11-26T20:00:00.123Z",
      lastSeenAt: "2026-11-26T21:00:00.000Z",
      latest: failure({ message: "x".repeat(50_000) }),
    });
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(message.endsWith(" (7 occurrences since 2026-11-26T20:00:00Z)")).toBe(true);
  });

  it("adds to an open alert's count, keeps its first sighting and connector", () => {
    const { additionalInfo } = foldAlert(
      { count: 3, firstSeenAt: "2026-11-26T20:00:00.000Z", lastSeenAt: "2026-11-26T20:30:00.000Z", latest: failure({ envelopeId: "e-9" }) },
      { count: 4, firstSeenAt: "2026-11-26T19:00:00.000Z", lastSeenAt: "2026-11-26T19:30:00.000Z", connector: "akeneo-products" },
    );
    expect(additionalInfo).toEqual({
      connector: "akeneo-products",
      attempts: 5,
      envelopeId: "e-9",
      dlq: "akeneo-main-products-dlq",
      count: 7,
      firstSeenAt: "2026-11-26T19:00:00.000Z",
      lastSeenAt: "2026-11-26T20:30:00.000Z",
      code: "HTTP_503",
    });
  });
});

describe("Function: readNotifierConfig", () => {
  it("names the missing variable the stack should have set", () => {
    expect(() => readNotifierConfig({ QUEUE_URL: "q", DLQ_URL: "d" })).toThrow(ConfigurationError);
    expect(() => readNotifierConfig({ QUEUE_URL: "q", DLQ_URL: "d" })).toThrow(/ORO_SECRET_NAME/);
    expect(() => readNotifierConfig({ ORO_SECRET_NAME: "oro", QUEUE_URL: "q", DLQ_URL: "d" })).toThrow(/STATE_TABLE_NAME/);
    expect(readNotifierConfig({ ORO_SECRET_NAME: "oro", QUEUE_URL: "q", DLQ_URL: "d", STATE_TABLE_NAME: "t", MAX_RECEIVE_COUNT: "3" })).toMatchObject({
      oroSecretName: "oro",
      maxReceiveCount: 3,
      keyConcurrency: 2,
      stateTableName: "t",
    });
  });
});

describe("Function: redriveCommand", () => {
  it("prints a command the ops CLI parses (arguments reach the command, no usage error)", async () => {
    const { run } = await import("../ops/cli");
    const command = redriveCommand({ integration: "akeneo-main", connector: "akeneo-products" });
    const argv = command.replace(/^npm run ops -- /, "").split(" ");
    const errors: string[] = [];
    const io = {
      out: () => undefined,
      err: (t: string) => void errors.push(t),
      errRaw: () => undefined,
      stderrIsTTY: false,
      readStdin: async () => "",
      env: {},
    };
    // Points at a local stack that is not running: the CLI must get as far as trying to reach it.
    const code = await run([...argv, "--dry-run"], io as never, {
      context: {
        local: {
          region: "us-east-1",
          sqsEndpoint: "http://127.0.0.1:9",
          secretsManagerEndpoint: "http://127.0.0.1:9",
          stackName: "OroConnectors",
          configPath: "deploy.config.json",
          sandboxes: {},
        } as never,
      },
    });
    expect(errors.join("\n")).not.toMatch(/usage/i);
    expect(code).not.toBe(2);
  });
});
