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
import { Defaults, loadDeployConfig, NOTIFIER_TIMEOUT_SECONDS, resolveConnectorSettings, resolveShared, resolveWebhookRoutes, type ResolvedConnector, type ResolvedQueue, REPO_ROOT } from "../infra/config";
import type { ConnectorRegistry } from "../infra/config";
import { resetAwsClients } from "../shared/aws";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler, RuntimeEnv } from "../shared/runtime";
import { resetSecretStore } from "../shared/secrets";
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
}

/** A connector as the local stack runs it. */
export interface LocalConnector {
  resolved: ResolvedConnector;
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
  sqs: SQSClient;
  fauxqs: FauxqsServer;
  secrets: LocalSecretsManager;
  /** dynalite, holding the state table. */
  dynamodb: LocalDynamoDb;
  sandboxes: StartedSandboxes;
  connectors: LocalConnector[];
  alerts: { queueUrl: string; dlqUrl: string; mapping: EventSourceMapping };
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
  stackName: string;
  configPath: string;
  sandboxes: Record<string, string>;
  webhookUrl?: string;
}

const REGION = "us-east-1";
const DUMMY_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Starts everything `npm start` runs, in this process: fauxqs (SQS), the local Secrets Manager
 * seeded from the local settings, the sandboxes, the queues of the deploy config (same names,
 * redrive policies and visibility timeouts as the CDK stack), an emulated event source mapping
 * per connector and for the notifier (the same handlers that run in Lambda), the webhook ingress
 * behind a local HTTP endpoint, and the schedules.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const settings = loadLocalSettings(options.settingsPath);
  const registry: ConnectorRegistry = options.registry ?? { connectors: registeredConnectors };
  const configPath = options.deployConfigPath ?? join(REPO_ROOT, settings.deployConfig);
  const config = loadDeployConfig(configPath, registry);
  const resolved = resolveConnectorSettings(config, registry);
  const shared = resolveShared(config);
  const port = (name: keyof LocalSettings["ports"]) => (options.ephemeralPorts ? 0 : settings.ports[name]);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    // fauxqs behind the layer that keeps AWSTraceHeader, as SQS does (local-stack/sqs.ts).
    const localSqs = await startLocalSqs({ port: port("sqs") });
    stops.push(() => localSqs.stop());
    const { fauxqs } = localSqs;
    const sqsEndpoint = localSqs.address;
    const secrets = await startLocalSecretsManager({ port: port("secretsManager") });
    stops.push(() => secrets.stop());
    // The state table (the ingress's replay dedup) on dynalite, as infra/constructs/state-table.ts builds it.
    const dynamodb = await startLocalDynamoDb({ port: port("dynamodb") });
    stops.push(() => dynamodb.stop());

    // The handlers find both services the way a deployed function finds AWS: through the SDK's
    // endpoint variables (shared/aws passes them on explicitly).
    process.env.AWS_ENDPOINT_URL_SQS = sqsEndpoint;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.url;
    process.env.AWS_REGION ??= REGION;
    process.env.AWS_ACCESS_KEY_ID ??= DUMMY_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY ??= DUMMY_CREDENTIALS.secretAccessKey;
    resetAwsClients();
    resetSecretStore();
    const sqs = new SQSClient({ endpoint: sqsEndpoint, region: REGION, credentials: DUMMY_CREDENTIALS });
    stops.push(async () => sqs.destroy());

    const sandboxes = await startSandboxes(settings, { ephemeralPorts: Boolean(options.ephemeralPorts), seed: options.seedSandboxes ?? true });
    stops.push(() => sandboxes.stop());
    for (const [name, value] of Object.entries(renderSecrets(settings, sandboxes.urls))) secrets.put(name, value);

    const createQueue = async (queue: ResolvedQueue, redrive?: { dlqArn: string; maxReceiveCount: number }) => {
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

    // Alerts queue and the notifier.
    const alertsDlq = await createQueue(shared.alertsDlq);
    const alertsQueue = await createQueue(shared.alertsQueue, { dlqArn: alertsDlq.arn, maxReceiveCount: shared.alertsMaxReceiveCount });
    const notifier = createNotifierHandler({
      env: {},
      overrides: {
        oroSecretName: config.oroSecretName,
        queueUrl: alertsQueue.url,
        dlqUrl: alertsDlq.url,
        maxReceiveCount: shared.alertsMaxReceiveCount,
        ...(options.backoffBaseSeconds !== undefined ? { backoffBaseSeconds: options.backoffBaseSeconds } : {}),
      },
    });
    // The notifier's mapping as the stack sets it, with a shorter batching window so the display keeps up.
    const alertsMapping = startEventSourceMapping({
      sqs,
      queueUrl: alertsQueue.url,
      handler: notifier,
      batchSize: Defaults.NOTIFIER_BATCH_SIZE,
      batchingWindowMs: Math.min(1_000, Defaults.NOTIFIER_BATCHING_WINDOW_SECONDS * 1000),
      maxConcurrency: Defaults.NOTIFIER_MAX_CONCURRENCY,
      timeoutMs: NOTIFIER_TIMEOUT_SECONDS * 1000,
      functionName: "notifier",
    });
    stops.push(() => alertsMapping.stop());

    // One queue, DLQ, handler and event source mapping per enabled connector.
    const localConnectors: LocalConnector[] = [];
    for (const connector of resolved) {
      const definition = registry.connectors.find((c) => c.type === connector.connector);
      if (!definition) continue;
      const dlq = await createQueue(connector.dlq);
      const queue = await createQueue(connector.queue, { dlqArn: dlq.arn, maxReceiveCount: connector.maxReceiveCount });
      const handler = createConnectorHandler(definition, {
        env: {
          [RuntimeEnv.INTEGRATION_NAME]: connector.integration,
          [RuntimeEnv.CONNECTOR_TYPE]: connector.connector,
          [RuntimeEnv.QUEUE_URL]: queue.url,
          [RuntimeEnv.DLQ_URL]: dlq.url,
          [RuntimeEnv.ALERTS_QUEUE_URL]: alertsQueue.url,
          [RuntimeEnv.MAX_RECEIVE_COUNT]: String(connector.maxReceiveCount),
          [RuntimeEnv.INTEGRATION_SECRET_NAME]: connector.integrationSecretName,
          [RuntimeEnv.ORO_SECRET_NAME]: connector.oroSecretName,
          [RuntimeEnv.CONNECTOR_SETTINGS]: JSON.stringify(connector.settings),
          [RuntimeEnv.RECORD_CONCURRENCY]: String(connector.recordConcurrency),
          ...(options.backoffBaseSeconds !== undefined ? { [RuntimeEnv.BACKOFF_BASE_SECONDS]: String(options.backoffBaseSeconds) } : {}),
        },
      });
      const recursiveLoop = options.recursiveLoop?.[connector.connector] ?? connector.recursiveLoop;
      const recursionStops: RecursionStop[] = [];
      const mapping = startEventSourceMapping({
        sqs,
        queueUrl: queue.url,
        handler,
        recursiveLoop,
        onRecursionStopped: (stop) => recursionStops.push(stop),
        batchSize: connector.batchSize,
        batchingWindowMs: connector.batchingWindowSeconds * 1000,
        maxConcurrency: connector.maxConcurrency,
        timeoutMs: connector.timeoutSeconds * 1000,
        functionName: `${connector.integration}-${connector.connector}`,
      });
      stops.push(() => mapping.stop());
      localConnectors.push({ resolved: connector, queueUrl: queue.url, dlqUrl: dlq.url, mapping, recursiveLoop, recursionStops });
    }

    // The webhook ingress behind a local HTTP endpoint shaped like a Function URL.
    let webhookUrl: string | undefined;
    if (config.webhook) {
      const routes = Object.fromEntries(
        Object.entries(resolveWebhookRoutes(config, registry)).flatMap(([topic, route]) => {
          const target = localConnectors.find((c) => c.resolved.integration === route.integration && c.resolved.connector === route.connector);
          return target ? [[topic, target.queueUrl]] : [];
        }),
      );
      const stateTableName = await dynamodb.createStateTable(`${shared.stackName}-state`);
      const ingress = createIngressHandler({ env: {}, overrides: { secretName: config.webhook.secretName, routes, stateTableName } });
      const server = await serveFunctionUrl(ingress, port("webhooks"));
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await sandboxes.registerWebhooks?.(webhookUrl, Object.keys(routes), renderSecrets(settings, sandboxes.urls)[config.webhook.secretName]);
    }

    const stackName = shared.stackName;
    const endpoints: LocalEndpoints = {
      region: REGION,
      sqsEndpoint,
      secretsManagerEndpoint: secrets.url,
      stackName,
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
      for (const connector of localConnectors.filter((c) => c.resolved.schedule && filter(c))) {
        const schedule = connector.resolved.schedule as NonNullable<ResolvedConnector["schedule"]>;
        // Exactly the envelope the CDK schedule sends, with the scheduled time EventBridge would fill in.
        const scheduledTime = `${at.toISOString().slice(0, 19)}Z`;
        const envelope = createEnvelope({ id: scheduledTime, integration: connector.resolved.integration, connector: connector.resolved.connector, type: schedule.messageType, payload: { scheduledTime } });
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: connector.queueUrl,
            MessageBody: JSON.stringify(envelope),
            ...(connector.resolved.queue.fifo ? { MessageGroupId: connector.resolved.connector } : {}),
          }),
        );
        sent++;
      }
      return sent;
    };

    const timers: NodeJS.Timeout[] = [];
    if (options.fireSchedulesAtStart ?? true) await fireSchedules();
    for (const connector of localConnectors) {
      const minutes = connector.resolved.schedule?.intervalMinutes;
      const everyMs = options.scheduleEverySeconds ? options.scheduleEverySeconds * 1000 : minutes ? minutes * 60_000 : undefined;
      if (everyMs) timers.push(setInterval(() => void fireSchedules((c) => c === connector).catch(() => undefined), everyMs));
    }
    stops.push(async () => timers.forEach(clearInterval));

    const depth = async (queueUrl: string) => {
      const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes ?? {};
      return { visible: Number(attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
    };

    return {
      settings,
      sqs,
      fauxqs,
      secrets,
      dynamodb,
      sandboxes,
      connectors: localConnectors,
      alerts: { queueUrl: alertsQueue.url, dlqUrl: alertsDlq.url, mapping: alertsMapping },
      webhookUrl,
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
const serveFunctionUrl = async (handler: (event: LambdaFunctionURLEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>, port: number): Promise<Server> => {
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
