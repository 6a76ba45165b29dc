import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import type { FauxqsServer } from "fauxqs";
import { connectors as registeredConnectors } from "../functions/registry";
import { createIngressHandler } from "../functions/webhook-ingress/create-handler";
import { createNotifierHandler } from "../functions/notifier/create-handler";
import { loadDeployConfig, type ResolvedConnector, type ResolvedQueue, REPO_ROOT } from "../infra/config";
import {
  type ConnectorPlan,
  type DeploymentPlan,
  deploymentPlan,
  type EventSourcePlan,
  type FunctionPlan,
  renderEnvironment,
  type SchedulePlan,
  scheduledEnvelope,
} from "../infra/plan";
import type { AnyConnector } from "../shared/connector";
import type { ConnectorRegistry } from "../infra/config";
import { type ConnectorHandlerOptions, createConnectorHandler, RuntimeEnv } from "../shared/runtime";
import { type EventSourceMapping, type RecursionStop, startEventSourceMapping } from "./event-source-mapping";
import type { RecursiveLoop } from "./recursion";
import { startLocalSqs } from "./sqs";
import { lambdaContext } from "./event-source";
import { type LocalSecretsManager, startLocalSecretsManager } from "./secrets-manager";
import { type LocalDynamoDb, startLocalDynamoDb } from "./dynamodb";
import { type LocalSettings, loadLocalSettings, renderSecrets } from "./settings";
import { type StartedSandboxes, startSandboxes } from "./sandboxes";

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Local settings file (ports, sandboxes, secrets). @default local-stack/local.json */
  settingsPath?: string;
  /** Deploy config; @default the settings' `deployConfig` (deploy.config.json) */
  deployConfigPath?: string;
  /** Use ephemeral ports everywhere (tests run several stacks). @default false */
  ephemeralPorts?: boolean;
  /** Fire each schedule once at start. @default true */
  fireSchedulesAtStart?: boolean;
  /** Fire schedules every N seconds instead of at their real rate (0: real rate). @default 0 */
  scheduleEverySeconds?: number;
  /** Shorter visibility backoff for demos and tests (seconds; 0 = immediate). @default the runtime's */
  backoffBaseSeconds?: number;
  /** Override of the seeded sandboxes (the demo seeds its own data). */
  seedSandboxes?: boolean;
  /** Where to write endpoints.json for the ops CLI. @default .local-stack/endpoints.json (nothing in tests) */
  endpointsFile?: string | false;
  registry?: ConnectorRegistry;
  /** Overrides of a connector's deployed RecursiveLoop, by connector type (tests show what Terminate does). */
  recursiveLoop?: Readonly<Record<string, RecursiveLoop>>;
  /** Run the connectors without the run ledger (benchmarks compare). @default true */
  runLedger?: boolean;
  /** Told once per outcome a connector's run reaches (tests); @default the handler's (docs/ledger.md). */
  onRunFinished?: ConnectorHandlerOptions["onRunFinished"];
  /** Register the deploy config's integrations as channels of the Oro sandbox at start (as `ops oro-integration register`). @default true */
  registerOroIntegrations?: boolean;
}

/** A connector as the local stack runs it. */
export interface LocalConnector {
  resolved: ResolvedConnector;
  /** Its part of the deployment plan. */
  plan: ConnectorPlan;
  /** The environment its handler was given (the plan's, with local queue URLs). */
  env: Readonly<Record<string, string>>;
  queueUrl: string;
  dlqUrl: string;
  mapping: EventSourceMapping;
  /** The function's RecursiveLoop as the local stack runs it (the deployed one unless overridden). */
  recursiveLoop: RecursiveLoop;
  /** Messages Lambda's loop detection stopped (only under Terminate). */
  recursionStops: RecursionStop[];
}

export interface LocalStack {
  settings: LocalSettings;
  /** The deployment plan this stack rendered (the CDK stack renders the same). */
  plan: DeploymentPlan;
  sqs: SQSClient;
  fauxqs: FauxqsServer;
  secrets: LocalSecretsManager;
  /** dynalite, holding the state table. */
  dynamodb: LocalDynamoDb;
  sandboxes: StartedSandboxes;
  connectors: LocalConnector[];
  /** The alerts queue and the notifier; `env` is the environment its handler was given. */
  alerts: { queueUrl: string; dlqUrl: string; mapping: EventSourceMapping; env: Readonly<Record<string, string>> };
  /** The environment the webhook ingress handler was given (no `webhook` in the config: undefined). */
  ingressEnv: Readonly<Record<string, string>> | undefined;
  /** URL the Oro sandbox's webhooks are delivered to (the ingress handler behind it). */
  webhookUrl: string | undefined;
  endpoints: LocalEndpoints;
  /** Sends the schedule message of every scheduled connector now (or one connector's). */
  fireSchedules(filter?: (c: LocalConnector) => boolean, scheduledTime?: Date): Promise<number>;
  /** Resolves when every queue is drained and no invocation runs. */
  idle(timeoutMs?: number): Promise<void>;
  /** Approximate depths of a queue. */
  depth(queueUrl: string): Promise<{ visible: number; inFlight: number }>;
  stop(): Promise<void>;
}

/** What the ops CLI reads to reach a running local stack (`--local`). */
export interface LocalEndpoints {
  region: string;
  sqsEndpoint: string;
  secretsManagerEndpoint: string;
  /** dynalite, holding the state table (run ledger). */
  dynamodbEndpoint: string;
  stackName: string;
  configPath: string;
  sandboxes: Record<string, string>;
  webhookUrl?: string;
}

const REGION = "us-east-1";
const DUMMY_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** A queue as the local stack made it. */
interface LocalQueue {
  url: string;
  arn: string;
}

/** Creates a queue with the attributes the plan gives it (the CDK stack's), and its redrive policy. */
const createQueue = async (sqs: SQSClient, queue: ResolvedQueue, redrive?: { dlqArn: string; maxReceiveCount: number }): Promise<LocalQueue> => {
  const attributes: Record<string, string> = {
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(queue.retentionDays * 86_400),
  };
  if (queue.fifo) attributes.FifoQueue = "true";
  if (queue.contentBasedDeduplication) attributes.ContentBasedDeduplication = "true";
  if (redrive) attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: redrive.dlqArn, maxReceiveCount: redrive.maxReceiveCount });
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes }))).QueueUrl as string;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
  return { url, arn };
};

/** A queue and its DLQ with the redrive policy between them (also the proof rig's, proof/common/rig.ts). */
export const createQueuePair = async (sqs: SQSClient, queue: ResolvedQueue, dlq: ResolvedQueue, maxReceiveCount: number, urls: Map<string, string>) => {
  const dead = await createQueue(sqs, dlq);
  const source = await createQueue(sqs, queue, { dlqArn: dead.arn, maxReceiveCount });
  urls.set(dlq.name, dead.url);
  urls.set(queue.name, source.url);
  return { queue: source, dlq: dead };
};

/** The environment a function gets: the plan's, with queue names turned into the local queues' URLs. */
export const localEnvironment = (fn: FunctionPlan, urls: ReadonlyMap<string, string>, stateTableName?: string): Record<string, string> =>
  renderEnvironment(
    fn.environment,
    (name) => {
      const url = urls.get(name);
      if (url === undefined) throw new Error(`${fn.name}: the plan names queue ${name}, which the local stack did not create`);
      return url;
    },
    JSON.stringify,
    () => {
      if (stateTableName === undefined) throw new Error(`${fn.name}: the plan names the state table, which the local stack did not create`);
      return stateTableName;
    },
  );

/**
 * The event source mapping of a function, from the plan. The notifier's batching window is
 * capped at 1 s locally so the display keeps up (on AWS it is the plan's).
 */
export const localEventSource = (fn: FunctionPlan, eventSource: EventSourcePlan, maxBatchingWindowMs = Number.POSITIVE_INFINITY) => ({
  batchSize: eventSource.batchSize,
  batchingWindowMs: Math.min(maxBatchingWindowMs, eventSource.batchingWindowSeconds * 1000),
  maxConcurrency: eventSource.maxConcurrency,
  timeoutMs: fn.timeoutSeconds * 1000,
  functionName: fn.name,
});

/**
 * Local cap on a connector's batching window: none is waited for. On AWS the window (akeneo-products:
 * 2 s in deploy.config.json) lets an invocation of a big load get its 5 pages, which bench:async
 * measures; locally every invocation would wait it out on a mostly empty queue, which only slows
 * the local runs and proofs.
 */
export const LOCAL_CONNECTOR_BATCHING_WINDOW_MS = 0;

/** Local cap on the notifier's batching window. */
export const LOCAL_NOTIFIER_BATCHING_WINDOW_MS = 1_000;

/** The values a local run may tune on top of the plan (shorter backoff for demos and tests). */
const tuning = (options: LocalStackOptions): Record<string, string> =>
  options.backoffBaseSeconds !== undefined ? { [RuntimeEnv.BACKOFF_BASE_SECONDS]: String(options.backoffBaseSeconds) } : {};

/**
 * Starts fauxqs, the local Secrets Manager and dynalite, and points the process's AWS SDK at
 * them through `process.env` (a deployed function finds AWS the same way, through the SDK's
 * variables). Each handler builds its container's SDK clients on its first invocation
 * (shared/runtime/container.ts), so every handler started after this uses these endpoints.
 */
const startLocalAwsServices = async (ports: { sqs: number; secretsManager: number; dynamodb: number }, stops: (() => Promise<void>)[]) => {
  // fauxqs behind the layer that keeps AWSTraceHeader, as SQS does (local-stack/sqs.ts).
  const localSqs = await startLocalSqs({ port: ports.sqs });
  stops.push(() => localSqs.stop());
  const secrets = await startLocalSecretsManager({ port: ports.secretsManager });
  stops.push(() => secrets.stop());
  const dynamodb = await startLocalDynamoDb({ port: ports.dynamodb });
  stops.push(() => dynamodb.stop());
  process.env.AWS_ENDPOINT_URL_SQS = localSqs.address;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.url;
  process.env.AWS_REGION ??= REGION;
  process.env.AWS_ACCESS_KEY_ID ??= DUMMY_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= DUMMY_CREDENTIALS.secretAccessKey;
  const sqs = new SQSClient({ endpoint: localSqs.address, region: REGION, credentials: DUMMY_CREDENTIALS });
  stops.push(async () => sqs.destroy());
  return { fauxqs: localSqs.fauxqs, sqsEndpoint: localSqs.address, secrets, dynamodb, sqs };
};

/** One connector of the plan: its queues, its handler with the plan's environment, its event source mapping. */
const startConnector = async (
  sqs: SQSClient,
  plan: ConnectorPlan,
  definition: AnyConnector,
  urls: Map<string, string>,
  options: LocalStackOptions,
  stateTableName: string,
): Promise<LocalConnector> => {
  const { queue, dlq } = await createQueuePair(sqs, plan.queue, plan.dlq, plan.maxReceiveCount, urls);
  const env: Record<string, string> = { ...localEnvironment(plan.function, urls, stateTableName), ...tuning(options) };
  if (options.runLedger === false) delete env[RuntimeEnv.STATE_TABLE_NAME];
  const handler = createConnectorHandler(definition, { env, ...(options.onRunFinished ? { onRunFinished: options.onRunFinished } : {}) });
  const recursiveLoop = options.recursiveLoop?.[plan.resolved.connector] ?? plan.function.recursiveLoop;
  const recursionStops: RecursionStop[] = [];
  const mapping = startEventSourceMapping({
    sqs,
    queueUrl: queue.url,
    handler,
    recursiveLoop,
    onRecursionStopped: (stop) => recursionStops.push(stop),
    ...localEventSource(plan.function, plan.eventSource, LOCAL_CONNECTOR_BATCHING_WINDOW_MS),
  });
  return { resolved: plan.resolved, plan, env, queueUrl: queue.url, dlqUrl: dlq.url, mapping, recursiveLoop, recursionStops };
};

/**
 * Starts everything `npm start` runs, in this process, by rendering the deployment plan
 * (infra/plan) the CDK stack renders too: fauxqs (SQS), the local Secrets Manager seeded from the
 * local settings, the sandboxes, the plan's queues (same names, redrive policies and visibility
 * timeouts), an emulated event source mapping per connector and for the notifier around the
 * same handlers that run in Lambda, with the plan's environment, the webhook ingress behind a
 * local HTTP endpoint, and the schedules sending the plan's envelope.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const settings = loadLocalSettings(options.settingsPath);
  const registry: ConnectorRegistry = options.registry ?? { connectors: registeredConnectors };
  const configPath = options.deployConfigPath ?? join(REPO_ROOT, settings.deployConfig);
  const config = loadDeployConfig(configPath, registry);
  const plan = deploymentPlan(config, registry);
  const port = (name: keyof LocalSettings["ports"]) => (options.ephemeralPorts ? 0 : settings.ports[name]);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const { fauxqs, sqsEndpoint, secrets, dynamodb, sqs } = await startLocalAwsServices(
      { sqs: port("sqs"), secretsManager: port("secretsManager"), dynamodb: port("dynamodb") },
      stops,
    );
    const sandboxes = await startSandboxes(settings, { ephemeralPorts: Boolean(options.ephemeralPorts), seed: options.seedSandboxes ?? true });
    stops.push(() => sandboxes.stop());
    for (const [name, value] of Object.entries(renderSecrets(settings, sandboxes.urls))) secrets.put(name, value);

    // Queue name -> local URL, for the plan's environments.
    const urls = new Map<string, string>();

    // The state table on dynalite, as infra/constructs/state-table.ts builds it: the run ledger, the
    // notifier's alert-key leases, the ingress's replay dedup.
    const stateTableName = await dynamodb.createStateTable(plan.stateTable.name);

    // Alerts queue and the notifier.
    const alerts = await createQueuePair(sqs, plan.notifier.queue, plan.notifier.dlq, plan.notifier.maxReceiveCount, urls);
    const notifierEnv = { ...localEnvironment(plan.notifier.function, urls, stateTableName), ...tuning(options) };
    const alertsMapping = startEventSourceMapping({
      sqs,
      queueUrl: alerts.queue.url,
      handler: createNotifierHandler({ env: notifierEnv }),
      ...localEventSource(plan.notifier.function, plan.notifier.eventSource, LOCAL_NOTIFIER_BATCHING_WINDOW_MS),
    });
    stops.push(() => alertsMapping.stop());

    const localConnectors: LocalConnector[] = [];
    for (const connectorPlan of plan.connectors) {
      const definition = registry.connectors.find((c) => c.type === connectorPlan.resolved.connector);
      if (!definition) continue;
      const connector = await startConnector(sqs, connectorPlan, definition, urls, options, stateTableName);
      stops.push(() => connector.mapping.stop());
      localConnectors.push(connector);
    }

    // The webhook ingress behind a local HTTP endpoint shaped like a Function URL.
    let webhookUrl: string | undefined;
    let ingressEnv: Record<string, string> | undefined;
    if (plan.ingress) {
      ingressEnv = localEnvironment(plan.ingress.function, urls, stateTableName);
      const server = await serveFunctionUrl(createIngressHandler({ env: ingressEnv }), port("webhooks"));
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await sandboxes.registerWebhooks?.(webhookUrl, Object.keys(plan.ingress.routes), renderSecrets(settings, sandboxes.urls)[plan.ingress.secretName]);
      // Channels in the Oro sandbox, so run statuses and Schedule sync have somewhere to go (docs/oro-integration.md).
      if (options.registerOroIntegrations !== false) {
        await sandboxes.registerIntegrations?.(
          webhookUrl,
          config.integrations.map((i) => ({ name: i.name, connectors: Object.keys(i.connectors) })),
          REGION,
        );
      }
    }

    const endpoints: LocalEndpoints = {
      region: REGION,
      sqsEndpoint,
      secretsManagerEndpoint: secrets.url,
      dynamodbEndpoint: dynamodb.url,
      stackName: plan.shared.stackName,
      configPath,
      sandboxes: sandboxes.urls,
      ...(webhookUrl ? { webhookUrl } : {}),
    };
    const endpointsFile = options.endpointsFile === undefined ? join(REPO_ROOT, ".local-stack", "endpoints.json") : options.endpointsFile;
    if (endpointsFile) {
      mkdirSync(dirname(endpointsFile), { recursive: true });
      writeFileSync(endpointsFile, `${JSON.stringify(endpoints, null, 2)}\n`);
      stops.unshift(async () => rmSync(endpointsFile, { force: true }));
    }

    const fireSchedules = async (filter: (c: LocalConnector) => boolean = () => true, at = new Date()): Promise<number> => {
      let sent = 0;
      for (const connector of localConnectors.filter((c) => c.plan.schedule && filter(c))) {
        const schedule = connector.plan.schedule as SchedulePlan;
        // Exactly the envelope the CDK schedule sends, with the scheduled time EventBridge would fill in.
        const envelope = scheduledEnvelope(schedule, `${at.toISOString().slice(0, 19)}Z`);
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: connector.queueUrl,
            MessageBody: JSON.stringify(envelope),
            ...(schedule.messageGroupId ? { MessageGroupId: schedule.messageGroupId } : {}),
          }),
        );
        sent++;
      }
      return sent;
    };

    const timers: NodeJS.Timeout[] = [];
    if (options.fireSchedulesAtStart ?? true) await fireSchedules();
    for (const connector of localConnectors) {
      const minutes = connector.plan.schedule?.intervalMinutes;
      const everyMs = options.scheduleEverySeconds ? options.scheduleEverySeconds * 1000 : minutes ? minutes * 60_000 : undefined;
      if (everyMs) timers.push(setInterval(() => void fireSchedules((c) => c === connector).catch(() => undefined), everyMs));
    }
    stops.push(async () => timers.forEach(clearInterval));

    const depth = async (queueUrl: string) => {
      const attributes =
        (
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
          )
        ).Attributes ?? {};
      return { visible: Number(attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
    };

    return {
      settings,
      plan,
      sqs,
      fauxqs,
      secrets,
      dynamodb,
      sandboxes,
      connectors: localConnectors,
      alerts: { queueUrl: alerts.queue.url, dlqUrl: alerts.dlq.url, mapping: alertsMapping, env: notifierEnv },
      webhookUrl,
      ingressEnv,
      endpoints,
      fireSchedules,
      depth,
      async idle(timeoutMs = 120_000) {
        const deadline = Date.now() + timeoutMs;
        // Connectors first, then the notifier (their events land on the alerts queue), twice, since
        // a notifier round can end before a late connector retry sends its event.
        for (let round = 0; round < 2; round++) {
          for (const connector of localConnectors) await connector.mapping.idle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
          await sandboxes.webhooksIdle?.();
          for (const connector of localConnectors) await connector.mapping.idle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
          await alertsMapping.idle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

/** Serves a Function URL handler over plain HTTP on 127.0.0.1, turning requests into Function URL events. */
const serveFunctionUrl = async (
  handler: (event: LambdaFunctionURLEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>,
  port: number,
): Promise<Server> => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(",") : (v ?? "")]));
      const event = {
        version: "2.0",
        routeKey: "$default",
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        requestContext: {
          accountId: "anonymous",
          apiId: "local",
          domainName: headers.host ?? "127.0.0.1",
          domainPrefix: "local",
          http: { method: req.method ?? "POST", path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
          requestId: crypto.randomUUID(),
          routeKey: "$default",
          stage: "$default",
          time: new Date().toISOString(),
          timeEpoch: Date.now(),
        },
        body: body.toString("base64"),
        isBase64Encoded: true,
      } as unknown as LambdaFunctionURLEvent;
      handler(event, lambdaContext(10_000, "webhook-ingress"))
        .then((result) => {
          const response = (result ?? {}) as { statusCode?: number; headers?: Record<string, string>; body?: string };
          res.writeHead(response.statusCode ?? 200, response.headers ?? {});
          res.end(response.body ?? "");
        })
        .catch(() => {
          res.writeHead(502).end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return server;
};
