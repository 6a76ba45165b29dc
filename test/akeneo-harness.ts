import type { Message } from "@aws-sdk/client-sqs";
import { type AlertEvent, AlertEventSchema } from "../shared/alerts";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import type { RuntimeConfig } from "../shared/runtime/config";
import { akeneoProducts } from "../functions/akeneo-products/connector";
import type { SqsLambdaHandler } from "../local-stack/event-source";
import { type EventSourceMapping, startEventSourceMapping } from "../local-stack/event-source-mapping";
import { type AkeneoSandbox, type CatalogOptions, startAkeneoSandbox } from "../sandboxes/akeneo";
import { type OroSandbox, type StoredRecord, startOroSandbox } from "../sandboxes/oro";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The Akeneo products connector wired on the local services, for the e2e tests and the benchmark:
 * fauxqs + local Secrets Manager, the Akeneo and Oro sandboxes, the real handler behind the
 * event source mapping emulator.
 */
export const INTEGRATION = "akeneo-main";
const ORO_CLIENT = { id: "oro-akeneo-client", secret: "oro-akeneo-secret-value" };

export interface HarnessOptions {
  catalog?: CatalogOptions;
  akeneoLatencyMs?: number;
  oroLatencyMs?: number;
  oroMaxConcurrent?: number;
  /** Oro's async batch processing model (sandboxes/oro/README.md "Async batch timing"). */
  oroAsync?: { chunkMs?: number; consumers?: number };
  /** CONNECTOR_SETTINGS. */
  settings?: Record<string, unknown>;
  runtime?: Partial<RuntimeConfig>;
}

export interface EsmOptions {
  batchSize?: number;
  maxConcurrency?: number;
  timeoutMs?: number;
  batchingWindowMs?: number;
}

/**
 * The Oro sandbox has no `productdescriptions` resource yet (products have names but no
 * descriptions relationship), so runs against it drop the descriptions mapping through the
 * deploy-config override, exactly as an operator would.
 */
export const SANDBOX_SETTINGS = { mapping: { relationships: { descriptions: null } } };

export const startHarness = async (options: HarnessOptions = {}) => {
  const aws: LocalAws = await startLocalAws();
  const akeneo: AkeneoSandbox = await startAkeneoSandbox({ catalog: options.catalog ?? { count: 0 }, latencyMs: options.akeneoLatencyMs ?? 0 });
  const oro: OroSandbox = await startOroSandbox({
    clientId: ORO_CLIENT.id,
    clientSecret: ORO_CLIENT.secret,
    seed: false,
    ...(options.oroLatencyMs === undefined ? {} : { latencyMs: options.oroLatencyMs }),
    ...(options.oroMaxConcurrent === undefined ? {} : { maxConcurrent: options.oroMaxConcurrent }),
    ...(options.oroAsync?.chunkMs === undefined ? {} : { asyncChunkMs: options.oroAsync.chunkMs }),
    ...(options.oroAsync?.consumers === undefined ? {} : { asyncConsumers: options.oroAsync.consumers }),
  });
  const seedFamilies = () => oro.admin.seed({ records: [{ type: "attributefamilies", attributes: { code: "accessories" } }] });
  await seedFamilies();
  aws.secrets.put("akeneo/main", { baseUrl: akeneo.url, ...akeneo.credentials });
  aws.secrets.put("oro/main", { baseUrl: oro.url, clientId: ORO_CLIENT.id, clientSecret: ORO_CLIENT.secret, maxConnections: 8 });
  const queues = await aws.createConnectorQueues("akeneo-products", { maxReceiveCount: 5 });
  const alertsQueueUrl = await aws.createQueue("akeneo-products-alerts");
  const handler = createConnectorHandler(akeneoProducts, {
    env: {},
    overrides: {
      integration: INTEGRATION,
      connector: akeneoProducts.type,
      queueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
      alertsQueueUrl,
      maxReceiveCount: 5,
      integrationSecretName: "akeneo/main",
      oroSecretName: "oro/main",
      settings: { schedule: "rate(15 minutes)", windowOverlapMinutes: 5, ...SANDBOX_SETTINGS, ...options.settings },
      recordConcurrency: 10,
      deadlineMarginMs: 500,
      backoffBaseSeconds: 0,
      backoffCapSeconds: 1,
      ...options.runtime,
    },
  });
  let esm: EventSourceMapping | undefined;
  /** Message types the function received, in order (to see fan-out and hand-over happen). */
  const received: string[] = [];
  /** Envelope ids the function received, in order (a retried message shows up again). */
  const receivedIds: string[] = [];
  /** Body sizes of the messages received, by envelope id. */
  const bodyBytes = new Map<string, number>();
  const observed: SqsLambdaHandler = (event, context) => {
    for (const record of event.Records) {
      const body = JSON.parse(record.body) as { type?: string; id?: string };
      received.push(body.type ?? "?");
      receivedIds.push(body.id ?? "?");
      bodyBytes.set(body.id ?? "?", Buffer.byteLength(record.body));
    }
    return handler(event, context);
  };

  const send = (type: string, id: string, payload: Record<string, unknown>) =>
    aws.send(queues.queueUrl, JSON.stringify(createEnvelope({ id, integration: INTEGRATION, connector: akeneoProducts.type, type, payload })));

  return {
    aws,
    akeneo,
    oro,
    queues,
    alertsQueueUrl,
    handler,
    received,
    receivedIds,
    bodyBytes,
    seedFamilies,
    /** Sends the window message the schedule would send for `scheduledTime`. */
    sendWindow: (scheduledTime: string) => send("window", scheduledTime, { scheduledTime }),
    /** Sends a backfill window. */
    sendBackfill: (from: string, to: string) => send("window", `backfill:${from}..${to}`, { from, to }),
    send,
    /** Starts the event source mapping emulator (once). */
    startEsm(esmOptions: EsmOptions = {}) {
      esm ??= startEventSourceMapping({
        sqs: aws.sqs,
        queueUrl: queues.queueUrl,
        handler: observed,
        batchSize: 5,
        maxConcurrency: 4,
        timeoutMs: 30_000,
        ...esmOptions,
      });
      return esm;
    },
    /** Runs until the queue is empty and no invocation is in flight. */
    async drain(esmOptions: EsmOptions = {}, timeoutMs = 60_000) {
      const mapping = this.startEsm(esmOptions);
      await mapping.idle({ timeoutMs, settleMs: 200 });
      return mapping.stats;
    },
    /**
     * Stops the emulator. Its pollers' long polls (1 s) stay open on fauxqs after the client
     * aborts them and would swallow a message sent right away (invisible for 30 s), so this waits
     * them out.
     */
    async stopEsm() {
      if (!esm) return;
      await esm.stop();
      esm = undefined;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    },
    products: () => oro.admin.state<StoredRecord[]>("products"),
    alerts: async (): Promise<AlertEvent[]> => (await aws.drain(alertsQueueUrl)).map((m) => AlertEventSchema.parse(JSON.parse(m.Body ?? ""))),
    dlq: (): Promise<Message[]> => aws.drain(queues.dlqUrl),
    async stop() {
      await esm?.stop();
      await akeneo.stop();
      await oro.stop();
      await aws.stop();
    },
  };
};

export type Harness = Awaited<ReturnType<typeof startHarness>>;
