import type { Message } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALERT_KEY_KEEP_SECONDS, alertIdOf, alertKeyOf, alertStateKey, createNotifierHandler, resolveKeyOf } from "../functions/notifier";
import { pollOnce } from "../local-stack/event-source";
import { type OroSandbox, type StoredRecord, startOroSandbox } from "../sandboxes/oro";
import { ALERT_EVENT_VERSION, type FailureEvent, type RecoveryEvent } from "../shared/alerts";
import { createOroClient } from "../shared/oro";
import { StateLeases } from "../shared/state";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/** The notifier against fauxqs, the local Secrets Manager and the Oro sandbox over HTTP. */
const CLIENT = { id: "notifier", secret: "notifier-oauth-secret-0001" };

let aws: LocalAws;
let oro: OroSandbox;
let stateTableName: string;

beforeAll(async () => {
  aws = await startLocalAws();
  stateTableName = await aws.dynamodb.createStateTable("notifier-state");
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
});

afterAll(async () => {
  await oro?.stop();
  await aws?.stop();
});

beforeEach(async () => {
  await oro.admin.reset({ seed: false });
});

let counter = 0;
const setup = async (options: { maxReceiveCount?: number; secretFields?: Record<string, string> } = {}) => {
  const integration = `akeneo-${++counter}`;
  // A secret per test: the container-wide secret store caches by name, as a warm Lambda does.
  const oroSecret = `oro/notifier-${counter}`;
  aws.secrets.put(oroSecret, { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: CLIENT.secret, ...options.secretFields });
  const queues = await aws.createConnectorQueues(`${integration}-alerts`, { maxReceiveCount: options.maxReceiveCount ?? 5 });
  const handler = createNotifierHandler({
    env: {},
    overrides: {
      oroSecretName: oroSecret,
      queueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
      stateTableName,
      maxReceiveCount: options.maxReceiveCount ?? 5,
      backoffBaseSeconds: 0,
      deadlineMarginMs: 500,
    },
    oro: { retry: { attempts: 1 } },
  });
  const failure = (over: Partial<FailureEvent> = {}): FailureEvent => ({
    version: ALERT_EVENT_VERSION,
    kind: "failure",
    integration,
    entity: "products",
    operation: "import",
    step: "page",
    alertType: "validation",
    connector: "akeneo-products",
    code: "VALIDATION",
    message: "products: not blank constraint at /data/attributes/sku",
    envelopeId: "page-1",
    attempts: 1,
    disposition: "permanent",
    dlq: `${integration}-products-dlq`,
    occurredAt: "2026-11-26T20:00:00.000Z",
    ...over,
  });
  const recovery = (over: Partial<RecoveryEvent> = {}): RecoveryEvent => ({
    version: ALERT_EVENT_VERSION,
    kind: "recovery",
    integration,
    entity: "products",
    operation: "import",
    step: "page",
    connector: "akeneo-products",
    envelopeId: "page-2",
    attempts: 2,
    occurredAt: "2026-11-26T21:00:00.000Z",
    ...over,
  });
  const send = async (...events: Array<FailureEvent | RecoveryEvent | string>) => {
    for (const e of events) await aws.send(queues.queueUrl, typeof e === "string" ? e : JSON.stringify(e));
  };
  const poll = () => pollOnce({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler });
  const alerts = async () => (await oro.admin.state<StoredRecord[]>("notificationalerts")).filter((a) => a.attributes.sourceType === integration);
  return { integration, oroSecret, queues, handler, failure, recovery, send, poll, alerts };
};

const attribute = (message: Message, name: string) => message.MessageAttributes?.[name]?.StringValue;

describe("Notifier on the local services", () => {
  it("dead-letters unreadable events with the reason and still writes the valid ones of the batch", async () => {
    const t = await setup();
    await t.send("{not json", JSON.stringify({ version: 1, kind: "failure" }), t.failure({ itemId: 2 ** 40 }), t.failure());

    const result = await t.poll();

    expect(result).toMatchObject({ received: 4, deleted: 4, failed: [] });
    const dead = await aws.drain(t.queues.dlqUrl);
    expect(dead).toHaveLength(3);
    expect(dead.map((m) => attribute(m, "ErrorCode"))).toEqual(["MALFORMED_ALERT_EVENT", "MALFORMED_ALERT_EVENT", "MALFORMED_ALERT_EVENT"]);
    const reasons = dead.map((m) => attribute(m, "ErrorMessage")).join("\n");
    expect(reasons).toContain("alert event is not JSON");
    expect(reasons).toContain("not a valid FailureEvent / RecoveryEvent v1");
    expect(reasons).toContain("is not an Oro id");
    expect(await t.alerts()).toHaveLength(1);
  });

  it("updates the open alert of a key instead of creating another: count added, first seen kept", async () => {
    const t = await setup();
    await t.send(t.failure({ occurredAt: "2026-11-26T20:00:00.000Z" }));
    await t.poll();
    await t.send(
      t.failure({ occurredAt: "2026-11-26T20:05:00.000Z", envelopeId: "page-7", attempts: 3, message: "products: sku is too long" }),
      t.failure({ occurredAt: "2026-11-26T20:03:00.000Z" }),
    );
    await t.poll();

    const [alert, ...rest] = await t.alerts();
    expect(rest).toEqual([]);
    expect(alert?.attributes.additionalInfo).toEqual({
      connector: "akeneo-products",
      attempts: 3,
      envelopeId: "page-7",
      dlq: `${t.integration}-products-dlq`,
      count: 3,
      firstSeenAt: "2026-11-26T20:00:00.000Z",
      lastSeenAt: "2026-11-26T20:05:00.000Z",
      code: "VALIDATION",
    });
    expect(alert?.attributes.message).toMatch(
      /^\[akeneo-products\] products: sku is too long\. The messages are in DLQ .*\(3 occurrences since 2026-11-26T20:00:00Z\)$/,
    );
  });

  it("keeps item-level alerts apart and resolves every alertType of a key, but not alerts seen after the recovery", async () => {
    const t = await setup();
    await t.send(
      t.failure({ alertType: "validation", occurredAt: "2026-11-26T20:00:00.000Z" }),
      t.failure({ alertType: "connection", code: "HTTP_503", occurredAt: "2026-11-26T20:10:00.000Z" }),
      t.failure({ alertType: "sync", occurredAt: "2026-11-26T22:00:00.000Z" }),
      t.failure({ externalId: "SKU-1", occurredAt: "2026-11-26T20:00:00.000Z" }),
    );
    await t.poll();
    expect(await t.alerts()).toHaveLength(4);

    // A recovery that happened at 21:00 (delivered late): alerts last seen before it are resolved.
    await t.send(t.recovery({ occurredAt: "2026-11-26T21:00:00.000Z" }));
    await t.poll();

    const state = Object.fromEntries((await t.alerts()).map((a) => [`${a.attributes.alertType}/${a.attributes.externalId ?? "-"}`, a.attributes.resolved]));
    expect(state).toEqual({ "validation/-": true, "connection/-": true, "sync/-": false, "validation/SKU-1": false });
  });

  it("orders one batch by occurredAt: a failure before a recovery is superseded, one after it opens an alert", async () => {
    const t = await setup();
    await t.send(
      t.failure({ step: "window", occurredAt: "2026-11-26T20:00:00.000Z" }),
      t.recovery({ step: "window", occurredAt: "2026-11-26T20:30:00.000Z" }),
      t.failure({ step: "page", occurredAt: "2026-11-26T21:30:00.000Z" }),
      t.recovery({ step: "page", occurredAt: "2026-11-26T21:00:00.000Z" }),
    );
    const result = await t.poll();

    expect(result.failed).toEqual([]);
    const alerts = await t.alerts();
    expect(alerts.map((a) => [a.attributes.step, a.attributes.resolved])).toEqual([["page", false]]);
  });

  it("makes one alert when two invocations take the same key at the same time (the key's lease), with both occurrences", async () => {
    const t = await setup();
    const other = createNotifierHandler({
      env: {},
      overrides: {
        oroSecretName: t.oroSecret,
        queueUrl: t.queues.queueUrl,
        dlqUrl: t.queues.dlqUrl,
        stateTableName,
        backoffBaseSeconds: 0,
        deadlineMarginMs: 500,
      },
      oro: { retry: { attempts: 1 } },
    });
    // Latency makes both look-ups finish before either create without the lease: the race the stack's concurrency allows.
    await oro.admin.faults({ latencyMs: 40 });
    await t.send(t.failure({ envelopeId: "a" }), t.failure({ envelopeId: "b" }));
    const [first, second] = await Promise.all([
      pollOnce({ sqs: aws.sqs, queueUrl: t.queues.queueUrl, handler: t.handler, batchSize: 1 }),
      pollOnce({ sqs: aws.sqs, queueUrl: t.queues.queueUrl, handler: other, batchSize: 1 }),
    ]);
    await oro.admin.faults({});

    expect(first.received + second.received).toBe(2);
    expect([...first.failed, ...second.failed]).toEqual([]);
    const alerts = await t.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes.resolved).toBe(false);
    expect(alerts[0]?.attributes.additionalInfo).toMatchObject({ count: 2 });
  });

  it("after a recovery, a new failure of the key is a new alert with a new id (the key's next generation)", async () => {
    const t = await setup();
    await t.send(t.failure({ occurredAt: "2026-11-26T20:00:00.000Z" }));
    await t.poll();
    await t.send(t.recovery({ occurredAt: "2026-11-26T21:00:00.000Z" }));
    await t.poll();
    await t.send(t.failure({ occurredAt: "2026-11-26T22:00:00.000Z", envelopeId: "page-9" }));
    await t.poll();

    const alerts = await t.alerts();
    expect(alerts.map((a) => [a.attributes.resolved, (a.attributes.additionalInfo as { envelopeId: string }).envelopeId])).toEqual([
      [true, "page-1"],
      [false, "page-9"],
    ]);
    expect(alerts[0]?.id).not.toBe(alerts[1]?.id);
  });

  it("opens a new alert when the key's alert was resolved in Oro by hand (its id spent), and keeps using the new one", async () => {
    const t = await setup();
    await t.send(t.failure({ occurredAt: "2026-11-26T20:00:00.000Z" }));
    await t.poll();
    const [first] = await t.alerts();
    const api = createOroClient({
      getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret: CLIENT.secret }),
    });
    await api.update({ type: "notificationalerts", id: first?.id as string, attributes: { resolved: true } });

    await t.send(t.failure({ occurredAt: "2026-11-26T20:10:00.000Z", envelopeId: "page-2" }));
    await t.poll();
    await t.send(t.failure({ occurredAt: "2026-11-26T20:20:00.000Z", envelopeId: "page-3" }));
    await t.poll();

    const alerts = await t.alerts();
    expect(alerts.map((a) => [a.id === first?.id, a.attributes.resolved, (a.attributes.additionalInfo as { count: number }).count])).toEqual([
      [true, true, 1],
      [false, false, 2],
    ]);
  });

  it("takes over the lease of an invocation that crashed after taking it, and creates the alert under the key's id", async () => {
    const t = await setup();
    const event = t.failure();
    // A holder that took the key and died: its lease ran out a moment ago, never released.
    const leases = new StateLeases({ tableName: stateTableName, client: () => aws.clients.dynamoDb() });
    const key = alertStateKey(resolveKeyOf(event));
    expect(await leases.acquire(key, { owner: "crashed", until: Date.now() - 1, firstGeneration: "gen-crashed", keepSeconds: ALERT_KEY_KEEP_SECONDS })).toEqual(
      { generation: "gen-crashed" },
    );
    await t.send(event);

    const result = await t.poll();

    expect(result.failed).toEqual([]);
    const alerts = await t.alerts();
    expect(alerts.map((a) => a.id)).toEqual([alertIdOf(alertKeyOf(event), "gen-crashed")]);
    // Released by the new holder: free again, generation kept.
    expect(await leases.acquire(key, { owner: "next", until: Date.now() + 60_000, firstGeneration: "unused", keepSeconds: ALERT_KEY_KEEP_SECONDS })).toEqual({
      generation: "gen-crashed",
    });
  });

  it("treats a wrong Oro secret as transient: records retried, then written once the secret is fixed", async () => {
    const t = await setup();
    aws.secrets.put(t.oroSecret, { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: "wrong-secret-value" });
    await t.send(t.failure());

    const failed = await t.poll();
    expect(failed.failed).toHaveLength(1);
    expect(await aws.drain(t.queues.dlqUrl, 1)).toEqual([]);

    aws.secrets.put(t.oroSecret, { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: CLIENT.secret });
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the secret store's forced-refresh interval
    const ok = await t.poll();
    expect(ok).toMatchObject({ received: 1, failed: [] });
    expect(await t.alerts()).toHaveLength(1);
  });

  it("masks the Oro credentials if a failure reason carries them", async () => {
    // A sensitive field only this test's secret holds: masked only if this notifier registered what it loaded.
    const onlyHere = "notifier-only-in-this-secret-0042";
    const t = await setup({ secretFields: { signingKey: onlyHere } });
    await t.send(t.failure({ message: `token request with client secret ${CLIENT.secret} and key ${onlyHere} was refused` }));
    await t.poll();

    const [alert] = await t.alerts();
    expect(alert?.attributes.message).toContain("client secret *** and key *** was refused");
    expect(JSON.stringify(alert)).not.toContain(CLIENT.secret);
    expect(JSON.stringify(alert)).not.toContain(onlyHere);
  });
});
