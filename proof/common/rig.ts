import type { Message } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { erpStock } from "../../functions/erp-stock/connector";
import { createNotifierHandler } from "../../functions/notifier/create-handler";
import { type EventSourceMapping, startEventSourceMapping } from "../../local-stack/event-source-mapping";
import type { SqsLambdaHandler } from "../../local-stack/event-source";
import { startErpSandbox, type ErpSandbox } from "../../sandboxes/erp";
import { startOroSandbox, type OroSandbox } from "../../sandboxes/oro";
import type { AnyConnector } from "../../shared/connector";
import { closeAll } from "../../shared/http";
import { createConnectorHandler } from "../../shared/runtime";
import { renderOneConnector } from "../../local-stack/one-connector";
import { localEventSource } from "../../local-stack/stack";
import { type LocalAws, startLocalAws } from "../../test/helpers/local-aws";
import { receiveAll } from "./sqs";

/**
 * A whole connector on local services, for proof runs (fuzz, chaos, outage): fauxqs + the local
 * Secrets Manager, the Oro and ERP sandboxes, one connector (erp-stock by default) with its
 * queue, DLQ and a Lambda-like event source mapping, and the notifier on the alerts queue writing
 * Oro notification alerts. Everything on 127.0.0.1, in process.
 *
 * The wiring is the deployment plan's (infra/plan) of a one-connector deploy config, rendered as
 * the local stack renders it: the same queue names and attributes, the same function
 * environments and event source settings. Only test tuning (backoff, deadline margin) is added.
 *
 * It observes without changing behaviour: the connector's `handle` is wrapped to count attempts
 * and successful completions per envelope id, both handlers are wrapped to count batch crashes (a
 * throw, or a response Lambda would read as a full-batch failure), and the notifier's input is
 * kept (the alert events).
 */
export interface ProofRigOptions {
  connector?: AnyConnector;
  integration?: string;
  settings?: Record<string, unknown>;
  maxReceiveCount?: number;
  /** ESM BatchSize. @default 10 */
  batchSize?: number;
  /** ESM MaximumConcurrency. @default 4 */
  maxConcurrency?: number;
  recordConcurrency?: number;
  /** Function timeout (ms). @default 30000 */
  timeoutMs?: number;
}

export interface BatchCrash {
  handler: "connector" | "notifier";
  records: number;
  reason: string;
}

export interface ProofRig {
  aws: LocalAws;
  oro: OroSandbox;
  erp: ErpSandbox;
  integration: string;
  connectorType: string;
  queueUrl: string;
  dlqUrl: string;
  alertsQueueUrl: string;
  alertsDlqUrl: string;
  /** Secret values the rig stored (what a scan looks for). */
  secretValues: string[];
  /** Every OAuth token the Oro sandbox issued so far (scanned too). */
  issuedTokens(): string[];
  /** Messages still on the connector and alerts queues (kept in flight). */
  queueMessages(): Promise<Message[]>;
  /** Successful `handle` completions per envelope id. */
  processed: Map<string, number>;
  /** `handle` calls per envelope id. */
  attempts: Map<string, number>;
  crashes: BatchCrash[];
  /** Alert events the notifier received (parsed bodies; unparsable ones as strings). */
  alertEvents: unknown[];
  connectorMapping: EventSourceMapping;
  notifierMapping: EventSourceMapping;
  /** Waits (bounded) until the connector queue and the alerts queue are drained. */
  idle(timeoutMs: number): Promise<void>;
  /** Every DLQ message (kept in flight, not deleted). */
  dlqMessages(): Promise<Message[]>;
  alertsDlqMessages(): Promise<Message[]>;
  /** The Oro sandbox's notificationalerts as stored. */
  notificationAlerts(): unknown[];
  stop(): Promise<void>;
}

export const ORO_CLIENT_ID = "proof-oro-client";
// Characters that change under each encoding the secret scan knows: "/" (PHP \/, %2F), "é"
// (\u00e9, %C3%A9), space (+ in forms), "%" (double encoding), '"' and "\\" (JSON), "+" "=" "&".
// The ERP key travels in a Bearer header, so it stays ASCII.
export const ORO_CLIENT_SECRET = 'proof-oro-Secret/+=&"é\\ 42%-0123456789';
export const ERP_API_KEY = 'proof-erp-Key:with spaces&=+/"\\%~-9876543210';
const ORO_SECRET_NAME = "proof/oro";
/** The notifier's batching window in proofs (the plan's is longer; the local stack caps it at 1 s). */
const NOTIFIER_BATCHING_WINDOW_MS = 200;
const ERP_SECRET_NAME = "proof/erp";

/** Checks a response the way Lambda reads it: anything else fails the whole batch. */
export const malformedResponse = (event: SQSEvent, response: unknown): string | undefined => {
  if (response === undefined || response === null) return undefined;
  const items = (response as SQSBatchResponse).batchItemFailures;
  if (items === undefined || items === null) return undefined;
  if (!Array.isArray(items)) return "batchItemFailures is not a list";
  const ids = new Set(event.Records.map((r) => r.messageId));
  for (const item of items as unknown[]) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "") return "an item has an empty or missing itemIdentifier";
    if (!ids.has(id)) return `itemIdentifier ${id} is not a record of the batch`;
  }
  return undefined;
};

const observe =
  (name: BatchCrash["handler"], handler: SqsLambdaHandler, crashes: BatchCrash[], onEvent?: (event: SQSEvent) => void): SqsLambdaHandler =>
  async (event: SQSEvent, context: Context) => {
    onEvent?.(event);
    try {
      const response = await handler(event, context);
      const malformed = malformedResponse(event, response);
      if (malformed) crashes.push({ handler: name, records: event.Records.length, reason: malformed });
      return response;
    } catch (error) {
      crashes.push({ handler: name, records: event.Records.length, reason: `threw ${(error as Error)?.name}: ${(error as Error)?.message}`.slice(0, 300) });
      throw error;
    }
  };

export const startProofRig = async (options: ProofRigOptions = {}): Promise<ProofRig> => {
  const connector = options.connector ?? erpStock;
  const integration = options.integration ?? "erp-main";
  const maxReceiveCount = options.maxReceiveCount ?? 3;
  // The runtime's SDK clients read region and credentials from the environment, as in Lambda.
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  const aws = await startLocalAws();
  const oro = await startOroSandbox({ clientId: ORO_CLIENT_ID, clientSecret: ORO_CLIENT_SECRET });
  const erp = await startErpSandbox({ apiKey: ERP_API_KEY });
  aws.secrets.put(ORO_SECRET_NAME, { baseUrl: oro.url, apiPrefix: "/admin/api", clientId: ORO_CLIENT_ID, clientSecret: ORO_CLIENT_SECRET });
  aws.secrets.put(ERP_SECRET_NAME, { baseUrl: erp.url, apiKey: ERP_API_KEY, maxConnections: 4 });

  const processed = new Map<string, number>();
  const attempts = new Map<string, number>();
  const observed = {
    ...connector,
    async handle(message: { meta: { id: string } }, context: unknown) {
      attempts.set(message.meta.id, (attempts.get(message.meta.id) ?? 0) + 1);
      await connector.handle(message as never, context as never);
      processed.set(message.meta.id, (processed.get(message.meta.id) ?? 0) + 1);
    },
  } as typeof connector;

  // A one-connector deploy config through the loader and the plan that cdk synth and the local stack use.
  const rendered = await renderOneConnector(aws.sqs, {
    connector: observed,
    integration,
    integrationSecretName: ERP_SECRET_NAME,
    oroSecretName: ORO_SECRET_NAME,
    stackName: "proof",
    createStateTable: (name) => aws.dynamodb.createStateTable(name),
    entry: {
      settings: options.settings ?? {},
      maxReceiveCount,
      // Proofs dead-letter after few receives on purpose (the loader refuses below 5 otherwise).
      allowLowMaxReceiveCount: true,
      batchSize: options.batchSize ?? 10,
      maxConcurrency: options.maxConcurrency ?? 4,
      recordConcurrency: options.recordConcurrency ?? 10,
      timeoutSeconds: Math.ceil((options.timeoutMs ?? 30_000) / 1000),
    },
  });
  const { plan, connectorPlan } = rendered;
  const queues = rendered.connector;
  const alerts = rendered.notifier;
  // Test tuning on top of the plan: no backoff to wait out, a 1 s margin before the deadline.
  const tuning = { deadlineMarginMs: 1_000, backoffBaseSeconds: 0, backoffCapSeconds: 1 };

  const crashes: BatchCrash[] = [];
  const alertEvents: unknown[] = [];
  const handler = createConnectorHandler(observed, { env: queues.env, overrides: tuning });
  const notifier = createNotifierHandler({ env: alerts.env, overrides: { backoffBaseSeconds: 0, backoffCapSeconds: 1 } });

  const connectorMapping = startEventSourceMapping({
    sqs: aws.sqs,
    queueUrl: queues.queueUrl,
    handler: observe("connector", handler, crashes),
    ...localEventSource(connectorPlan.function, connectorPlan.eventSource),
  });
  const notifierMapping = startEventSourceMapping({
    sqs: aws.sqs,
    queueUrl: alerts.queueUrl,
    handler: observe("notifier", notifier, crashes, (event) => {
      for (const record of event.Records) {
        // Attempt 1 only: a retried event is the same event.
        if (record.attributes.ApproximateReceiveCount !== "1") continue;
        try {
          alertEvents.push(JSON.parse(record.body));
        } catch {
          alertEvents.push(record.body);
        }
      }
    }),
    // The local stack's cap on the notifier's batching window, lower so a proof's alerts keep up.
    ...localEventSource(plan.notifier.function, plan.notifier.eventSource, NOTIFIER_BATCHING_WINDOW_MS),
  });

  return {
    aws,
    oro,
    erp,
    integration,
    connectorType: connector.type,
    queueUrl: queues.queueUrl,
    dlqUrl: queues.dlqUrl,
    alertsQueueUrl: alerts.queueUrl,
    alertsDlqUrl: alerts.dlqUrl,
    secretValues: [ORO_CLIENT_SECRET, ERP_API_KEY],
    issuedTokens: () => [...oro.tokens.issued()],
    queueMessages: async () => [...(await receiveAll(aws.sqs, queues.queueUrl)), ...(await receiveAll(aws.sqs, alerts.queueUrl))],
    processed,
    attempts,
    crashes,
    alertEvents,
    connectorMapping,
    notifierMapping,
    async idle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(1_000, deadline - Date.now());
      // Twice: the notifier can go quiet before a late connector retry sends its event.
      for (let round = 0; round < 2; round++) {
        await connectorMapping.idle({ timeoutMs: left() });
        await notifierMapping.idle({ timeoutMs: left() });
      }
    },
    dlqMessages: () => receiveAll(aws.sqs, queues.dlqUrl),
    alertsDlqMessages: () => receiveAll(aws.sqs, alerts.dlqUrl),
    notificationAlerts: () => oro.store.list("notificationalerts"),
    async stop() {
      await Promise.allSettled([connectorMapping.stop(), notifierMapping.stop()]);
      await closeAll();
      await Promise.allSettled([oro.stop(), erp.stop()]);
      await aws.stop();
    },
  };
};
