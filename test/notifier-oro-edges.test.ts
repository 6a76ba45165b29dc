import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AlertKey,
  AlertKeyLeases,
  AlertStore,
  alertIdOf,
  alertKeyOf,
  alertStateKey,
  foldAlert,
  planBatch,
  processNotifierBatch,
  readNotifierConfig,
  resolveKeyOf,
} from "../functions/notifier";
import { type OroSandbox, type StoredRecord, startOroSandbox } from "../sandboxes/oro";
import { ALERT_EVENT_VERSION, type FailureEvent } from "../shared/alerts";
import { closeAll, HttpDeadlineError } from "../shared/http";
import { createMetrics, InvocationMetrics } from "../shared/observability";
import { createOroClient, OroAuthError, type OroClient } from "../shared/oro";
import { QueueActions } from "../shared/runtime";
import { type AcquireOptions, type Lease, StateLeases, type StateKey } from "../shared/state";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The notifier's batch outcomes on the real parts (issue 16, functions/notifier survivors): the
 * alert store's GET by id, the 409 path of a create whose id another writer's create took first
 * (folded unless it is the very same fold), the key-wait metric per invocation, and the log line
 * of a body Oro rejects. processNotifierBatch with the real AlertStore on the Oro sandbox over
 * HTTP, real leases on dynalite, real QueueActions on fauxqs; the logger records its lines.
 */
const CLIENT = { id: "notifier-edges", secret: "notifier-edges-oauth-secret" };

let aws: LocalAws;
let oro: OroSandbox;
let oroClient: OroClient;
let stateTableName: string;
let queues: { queueUrl: string; dlqUrl: string };

beforeAll(async () => {
  aws = await startLocalAws();
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
  stateTableName = await aws.dynamodb.createStateTable("notifier-edges-state");
  queues = await aws.createConnectorQueues("notifier-edges-alerts", { maxReceiveCount: 5 });
  oroClient = clientWith(CLIENT.secret);
});
afterAll(async () => {
  await closeAll();
  await oro?.stop();
  await aws?.stop();
});

const clientWith = (clientSecret: string) =>
  createOroClient({
    getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret }),
    retry: { attempts: 1 },
  });

let counter = 0;
const failureOf =
  (integration: string) =>
  (occurredAt: string, over: Partial<FailureEvent> = {}): FailureEvent => ({
    version: ALERT_EVENT_VERSION,
    kind: "failure",
    integration,
    entity: "products",
    operation: "import",
    step: "write",
    alertType: "validation",
    itemId: 42,
    externalId: "SKU-42",
    connector: "akeneo-products",
    code: "ORO_VALIDATION",
    message: "product SKU-42: not blank constraint at /data/attributes/names",
    envelopeId: "page-1",
    attempts: 1,
    disposition: "permanent",
    dlq: `${integration}-products-dlq`,
    occurredAt,
    ...over,
  });
const recordOf = (event: FailureEvent | string, n: number): SQSRecord =>
  ({
    messageId: `m-${n}`,
    receiptHandle: `r-${n}`,
    body: typeof event === "string" ? event : JSON.stringify(event),
    attributes: { ApproximateReceiveCount: "1" },
  }) as unknown as SQSRecord;

type Line = [level: string, message: string, extra: Record<string, unknown>];
const recordingLogger = (lines: Line[]) => {
  const log =
    (level: string) =>
    (message: string, extra: Record<string, unknown> = {}) =>
      void lines.push([level, message, extra]);
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") } as never;
};

/** One "container": the dependencies a handler builds once, used by every batch run through `batch`. */
const container = (options: { store?: AlertStore; leases?: StateLeases } = {}) => {
  const config = readNotifierConfig(
    {},
    {
      oroSecretName: "unused",
      queueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
      stateTableName,
      maxReceiveCount: 5,
      backoffBaseSeconds: 10,
      deadlineMarginMs: 500,
    },
  );
  const keys = new AlertKeyLeases({ leases: options.leases ?? new StateLeases({ tableName: stateTableName, client: () => aws.clients.dynamoDb() }) });
  const actions = new QueueActions(() => aws.clients.sqs(), {
    queueUrl: queues.queueUrl,
    dlqUrl: queues.dlqUrl,
    alertsQueueUrl: undefined,
    fifo: false,
    connector: "notifier",
    integration: "notifier",
  });
  const store = options.store ?? new AlertStore(() => oroClient);
  const batch = async (records: SQSRecord[]) => {
    const lines: Line[] = [];
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "notifier-edges" }));
    const response = await processNotifierBatch(
      { Records: records },
      { getRemainingTimeInMillis: () => 30_000 },
      { config, store, keys, actions, logger: recordingLogger(lines), metrics, random: () => 0.5 },
    );
    return { failed: response.batchItemFailures.map((f) => f.itemIdentifier), lines, metrics };
  };
  return { keys, batch };
};

const alertsOf = async (integration: string) =>
  (await oro.admin.state<StoredRecord[]>("notificationalerts")).filter((a) => a.attributes.sourceType === integration);
const infoOf = (alert: StoredRecord | undefined) => alert?.attributes.additionalInfo as { count: number; firstSeenAt: string; lastSeenAt: string };

describe("AlertStore.get on the Oro sandbox", () => {
  it("returns the stored alert, undefined for an id Oro has none of, and passes other errors and the signal on", async () => {
    const integration = `edges-get-${++counter}`;
    const key = alertKeyOf(failureOf(integration)("2026-12-01T10:00:00.000Z"));
    const store = new AlertStore(() => oroClient);
    const id = alertIdOf(key, "g-get");
    const fields = foldAlert(planBatch([recordOf(failureOf(integration)("2026-12-01T10:00:00.000Z"), 1)]).groups[0]!.failures[0]!);
    expect(await store.createWithId(id, key, fields)).toBe("created");

    const found = await store.get(id, new AbortController().signal);
    expect(found?.id).toBe(id);
    expect(found?.attributes).toMatchObject({ ...key, resolved: false, message: fields.message, additionalInfo: fields.additionalInfo });

    expect(await store.get(alertIdOf(key, "g-never-created"))).toBeUndefined();

    const denied = new AlertStore(() => clientWith("a-wrong-secret"));
    await expect(denied.get(id)).rejects.toBeInstanceOf(OroAuthError);

    const aborted = new AbortController();
    aborted.abort();
    await expect(store.get(id, aborted.signal)).rejects.toBeInstanceOf(HttpDeadlineError);
  });
});

describe("processNotifierBatch: the key's generation id was taken by another writer's create", () => {
  /**
   * The race of docs/alert-contract.md section 10: a holder whose lease ran out still had its create
   * on the way, and it lands at Oro after this invocation's look-up found no open alert and before
   * its create (the look-up returns, then the other writer's create is sent, then ours).
   */
  const race = async (integration: string, ours: string[], theirs: string[]) => {
    const failure = failureOf(integration);
    const key: AlertKey = alertKeyOf(failure(ours[0] as string));
    // The key's generation, as a previous lease left it.
    const leases = new StateLeases({ tableName: stateTableName, client: () => aws.clients.dynamoDb() });
    const stateKey = alertStateKey(resolveKeyOf(failure(ours[0] as string)));
    await leases.acquire(stateKey, { owner: "before", until: Date.now() + 60_000, firstGeneration: `gen-${integration}`, keepSeconds: 600 });
    await leases.release(stateKey, { owner: "before", keepSeconds: 600 });
    const theirFold = planBatch(theirs.map((at, n) => recordOf(failure(at, { envelopeId: `their-${n}` }), n))).groups[0]!.failures[0]!;
    const other = new AlertStore(() => oroClient);
    let landed = 0;
    const store = Object.assign(Object.create(new AlertStore(() => oroClient)) as AlertStore, {
      findOpen: async (k: AlertKey, signal?: AbortSignal) => {
        const found = await AlertStore.prototype.findOpen.call(store, k, signal);
        landed += 1;
        expect(await other.createWithId(alertIdOf(key, `gen-${integration}`), key, foldAlert(theirFold))).toBe("created");
        return found;
      },
    });
    const t = await container({ store }).batch(ours.map((at, n) => recordOf(failure(at, { envelopeId: `our-${n}` }), n)));
    expect(landed).toBe(1);
    expect(t.failed).toEqual([]);
    const alerts = await alertsOf(integration);
    expect(alerts.map((a) => a.id)).toEqual([alertIdOf(key, `gen-${integration}`)]);
    return { ...t, alert: alerts[0] };
  };

  it("folds ours into it when only the count differs (2 failures at the instant of our 1)", async () => {
    const t = await race(`edges-count-${++counter}`, ["2026-12-01T10:00:00.000Z"], ["2026-12-01T10:00:00.000Z", "2026-12-01T10:00:00.000Z"]);
    expect(infoOf(t.alert)).toMatchObject({ count: 3, firstSeenAt: "2026-12-01T10:00:00.000Z", lastSeenAt: "2026-12-01T10:00:00.000Z" });
    expect([t.metrics.get("AlertsCreated"), t.metrics.get("AlertsUpdated")]).toEqual([0, 1]);
  });

  it("folds ours into it when only the first sighting differs", async () => {
    const t = await race(
      `edges-first-${++counter}`,
      ["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"],
      ["2026-12-01T09:00:00.000Z", "2026-12-01T10:05:00.000Z"],
    );
    expect(infoOf(t.alert)).toMatchObject({ count: 4, firstSeenAt: "2026-12-01T09:00:00.000Z", lastSeenAt: "2026-12-01T10:05:00.000Z" });
    expect([t.metrics.get("AlertsCreated"), t.metrics.get("AlertsUpdated")]).toEqual([0, 1]);
  });

  it("folds ours into it when only the last sighting differs", async () => {
    const t = await race(
      `edges-last-${++counter}`,
      ["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"],
      ["2026-12-01T10:00:00.000Z", "2026-12-01T11:00:00.000Z"],
    );
    expect(infoOf(t.alert)).toMatchObject({ count: 4, firstSeenAt: "2026-12-01T10:00:00.000Z", lastSeenAt: "2026-12-01T11:00:00.000Z" });
    expect([t.metrics.get("AlertsCreated"), t.metrics.get("AlertsUpdated")]).toEqual([0, 1]);
  });

  it("counts it as our create, unchanged, when it is the very same fold (our own retried POST)", async () => {
    const t = await race(
      `edges-same-${++counter}`,
      ["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"],
      ["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"],
    );
    expect(infoOf(t.alert)).toMatchObject({ count: 2, firstSeenAt: "2026-12-01T10:00:00.000Z", lastSeenAt: "2026-12-01T10:05:00.000Z" });
    expect([t.metrics.get("AlertsCreated"), t.metrics.get("AlertsUpdated")]).toEqual([1, 0]);
  });
});

describe("processNotifierBatch: metrics and logs per invocation", () => {
  it("publishes the key waits of this invocation only, not the container's running total", async () => {
    const integration = `edges-waits-${++counter}`;
    const failure = failureOf(integration);
    const stateKey = alertStateKey(resolveKeyOf(failure("2026-12-01T10:00:00.000Z")));
    let onRefused: (() => Promise<unknown>) | undefined;
    /** The real leases; the other invocation lets go of the key right after our first refused attempt. */
    class WatchedLeases extends StateLeases {
      override async acquire(k: StateKey, options: AcquireOptions): Promise<Lease | undefined> {
        const lease = await super.acquire(k, options);
        if (!lease && onRefused) await onRefused().finally(() => (onRefused = undefined));
        return lease;
      }
    }
    const leases = new WatchedLeases({ tableName: stateTableName, client: () => aws.clients.dynamoDb() });
    const c = container({ leases });
    await leases.acquire(stateKey, { owner: "other", until: Date.now() + 60_000, firstGeneration: "g-waits", keepSeconds: 600 });
    onRefused = () => leases.release(stateKey, { owner: "other", keepSeconds: 600 });

    const first = await c.batch([recordOf(failure("2026-12-01T10:00:00.000Z"), 1)]);
    expect(first.failed).toEqual([]);
    expect(first.metrics.get("AlertKeyWaits")).toBe(1);
    expect(c.keys.waits).toBe(1);

    const second = await c.batch([recordOf(failure("2026-12-01T10:10:00.000Z", { envelopeId: "page-2" }), 2)]);
    expect(second.failed).toEqual([]);
    expect(second.metrics.get("AlertKeyWaits")).toBe(0);
    expect(c.keys.waits).toBe(1);
    expect(infoOf((await alertsOf(integration))[0])).toMatchObject({ count: 2 });
  });

  it("logs a body Oro rejects (400) as an error naming the alert and the events sent to the DLQ", async () => {
    const integration = `edges-400-${++counter}`;
    const failure = failureOf(integration);
    // Oro's alert contract wants UUID ids; this store makes others, so Oro answers 400.
    const c = container({
      store: new AlertStore(
        () => oroClient,
        () => `not-a-uuid-${counter}`,
      ),
    });
    const t = await c.batch([recordOf(failure("2026-12-01T10:00:00.000Z"), 1), recordOf(failure("2026-12-01T10:01:00.000Z", { envelopeId: "page-2" }), 2)]);
    expect(t.failed).toEqual([]);
    expect(t.lines.map(([level, message]) => [level, message])).toEqual([["error", "Oro rejected the alert: events sent to the notifier DLQ"]]);
    expect(t.lines[0]?.[2]).toMatchObject({ integration, events: 2, code: "ORO_VALIDATION" });
    expect(t.metrics.get("AlertEventsDeadLettered")).toBe(2);
    expect(await alertsOf(integration)).toEqual([]);
  });
});
