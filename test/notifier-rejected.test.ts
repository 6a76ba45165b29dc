import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertKeyLeases, AlertStore, processNotifierBatch, readNotifierConfig } from "../functions/notifier";
import { pollOnce } from "../local-stack/event-source";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";
import { ALERT_EVENT_VERSION, type FailureEvent } from "../shared/alerts";
import { closeAll } from "../shared/http";
import { createMetrics, createRootLogger, InvocationMetrics } from "../shared/observability";
import { createOroClient } from "../shared/oro";
import { QueueActions } from "../shared/runtime";
import { StateLeases } from "../shared/state";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * Oro rejecting an alert body (400) (issue 16, gap 7): the same body would be rejected again, so
 * the events go to the notifier's DLQ with Oro's reason on the first attempt and are acknowledged:
 * no visibility backoff, no redelivery. On fauxqs with the Oro sandbox over HTTP; the rejection is
 * the sandbox's own: the alert contract requires a UUID id (sandboxes/oro/README.md, alert
 * contract), and this store generates another kind of id.
 */
const CLIENT = { id: "notifier-400", secret: "notifier-400-oauth-secret" };

let aws: LocalAws;
let oro: OroSandbox;

beforeAll(async () => {
  aws = await startLocalAws();
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
});
afterAll(async () => {
  await closeAll();
  await oro?.stop();
  await aws?.stop();
});

const failure = (over: Partial<FailureEvent> = {}): FailureEvent => ({
  version: ALERT_EVENT_VERSION,
  kind: "failure",
  integration: "akeneo-400",
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
  dlq: "akeneo-400-products-dlq",
  occurredAt: "2026-12-01T10:00:00.000Z",
  ...over,
});

describe("Notifier: Oro rejects the alert body (400)", () => {
  it("dead-letters the events with Oro's reason on the first attempt, acknowledges them and retries nothing", async () => {
    const queues = await aws.createConnectorQueues("notifier-400-alerts", { maxReceiveCount: 5 });
    const stateTableName = await aws.dynamodb.createStateTable("notifier-400-state");
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
    const keys = new AlertKeyLeases({ leases: new StateLeases({ tableName: stateTableName, client: () => aws.clients.dynamoDb() }) });
    const oroClient = createOroClient({
      getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret: CLIENT.secret }),
      retry: { attempts: 1 },
    });
    let ids = 0;
    const store = new AlertStore(
      () => oroClient,
      () => `alert-${++ids}`,
    );
    const actions = new QueueActions(() => aws.clients.sqs(), {
      queueUrl: config.queueUrl,
      dlqUrl: config.dlqUrl,
      alertsQueueUrl: undefined,
      fifo: false,
      connector: "notifier",
      integration: "notifier",
    });
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "notifier-400-test" }));
    const visibility: number[] = [];
    const watched = Object.assign(Object.create(actions) as QueueActions, {
      changeVisibility: async (...args: Parameters<QueueActions["changeVisibility"]>) => {
        visibility.push(args[1]);
        return actions.changeVisibility(...args);
      },
    });
    const handler = (event: Parameters<typeof processNotifierBatch>[0], context: Parameters<typeof processNotifierBatch>[1]) =>
      processNotifierBatch(event, context, {
        config,
        store,
        keys,
        actions: watched,
        logger: createRootLogger("notifier-400-test"),
        metrics,
        random: () => 0.5,
      });
    const bodies = [
      JSON.stringify(failure({ envelopeId: "page-1" })),
      JSON.stringify(failure({ envelopeId: "page-2", occurredAt: "2026-12-01T10:01:00.000Z" })),
    ];
    for (const body of bodies) await aws.send(queues.queueUrl, body);

    const first = await pollOnce({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler, batchSize: 10 });

    expect(first.error, String((first.error as Error | undefined)?.stack)).toBeUndefined();
    expect(first).toMatchObject({ received: 2, deleted: 2, failed: [] });
    expect(visibility).toEqual([]);
    expect(metrics.get("AlertEventsDeadLettered")).toBe(2);
    expect(metrics.get("AlertEventsRetried")).toBe(0);
    // One POST for the fold of both events, refused; nothing stored.
    expect(oro.store.list("notificationalerts")).toEqual([]);
    const dlq = await aws.drain(queues.dlqUrl);
    expect(dlq.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    for (const message of dlq) {
      const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
      expect(attribute("ErrorCode")).toBe("ORO_VALIDATION");
      expect(attribute("ErrorMessage")).toContain("uuid constraint");
      expect(attribute("ErrorMessage")).toContain("This is not a valid UUID.");
      expect(attribute("Attempt")).toBe("1");
      expect(attribute("Connector")).toBe("notifier");
      expect(attribute("Integration")).toBe("akeneo-400");
    }
    // Not retried: nothing comes back on the alerts queue.
    const again = await pollOnce({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler });
    expect(again.received).toBe(0);
    expect(ids).toBe(1);
  });
});
