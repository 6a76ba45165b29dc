import { GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotifierHandler } from "../functions/notifier";
import { pollOnce } from "../local-stack/event-source";
import { type OroSandbox, type StoredRecord, startOroSandbox } from "../sandboxes/oro";
import { ALERT_EVENT_VERSION, type FailureEvent } from "../shared/alerts";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * Alerts stay single (issue 14 §3, docs/alert-contract.md section 10): 1,000 failure events over 50
 * alert keys, handled by 5 notifier invocations at once, end as exactly 50 open alerts whose counts
 * add up to 1,000. Real handlers (createNotifierHandler, one per "container"), the real SDK against
 * fauxqs and dynalite, the Oro sandbox over HTTP. The 5 invocations are concurrent by construction:
 * each one's first batch waits until all 5 have received theirs (a gate on events, not a delay).
 *
 * `NOTIFIER_RACE_RUNS=<n>` repeats the run n times (locally; CI runs it once);
 * `NOTIFIER_RACE_LATENCY_MS=<ms>` adds Oro latency per request, widening the look-up-to-create window.
 */
const EVENTS = 1_000;
const KEYS = 50;
const INVOCATIONS = 5;
const RUNS = Math.max(1, Number(process.env.NOTIFIER_RACE_RUNS ?? "1") || 1);
const LATENCY_MS = Math.max(0, Number(process.env.NOTIFIER_RACE_LATENCY_MS ?? "0") || 0);
/** Bound on each invocation's polls: the run ends on an empty queue long before. */
const MAX_POLLS = 2_000;
const CLIENT = { id: "notifier-race", secret: "notifier-race-oauth-secret" };

let aws: LocalAws;
let oro: OroSandbox;
let stateTableName: string;

beforeAll(async () => {
  aws = await startLocalAws();
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
  stateTableName = await aws.dynamodb.createStateTable("notifier-race-state");
  aws.secrets.put("oro/race", { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: CLIENT.secret });
  if (LATENCY_MS > 0) await oro.admin.faults({ latencyMs: LATENCY_MS });
});
afterAll(async () => {
  await oro?.stop();
  await aws?.stop();
});

/** A small seeded PRNG (mulberry32), so the event order is the same on every machine. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const failure = (integration: string, key: number, n: number): FailureEvent => ({
  version: ALERT_EVENT_VERSION,
  kind: "failure",
  integration,
  entity: "products",
  operation: "import",
  step: "write",
  alertType: "validation",
  itemId: 1_000 + key,
  externalId: `sku-${key}`,
  connector: "akeneo-products",
  code: "ORO_VALIDATION",
  message: `product sku-${key}: not blank constraint at /data/attributes/names`,
  envelopeId: `page-${n}`,
  attempts: 1,
  disposition: "permanent",
  dlq: `${integration}-products-dlq`,
  occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
});

/** Every DynamoDB request dynalite answered so far (all operations). */
const dynamoRequests = () => Object.values(aws.dynamodb.requests()).reduce((a, b) => a + b, 0);

const depth = async (queueUrl: string) => {
  const a =
    (
      await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
      )
    ).Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
};

/** One run: fresh queues and integration name, 1,000 events sent, 5 invocations polling until the queue is empty. */
const race = async (run: number) => {
  const integration = `race-${run}`;
  const queues = await aws.createConnectorQueues(`${integration}-alerts`, { maxReceiveCount: 5 });
  const random = seeded(run + 1);
  const keys = Array.from({ length: EVENTS }, (_, n) => n % KEYS);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j] as number, keys[i] as number];
  }
  for (let i = 0; i < EVENTS; i += 10) {
    const entries = keys.slice(i, i + 10).map((key, k) => ({ Id: String(k), MessageBody: JSON.stringify(failure(integration, key, i + k)) }));
    await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: queues.queueUrl, Entries: entries }));
  }

  // The gate: every invocation's first batch waits until all 5 are inside the handler.
  let entered = 0;
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const received = new Array<number>(INVOCATIONS).fill(0);
  const invocation = (index: number) => {
    const handler = createNotifierHandler({
      env: {},
      overrides: {
        oroSecretName: "oro/race",
        queueUrl: queues.queueUrl,
        dlqUrl: queues.dlqUrl,
        stateTableName,
        maxReceiveCount: 5,
        backoffBaseSeconds: 0,
        deadlineMarginMs: 500,
      },
    });
    let first = true;
    return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      received[index] = (received[index] ?? 0) + event.Records.length;
      if (first) {
        first = false;
        if (++entered === INVOCATIONS) openGate();
        await gate;
      }
      return handler(event, context);
    };
  };
  const handlers = Array.from({ length: INVOCATIONS }, (_, i) => invocation(i));
  const started = Date.now();
  const failed: string[] = [];
  await Promise.all(
    handlers.map(async (handler) => {
      for (let polls = 0; polls < MAX_POLLS; polls++) {
        const result = await pollOnce({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler, batchSize: 10 });
        if (result.error) failed.push(String(result.error));
        if (result.received > 0) continue;
        // Nothing visible: done once nothing is in flight either (other invocations' batches, retries).
        if ((await depth(queues.queueUrl)) === 0) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const elapsedMs = Date.now() - started;
  const alerts = (await oro.admin.state<StoredRecord[]>("notificationalerts")).filter((a) => a.attributes.sourceType === integration);
  const dlq = await aws.drain(queues.dlqUrl, 1);
  return { alerts, dlq, failed, received, elapsedMs };
};

describe(`Notifier: ${INVOCATIONS} concurrent invocations, ${EVENTS} failure events over ${KEYS} keys`, () => {
  it(`ends with exactly ${KEYS} alerts, counts adding up to ${EVENTS}, every run (${RUNS} run(s))`, { timeout: 120_000 * RUNS }, async () => {
    for (let run = 1; run <= RUNS; run++) {
      const requestsBefore = dynamoRequests();
      const t = await race(run);
      const perKey = new Map<string, number>();
      for (const alert of t.alerts) perKey.set(String(alert.attributes.externalId), (perKey.get(String(alert.attributes.externalId)) ?? 0) + 1);

      expect({ run, errors: t.failed, dlq: t.dlq.length }).toEqual({ run, errors: [], dlq: 0 });
      // Every invocation took part (the gate let none finish its first batch before all five had one).
      expect(t.received.every((n) => n > 0)).toBe(true);
      expect(t.received.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(EVENTS);
      expect({ run, alerts: t.alerts.length, keys: perKey.size, maxPerKey: Math.max(...perKey.values()) }).toEqual({
        run,
        alerts: KEYS,
        keys: KEYS,
        maxPerKey: 1,
      });
      expect(t.alerts.filter((a) => a.attributes.resolved)).toEqual([]);
      const counts = t.alerts.map((a) => (a.attributes.additionalInfo as { count: number }).count);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(EVENTS);
      expect(counts.every((c) => c === EVENTS / KEYS)).toBe(true);
      // Numbers for docs/alert-contract.md section 10 (not asserted: they depend on how batches interleave).
      console.info(
        `notifier race run ${run}: ${t.alerts.length} alerts, ${dynamoRequests() - requestsBefore} DynamoDB requests (${((dynamoRequests() - requestsBefore) / EVENTS).toFixed(2)} per event), ${t.elapsedMs} ms (${(t.elapsedMs / EVENTS).toFixed(2)} ms per event), records received per invocation ${t.received.join("/")}`,
      );
    }
  });
});
