import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  AlertKeyLeases,
  AlertStore,
  alertIdOf,
  alertKeyOf,
  parseAlertEvent,
  planBatch,
  processNotifierBatch,
  readNotifierConfig,
  resolveKeyOf,
} from "../functions/notifier";
import { matchesKey } from "../functions/notifier/alert-key";
import { ALERT_EVENT_VERSION, type FailureEvent, type RecoveryEvent } from "../shared/alerts";
import { TransientError } from "../shared/errors";
import { createMetrics, InvocationMetrics } from "../shared/observability";
import { OroConflictError, type OroClient } from "../shared/oro";
import type { QueueActions } from "../shared/runtime";
import type { StateLeases } from "../shared/state";

/**
 * The notifier's parsing, batch plan, alert store calls and batch outcomes with exact values
 * (issue 16, mutation testing). The Oro client and the queue actions are stand-ins that record
 * the calls (unit tests of one function or class each; test/notifier.test.ts runs on the sandbox).
 */
const failure = (over: Partial<FailureEvent> = {}): FailureEvent => ({
  version: ALERT_EVENT_VERSION,
  kind: "failure",
  integration: "akeneo-main",
  entity: "products",
  operation: "import",
  step: "page",
  alertType: "sync",
  connector: "akeneo-products",
  code: "HTTP_503",
  message: "Akeneo answered 503",
  attempts: 5,
  disposition: "exhausted",
  occurredAt: "2026-12-01T10:00:00.000Z",
  ...over,
});
const recovery = (over: Partial<RecoveryEvent> = {}): RecoveryEvent => ({
  version: ALERT_EVENT_VERSION,
  kind: "recovery",
  integration: "akeneo-main",
  entity: "products",
  operation: "import",
  step: "page",
  connector: "akeneo-products",
  attempts: 2,
  occurredAt: "2026-12-01T11:00:00.000Z",
  ...over,
});
const record = (body: unknown, id: string, receiveCount?: string): SQSRecord =>
  ({
    messageId: id,
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(receiveCount ? { attributes: { ApproximateReceiveCount: receiveCount } } : {}),
  }) as unknown as SQSRecord;

describe("Function: parseAlertEvent", () => {
  it("accepts an Oro id from 0 to 2^31-1 and refuses others, saying where to put them", () => {
    for (const itemId of [0, 1, 2 ** 31 - 1]) expect(parseAlertEvent(JSON.stringify(failure({ itemId }))).ok, String(itemId)).toBe(true);
    for (const itemId of [-1, 1.5, 2 ** 31]) {
      expect(parseAlertEvent(JSON.stringify(failure({ itemId }))), String(itemId)).toEqual({
        ok: false,
        reason: `itemId ${itemId} is not an Oro id (a non-negative 32-bit integer); put other identifiers in externalId`,
      });
    }
  });
  it("refuses an occurredAt that is no date, quoting at most 64 characters", () => {
    expect(parseAlertEvent(JSON.stringify(failure({ occurredAt: `x${"y".repeat(100)}` })))).toEqual({
      ok: false,
      reason: `occurredAt "x${"y".repeat(63)}" is not an ISO 8601 date-time`,
    });
  });
  it("names at most five schema problems by path, (root) for the whole body", () => {
    const root = parseAlertEvent("[]");
    expect(root).toEqual({
      ok: false,
      reason: expect.stringMatching(/^not a valid FailureEvent \/ RecoveryEvent v1 \(shared\/alerts\/events\.ts\): \(root\): [^;]+$/),
    });
    const many = parseAlertEvent(JSON.stringify({ version: 1, kind: "failure", attempts: "x" }));
    const reason = many.ok ? "" : many.reason;
    expect(reason.split("; ")).toHaveLength(5);
    expect(reason).toMatch(/\): [a-zA-Z]+: /);
    const nested = parseAlertEvent(JSON.stringify({ ...failure(), extra: undefined, itemId: "7" }));
    expect(nested.ok ? "" : nested.reason).toMatch(/: itemId: /);
    expect(parseAlertEvent("{").ok).toBe(false);
  });
});

describe("Function: planBatch", () => {
  it("keeps the latest recovery of a key and counts the failures it supersedes, failures at the same instant included", () => {
    const plan = planBatch([
      record(recovery({ occurredAt: "2026-12-01T11:00:00.000Z", envelopeId: "r-1" }), "m1"),
      record(recovery({ occurredAt: "2026-12-01T12:00:00.000Z", envelopeId: "r-2" }), "m2"),
      record(recovery({ occurredAt: "2026-12-01T10:30:00.000Z", envelopeId: "r-0" }), "m3"),
      record(failure({ occurredAt: "2026-12-01T09:00:00.000Z" }), "m4"),
      record(failure({ occurredAt: "2026-12-01T12:00:00.000Z" }), "m5"),
      record(failure({ occurredAt: "2026-12-01T12:00:01.000Z" }), "m6"),
    ]);
    const [group] = plan.groups;
    expect(group?.recovery).toMatchObject({ occurredAt: "2026-12-01T12:00:00.000Z", superseded: 2 });
    expect(group?.recovery?.latest.envelopeId).toBe("r-2");
    expect(group?.recovery?.records.map((r) => r.messageId)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    expect(group?.failures.map((f) => [f.count, f.records.map((r) => r.messageId)])).toEqual([[1, ["m6"]]]);
  });
  it("takes the later of two failures at the same instant as the latest, and keeps the earliest first sighting", () => {
    const plan = planBatch([
      record(failure({ occurredAt: "2026-12-01T10:00:00.000Z", envelopeId: "a" }), "m1"),
      record(failure({ occurredAt: "2026-12-01T10:00:00.000Z", envelopeId: "b" }), "m2"),
      record(failure({ occurredAt: "2026-12-01T09:00:00.000Z", envelopeId: "c" }), "m3"),
    ]);
    const fold = plan.groups[0]?.failures[0];
    expect([fold?.count, fold?.firstSeenAt, fold?.lastSeenAt, fold?.latest.envelopeId]).toEqual([
      3,
      "2026-12-01T09:00:00.000Z",
      "2026-12-01T10:00:00.000Z",
      "b",
    ]);
  });
});

describe("Function: alertKeyOf / matchesKey", () => {
  it("cuts a part only when longer than its column", () => {
    expect(alertKeyOf(failure({ integration: "i".repeat(50), step: "s".repeat(51) }))).toMatchObject({ sourceType: "i".repeat(50), step: "s".repeat(50) });
    expect(resolveKeyOf(recovery({ externalId: "e".repeat(256) })).externalId).toBe("e".repeat(255));
  });
  it("matches only when every part is equal, a missing attribute counting as null", () => {
    const key = alertKeyOf(failure());
    const attributes = { ...key } as Record<string, unknown>;
    expect(matchesKey(attributes, key)).toBe(true);
    expect(matchesKey({ ...attributes, itemId: undefined, externalId: undefined }, key)).toBe(true);
    expect(matchesKey({ ...attributes, step: "window" }, key)).toBe(false);
    expect(matchesKey({ ...attributes, sourceType: "x", resourceType: "y", step: "z", alertType: "w" }, key)).toBe(false);
  });
});

/** An Oro client that records list/pages/create/update calls and answers with `alerts`. */
const fakeOro = (alerts: Array<{ id: string; attributes?: Record<string, unknown> }>, create: () => Promise<unknown> = async () => ({})) => {
  const calls: Array<[string, unknown, unknown?]> = [];
  const client = {
    list: async (type: string, options: unknown) => (calls.push(["list", type, options]), { data: alerts }),
    pages: async function* (type: string, options: unknown) {
      calls.push(["pages", type, options]);
      yield { data: alerts.slice(0, 1) };
      yield { data: alerts.slice(1) };
    },
    create: async (resource: unknown, options: unknown) => (calls.push(["create", resource, options]), create()),
    update: async (resource: unknown, options: unknown) => void calls.push(["update", resource, options]),
  } as unknown as OroClient;
  return { client, calls };
};

describe("Class: AlertStore", () => {
  const key = alertKeyOf(failure());
  const matching = { id: "a1", attributes: { ...key, resolved: false } };
  const lax = { id: "a2", attributes: { ...key, step: "window", resolved: false } };
  const signal = AbortSignal.timeout(10_000);

  it("looks up open alerts newest first, 20 a page, and keeps only exact key matches", async () => {
    const oro = fakeOro([matching, lax, { id: "a3" }]);
    const found = await new AlertStore(() => oro.client).findOpen(key, signal);
    expect(found.map((a) => a.id)).toEqual(["a1"]);
    expect(oro.calls).toEqual([
      [
        "list",
        "notificationalerts",
        {
          filter: { resolved: false, ...Object.fromEntries(Object.entries(key).map(([k, v]) => [k, v === null ? { exists: false } : v])) },
          sort: "-updatedAt",
          page: { size: 20 },
          signal,
        },
      ],
    ]);
  });

  it("walks every page of a resolve key by id (at most 25 pages) and keeps exact matches", async () => {
    const resolveKey = resolveKeyOf(failure());
    const oro = fakeOro([{ id: "a1", attributes: { ...resolveKey, alertType: "auth" } }, lax, { id: "a4", attributes: { ...resolveKey, alertType: "sync" } }]);
    const found = await new AlertStore(() => oro.client).findAllOpen(resolveKey, signal);
    expect(found.map((a) => a.id)).toEqual(["a1", "a4"]);
    expect(oro.calls[0]).toEqual(["pages", "notificationalerts", expect.objectContaining({ sort: "id", page: { size: 20 }, maxPages: 25, signal })]);
  });

  it("creates with its own UUID as a retry-safe POST, a 409 meaning an earlier attempt stored it; other errors go up", async () => {
    const fields = { message: "m", additionalInfo: { count: 1 } as never };
    const ok = fakeOro([]);
    expect(
      await new AlertStore(
        () => ok.client,
        () => "id-1",
      ).create(key, fields, signal),
    ).toBe("id-1");
    expect(ok.calls).toEqual([
      [
        "create",
        { type: "notificationalerts", id: "id-1", attributes: { ...key, resolved: false, message: "m", additionalInfo: { count: 1 } } },
        { retrySafe: true, signal },
      ],
    ]);
    const conflict = fakeOro([], async () =>
      Promise.reject(
        new OroConflictError({
          status: 409,
          method: "POST",
          path: "notificationalerts",
          resourceType: "notificationalerts",
          resourceId: "id-2",
          errors: [],
        } as never),
      ),
    );
    expect(
      await new AlertStore(
        () => conflict.client,
        () => "id-2",
      ).create(key, fields),
    ).toBe("id-2");
    const down = fakeOro([], async () => Promise.reject(new TransientError("Oro answered 503")));
    await expect(
      new AlertStore(
        () => down.client,
        () => "id-3",
      ).create(key, fields),
    ).rejects.toThrow("Oro answered 503");
  });

  it("updates the given attributes of one alert", async () => {
    const oro = fakeOro([]);
    await new AlertStore(() => oro.client).update("a1", { resolved: true }, signal);
    expect(oro.calls).toEqual([["update", { type: "notificationalerts", id: "a1", attributes: { resolved: true } }, { signal }]]);
  });
});

describe("Function: processNotifierBatch (outcomes)", () => {
  /** Leases always free, generation "g1" (the real ones run in test/notifier-concurrency.test.ts); releases recorded. */
  const freeLeases = (releases: Array<string | undefined>) =>
    ({
      acquire: async () => ({ generation: "g1" }),
      release: async (_k: unknown, o: { newGeneration?: string }) => (releases.push(o.newGeneration), true),
    }) as unknown as StateLeases;
  const run = async (
    records: SQSRecord[],
    store: Partial<AlertStore>,
    over: { remainingMs?: number; sendToDlq?: () => Promise<void>; maxReceiveCount?: number } = {},
  ) => {
    const releases: Array<string | undefined> = [];
    const lines: Array<[string, string, Record<string, unknown>]> = [];
    const log =
      (level: string) =>
      (message: string, extra: Record<string, unknown> = {}) =>
        void lines.push([level, message, extra]);
    const visibility: Array<[string, number]> = [];
    const dlq: Array<{ code: string; message: string; integration: string; attempt: number }> = [];
    const actions = {
      changeVisibility: async (r: SQSRecord, s: number) => void visibility.push([r.messageId, s]),
      sendToDlq:
        over.sendToDlq ?? (async (_b: string, reason: { code: string; message: string; integration: string; attempt: number }) => void dlq.push(reason)),
      emit: async () => undefined,
    } as unknown as QueueActions;
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "notifier-outcomes" }));
    const response = await processNotifierBatch(
      { Records: records },
      { getRemainingTimeInMillis: () => over.remainingMs ?? 30_000 },
      {
        config: readNotifierConfig(
          {},
          {
            oroSecretName: "o",
            queueUrl: "q",
            dlqUrl: "d",
            stateTableName: "s",
            backoffBaseSeconds: 10,
            backoffCapSeconds: 900,
            deadlineMarginMs: 1_000,
            maxReceiveCount: over.maxReceiveCount ?? 5,
          },
        ),
        store: { idOf: alertIdOf, ...store } as AlertStore,
        keys: new AlertKeyLeases({ leases: freeLeases(releases) }),
        actions,
        logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") } as never,
        metrics,
        random: () => 0.5,
      },
    );
    return { failed: response.batchItemFailures.map((f) => f.itemIdentifier), lines, visibility, dlq, metrics, releases };
  };
  const unavailable = async () => Promise.reject(new TransientError("Oro answered 503", { code: "HTTP_503" }));

  it("retries a fold Oro could not take with backoff by receive count (a missing count is 1), and logs the retry", async () => {
    const t = await run([record(failure(), "m1", "3"), record(failure(), "m2")], { findOpen: unavailable });
    expect(t.failed).toEqual(["m1", "m2"]);
    expect(t.visibility).toEqual([
      ["m1", 20],
      ["m2", 5],
    ]);
    expect(t.lines.map(([level, message]) => [level, message])).toEqual([
      ["warn", "could not write the alert: retrying later"],
      ["info", "alert batch processed with failures"],
    ]);
    expect(t.lines[0]?.[2]).toMatchObject({ integration: "akeneo-main", events: 2, code: "HTTP_503" });
    expect(t.lines[1]?.[2]).toEqual({ records: 2, failed: 2 });
    expect(t.metrics.get("AlertEventsRetried")).toBe(2);
  });

  it("says on the last attempt that SQS dead-letters the events next, for a resolution too", async () => {
    const t = await run([record(recovery(), "m1", "5")], { findAllOpen: unavailable });
    expect(t.lines[0]?.slice(0, 2)).toEqual([
      "error",
      "could not write the alert resolution on the last attempt: SQS moves the events to the notifier DLQ next; redrive them once Oro is reachable",
    ]);
    const early = await run([record(recovery(), "m1", "4")], { findAllOpen: unavailable });
    expect(early.lines[0]?.slice(0, 2)).toEqual(["warn", "could not write the alert resolution: retrying later"]);
  });

  it("dead-letters an unreadable event with its reason and 'unknown' integration, and logs it", async () => {
    const t = await run([record("not json", "m1", "2")], {});
    expect(t.failed).toEqual([]);
    expect(t.dlq).toEqual([expect.objectContaining({ code: "MALFORMED_ALERT_EVENT", connector: "notifier", integration: "unknown", attempt: 2 })]);
    expect(t.lines[0]?.slice(0, 2)).toEqual(["error", "alert event is unreadable: sent to the notifier DLQ"]);
    expect(t.lines[0]?.[2]).toMatchObject({ sqsMessageId: "m1" });
    expect(t.lines).toHaveLength(1);
  });

  it("retries an event whose DLQ copy could not be sent", async () => {
    const t = await run([record("not json", "m1")], {}, { sendToDlq: async () => Promise.reject(new Error("SQS down")) });
    expect(t.failed).toEqual(["m1"]);
    expect(t.visibility).toEqual([["m1", 5]]);
    expect(t.lines.map(([, message]) => message)).toContain("could not dead-letter an alert event; it will be retried");
    const line = t.lines.find(([, message]) => message === "could not dead-letter an alert event; it will be retried");
    expect(line?.[0]).toBe("error");
    expect(line?.[2]).toEqual({ sqsMessageId: "m1", error: expect.objectContaining({ message: "SQS down" }) });
    expect(t.metrics.get("AlertEventsDeadLettered")).toBe(0);
  });

  it("starts no key within the deadline margin: the records come back at once", async () => {
    let looked = false;
    const t = await run([record(failure(), "m1")], { findOpen: async () => ((looked = true), []) }, { remainingMs: 900 });
    expect(looked).toBe(false);
    expect(t.failed).toEqual(["m1"]);
    expect(t.visibility).toEqual([["m1", 0]]);
    // Released, not failed: no "could not write" line, nothing counted as retried.
    expect(t.lines.map(([level, message]) => [level, message])).toEqual([["info", "alert batch processed with failures"]]);
    expect(t.metrics.get("AlertEventsRetried")).toBe(0);
  });

  it("gives a fold the deadline cut off back at once, without a retry line or a retry count", async () => {
    // 1,050 ms left, margin 1,000 ms: the fold starts; the deadline signal fires 500 ms before the end, mid-look-up.
    const t = await run(
      [record(failure(), "m1", "2")],
      {
        findOpen: async (_key: unknown, signal?: AbortSignal) =>
          new Promise<never>((_resolve, reject) =>
            signal?.addEventListener("abort", () => reject(new TransientError("look-up cut off", { code: "HTTP_DEADLINE" }))),
          ),
      },
      { remainingMs: 1_050 },
    );
    expect(t.failed).toEqual(["m1"]);
    expect(t.visibility).toEqual([["m1", 0]]);
    expect(t.lines.map(([level, message]) => [level, message])).toEqual([["info", "alert batch processed with failures"]]);
    expect(t.metrics.get("AlertEventsRetried")).toBe(0);
    expect(t.dlq).toEqual([]);
  });

  it("takes an event without Records as an empty batch", async () => {
    const t = await run(undefined as unknown as SQSRecord[], {});
    expect(t.failed).toEqual([]);
    expect(t.metrics.get("AlertEventsReceived")).toBe(0);
    expect(t.metrics.get("AlertEventsInvalid")).toBe(0);
    expect(t.dlq).toEqual([]);
    expect(t.lines).toEqual([]);
  });

  it("creates a new alert under the key's generation id, and keeps the generation", async () => {
    const created: string[] = [];
    const t = await run([record(failure(), "m1")], { findOpen: async () => [], createWithId: async (id: string) => (created.push(id), "created" as const) });
    expect(t.failed).toEqual([]);
    expect(created).toEqual([alertIdOf(alertKeyOf(failure()), "g1")]);
    expect(t.releases).toEqual([undefined]);
    expect(t.metrics.get("AlertsCreated")).toBe(1);
  });

  it("folds into the generation's alert when its id exists and is open (a create stored after a lease ran out)", async () => {
    const updates: Array<[string, unknown]> = [];
    const id = alertIdOf(alertKeyOf(failure()), "g1");
    const t = await run([record(failure({ occurredAt: "2026-12-01T10:05:00.000Z" }), "m1")], {
      findOpen: async () => [],
      createWithId: async () => "exists" as const,
      get: async () =>
        ({
          id,
          attributes: { resolved: false, additionalInfo: { count: 4, firstSeenAt: "2026-12-01T09:00:00.000Z", lastSeenAt: "2026-12-01T09:30:00.000Z" } },
        }) as never,
      update: async (alertId: string, attributes: unknown) => void updates.push([alertId, attributes]),
    });
    expect(t.failed).toEqual([]);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.[0]).toBe(id);
    expect((updates[0]?.[1] as { additionalInfo: { count: number; firstSeenAt: string } }).additionalInfo).toMatchObject({
      count: 5,
      firstSeenAt: "2026-12-01T09:00:00.000Z",
      lastSeenAt: "2026-12-01T10:05:00.000Z",
    });
    expect(t.metrics.get("AlertsUpdated")).toBe(1);
    expect(t.releases).toEqual([undefined]);
  });

  it("counts a 409 on its own retried POST (same fold stored) as created, without folding twice", async () => {
    let updated = 0;
    const t = await run([record(failure(), "m1")], {
      findOpen: async () => [],
      createWithId: async () => "exists" as const,
      get: async () =>
        ({
          id: "x",
          attributes: { resolved: false, additionalInfo: { count: 1, firstSeenAt: "2026-12-01T10:00:00.000Z", lastSeenAt: "2026-12-01T10:00:00.000Z" } },
        }) as never,
      update: async () => void (updated += 1),
    });
    expect(t.failed).toEqual([]);
    expect(updated).toBe(0);
    expect(t.metrics.get("AlertsCreated")).toBe(1);
  });

  it("opens a new generation when the generation's alert was resolved in Oro by hand", async () => {
    const created: string[] = [];
    const t = await run([record(failure(), "m1")], {
      findOpen: async () => [],
      createWithId: async (id: string) => (created.push(id), created.length === 1 ? ("exists" as const) : ("created" as const)),
      get: async () => ({ id: "x", attributes: { resolved: true, additionalInfo: {} } }) as never,
    });
    expect(t.failed).toEqual([]);
    expect(created).toHaveLength(2);
    expect(created[0]).toBe(alertIdOf(alertKeyOf(failure()), "g1"));
    const next = t.releases[0] as string;
    expect(next).toMatch(/^[0-9a-f-]{36}$/);
    expect(created[1]).toBe(alertIdOf(alertKeyOf(failure()), next));
  });

  it("starts a new generation after resolving, none when nothing was resolved", async () => {
    const resolved = await run([record(recovery(), "m1")], {
      findAllOpen: async () => [{ id: "a", attributes: { additionalInfo: {} } }] as never,
      update: async () => undefined,
    });
    expect(resolved.releases).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    const nothing = await run([record(recovery(), "m1")], { findAllOpen: async () => [] });
    expect(nothing.releases).toEqual([undefined]);
  });

  it("resolves alerts last seen up to the recovery, not one seen after it", async () => {
    const updates: string[] = [];
    const alert = (id: string, lastSeenAt: string) => ({ id, attributes: { additionalInfo: { lastSeenAt } } });
    const t = await run([record(recovery({ occurredAt: "2026-12-01T11:00:00.000Z" }), "m1")], {
      findAllOpen: async () =>
        [alert("before", "2026-12-01T10:59:59.000Z"), alert("same", "2026-12-01T11:00:00.000Z"), alert("after", "2026-12-01T11:00:01.000Z")] as never,
      update: async (id: string) => void updates.push(id),
    });
    expect(updates).toEqual(["before", "same"]);
    expect(t.metrics.get("AlertsResolved")).toBe(2);
    expect(t.lines).toEqual([]);
  });
});
