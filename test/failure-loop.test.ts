import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNotifierHandler } from "../functions/notifier";
import { pollOnce } from "../local-stack/event-source";
import { type OroSandbox, type StoredRecord, startOroSandbox } from "../sandboxes/oro";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { loopConnector, upstream } from "./fixtures/failure-loop-connector";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The failure loop end to end, on the local services: a connector fails -> the runtime emits a
 * failure event to the alerts queue (fauxqs) -> the notifier (polled like Lambda's event source)
 * writes the alert into the Oro sandbox over HTTP -> a later success resolves it.
 */
const ORO_SECRET = "oro/connection";
const LOOP_SECRET = "loop/integration";
const CLIENT = { id: "connectors", secret: "connectors-oauth-secret" };

let aws: LocalAws;
let oro: OroSandbox;
let stateTableName: string;

beforeAll(async () => {
  aws = await startLocalAws();
  stateTableName = await aws.dynamodb.createStateTable("failure-loop-state");
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
  aws.secrets.put(ORO_SECRET, { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: CLIENT.secret });
  // The connector's own secret: its DLQ attribute seal key is derived from it (shared/runtime/attribute-seal.ts).
  aws.secrets.put(LOOP_SECRET, { apiKey: "loop-api-key-0123456789" });
});

afterAll(async () => {
  await oro?.stop();
  await aws?.stop();
});

beforeEach(async () => {
  upstream.down = false;
  upstream.broken = false;
  await oro.admin.reset({ seed: false });
});

let counter = 0;
/** A connector with its queues, an alerts queue and a notifier, all fresh (one integration per test). */
const setup = async (options: { maxReceiveCount?: number; alertsMaxReceiveCount?: number } = {}) => {
  const n = ++counter;
  const integration = `loop-${n}`;
  const source = await aws.createConnectorQueues(`${integration}-products`, { maxReceiveCount: options.maxReceiveCount ?? 5 });
  const alerts = await aws.createConnectorQueues(`${integration}-alerts`, { maxReceiveCount: options.alertsMaxReceiveCount ?? 5 });
  const connector = createConnectorHandler(loopConnector, {
    env: {},
    overrides: {
      integration,
      connector: loopConnector.type,
      integrationSecretName: LOOP_SECRET,
      queueUrl: source.queueUrl,
      dlqUrl: source.dlqUrl,
      alertsQueueUrl: alerts.queueUrl,
      maxReceiveCount: options.maxReceiveCount ?? 5,
      recordConcurrency: 4,
      deadlineMarginMs: 500,
      backoffBaseSeconds: 0,
      fifo: false,
    },
  });
  const notifier = createNotifierHandler({
    env: {},
    overrides: {
      oroSecretName: ORO_SECRET,
      queueUrl: alerts.queueUrl,
      dlqUrl: alerts.dlqUrl,
      stateTableName,
      maxReceiveCount: options.alertsMaxReceiveCount ?? 5,
      backoffBaseSeconds: 0,
      deadlineMarginMs: 500,
    },
    // One attempt per call: the test drives retries through SQS, as production does after the in-call ones.
    oro: { retry: { attempts: 1 } },
  });
  const send = (id: string) =>
    aws.send(source.queueUrl, JSON.stringify(createEnvelope({ id, integration, connector: loopConnector.type, type: "sync", payload: {} })));
  const pollConnector = () => pollOnce({ sqs: aws.sqs, queueUrl: source.queueUrl, handler: connector });
  const pollNotifier = () => pollOnce({ sqs: aws.sqs, queueUrl: alerts.queueUrl, handler: notifier });
  const alertsOf = async () => (await oro.admin.state<StoredRecord[]>("notificationalerts")).filter((a) => a.attributes.sourceType === integration);
  return { integration, source, alerts, send, pollConnector, pollNotifier, alertsOf, dlqName: `${integration}-products-dlq` };
};

/** The ops redrive: receive from the DLQ, send back with the same body and attributes, delete. */
const redrive = async (from: string, to: string): Promise<number> => {
  let moved = 0;
  for (let i = 0; i < 20; i++) {
    const batch = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: from, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], VisibilityTimeout: 30 }),
    );
    const messages: Message[] = batch.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      await aws.sqs.send(
        new SendMessageCommand({
          QueueUrl: to,
          MessageBody: m.Body,
          MessageAttributes: m.MessageAttributes as Record<string, MessageAttributeValue> | undefined,
        }),
      );
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: from, ReceiptHandle: m.ReceiptHandle }));
      moved++;
    }
  }
  return moved;
};

/** Messages visible in a queue (without receiving them, so they stay available for a redrive). */
const depth = async (queueUrl: string): Promise<number> =>
  Number(
    (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes
      ?.ApproximateNumberOfMessages ?? 0,
  );

const pollUntilEmpty = async (poll: () => Promise<{ received: number }>, max = 20) => {
  for (let i = 0; i < max; i++) if ((await poll()).received === 0) return;
};

describe("Failure loop: connector -> alerts queue -> notifier -> Oro alert", () => {
  it("turns a permanent failure into an alert, and resolves it when the redriven message succeeds", async () => {
    const t = await setup();
    upstream.broken = true;
    await t.send("window-1");
    await t.pollConnector();
    expect(await depth(t.source.dlqUrl)).toBe(1);

    const notified = await t.pollNotifier();
    expect(notified).toMatchObject({ received: 1, deleted: 1, failed: [] });
    const [alert, ...others] = await t.alertsOf();
    expect(others).toEqual([]);
    expect(alert?.attributes).toMatchObject({
      sourceType: t.integration,
      resourceType: "products",
      operation: "import",
      step: "sync",
      alertType: "sync",
      resolved: false,
      additionalInfo: { connector: "loop-products", attempts: 1, envelopeId: "window-1", dlq: t.dlqName, count: 1, code: "MAPPING" },
    });
    expect(alert?.attributes.itemId ?? null).toBeNull();
    expect(alert?.attributes.externalId ?? null).toBeNull();
    expect(alert?.attributes.message).toBe(
      `[loop-products] mapping rejected the record: attribute 'name' is missing. The message is in DLQ ${t.dlqName}; fix the cause, then run: npm run ops -- dlq redrive ${t.integration} loop-products.`,
    );

    // The operator fixes the mapping and redrives: the message succeeds, the runtime sees the DLQ
    // attributes (a redrive) and emits a recovery event, and the notifier resolves the alert.
    upstream.broken = false;
    expect(await redrive(t.source.dlqUrl, t.source.queueUrl)).toBe(1);
    expect((await t.pollConnector()).failed).toEqual([]);
    expect((await t.pollNotifier()).received).toBe(1);
    const [resolved] = await t.alertsOf();
    expect(resolved?.id).toBe(alert?.id);
    expect(resolved?.attributes.resolved).toBe(true);
  });

  it("raises an alert when transient retries run out, and resolves it when a later message of that step succeeds after a retry", async () => {
    const t = await setup({ maxReceiveCount: 2 });
    upstream.down = true;
    await t.send("window-2");
    await t.pollConnector(); // attempt 1: retried
    await t.pollConnector(); // attempt 2 = maxReceiveCount: failure event, then SQS dead-letters it
    await t.pollConnector(); // SQS moves it to the DLQ on this receive
    expect(await depth(t.source.dlqUrl)).toBe(1);

    await t.pollNotifier();
    const [alert] = await t.alertsOf();
    expect(alert?.attributes).toMatchObject({
      resolved: false,
      step: "sync",
      alertType: "sync",
      additionalInfo: { attempts: 2, count: 1, code: "HTTP_503", dlq: t.dlqName },
    });
    expect(alert?.attributes.message).toContain("loop system answered 503 Service Unavailable");

    // Upstream is back: the next window fails once more, then succeeds on its second attempt.
    await t.send("window-3");
    await t.pollConnector();
    upstream.down = false;
    expect((await t.pollConnector()).failed).toEqual([]);
    await t.pollNotifier();
    const [after] = await t.alertsOf();
    expect(after?.attributes.resolved).toBe(true);
  });

  it("folds 50 identical failures into one alert with a handful of Oro API calls", async () => {
    const t = await setup();
    upstream.broken = true;
    for (let i = 0; i < 50; i++) await t.send(`burst-${i}`);
    await pollUntilEmpty(t.pollConnector);
    expect(await depth(t.source.dlqUrl)).toBe(50);

    await oro.admin.resetStats();
    // The stack gives the notifier batches of 10: five invocations.
    await pollUntilEmpty(t.pollNotifier);

    const alerts = await t.alertsOf();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes.additionalInfo).toMatchObject({ count: 50 });
    expect(alerts[0]?.attributes.message).toMatch(/\(50 occurrences since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    const stats = await oro.admin.stats();
    const apiCalls = Object.entries(stats.byRoute)
      .filter(([route]) => route.includes("/notificationalerts"))
      .reduce((sum, [, count]) => sum + count, 0);
    // Per batch of 10: one look-up and one write; plus one duplicate check after the create.
    expect(apiCalls).toBeLessThanOrEqual(11);
    expect(apiCalls).toBeGreaterThanOrEqual(6);
  });

  it("keeps alerts while Oro is down: the notifier's records go to its DLQ, and a redrive writes them", async () => {
    const t = await setup({ alertsMaxReceiveCount: 2 });
    upstream.broken = true;
    await t.send("outage-1");
    await t.send("outage-2");
    await pollUntilEmpty(t.pollConnector);

    await oro.admin.faults({ serverError: { status: 503, forMs: 60_000 } });
    const first = await t.pollNotifier();
    expect(first.failed).toHaveLength(2);
    const second = await t.pollNotifier();
    expect(second.failed).toHaveLength(2);
    expect((await t.pollNotifier()).received).toBe(0); // maxReceiveCount reached: SQS moved them
    expect(await t.alertsOf()).toEqual([]);

    await oro.admin.faults({});
    expect(await redrive(t.alerts.dlqUrl, t.alerts.queueUrl)).toBe(2);
    await pollUntilEmpty(t.pollNotifier);
    const alerts = await t.alertsOf();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes).toMatchObject({ resolved: false, additionalInfo: { count: 2 } });
  });
});
