import { join } from "node:path";
import { ENVELOPE_VERSION } from "../../shared/messages/envelope";
import { connectorServiceName } from "../../shared/observability/service-name";
import { IngressEnv, PowertoolsEnv, RuntimeEnv } from "../../shared/runtime/env";
import { NOTIFIER_BATCH_SIZE, NOTIFIER_BATCHING_WINDOW_SECONDS, NOTIFIER_MAX_CONCURRENCY } from "../config/defaults";
import { REPO_ROOT, connectorEntry } from "../config/registry";
import type { ConnectorRegistry } from "../config/registry";
import { NOTIFIER_TIMEOUT_SECONDS, resolveConnectorSettings, resolveShared, resolveWebhookRoutes } from "../config/resolve";
import type { ResolvedConnector, ResolvedQueue, ResolvedShared } from "../config/resolve";
import type { DeployConfig, VpcPlacement } from "../config/schema";

/**
 * The deployment plan: everything per function that the CDK stack (infra/stack.ts) and the local
 * stack (local-stack/stack.ts) both build, derived once from the deploy config and the registry,
 * as plain data. Each renders it: CDK into CloudFormation, the local stack into fauxqs queues and
 * in-process handlers. Queue URLs exist only once a renderer made the queue, so the plan names
 * queues and the renderer turns names into URLs ({@link renderEnvironment}).
 */

/** An environment value: a literal, a queue's URL, or a JSON object of queue URLs (by queue name). */
export type PlanEnvValue =
  string | { readonly queueUrl: string } | { readonly queueUrlsJson: Readonly<Record<string, string>> } | { readonly stateTableName: true };
export type PlanEnvironment = Readonly<Record<string, PlanEnvValue>>;

/** One Lambda function. */
export interface FunctionPlan {
  /** POWERTOOLS_SERVICE_NAME, also the local stack's function name: unique per function. */
  readonly name: string;
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: PlanEnvironment;
}

/** The SQS event source mapping of a function. */
export interface EventSourcePlan {
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly maxConcurrency: number;
}

/** `<aws.scheduler.scheduled-time>`: EventBridge Scheduler's context attribute; the local stack puts the fire time in its place. */
export const SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

/** A connector's schedule: the expression and exactly the message it sends. */
export interface SchedulePlan {
  readonly expression: string;
  readonly timeZone: string;
  readonly intervalMinutes: number | undefined;
  /** The envelope, with {@link SCHEDULED_TIME} where the fire time goes. */
  readonly envelope: Readonly<Record<string, unknown>>;
  /** FIFO queues: the message group. */
  readonly messageGroupId: string | undefined;
}

export interface ConnectorPlan {
  /** The connector with every default filled in (queue attributes, settings, ...). */
  readonly resolved: ResolvedConnector;
  readonly queue: ResolvedQueue;
  readonly dlq: ResolvedQueue;
  readonly maxReceiveCount: number;
  readonly function: FunctionPlan & { readonly recursiveLoop: "Allow" | "Terminate"; readonly vpc: VpcPlacement | undefined };
  readonly eventSource: EventSourcePlan;
  readonly schedule: SchedulePlan | undefined;
}

export interface NotifierPlan {
  readonly queue: ResolvedQueue;
  readonly dlq: ResolvedQueue;
  readonly maxReceiveCount: number;
  readonly function: FunctionPlan;
  readonly eventSource: EventSourcePlan;
}

/** Reserved concurrency of the ingress when the deploy config says nothing (docs/deploy.md). */
export const DEFAULT_INGRESS_RESERVED_CONCURRENCY = 10;

export interface IngressPlan {
  readonly secretName: string;
  /** Reserved concurrency of the function; `false`: none. */
  readonly reservedConcurrency: number | false;
  /** Topic -> the name of the queue its webhooks go to. */
  readonly routes: Readonly<Record<string, string>>;
  /**
   * Oro's Schedule sync (functions/webhook-ingress/schedule-sync.ts): `<integration>/<connector>` ->
   * the queue name and message type of each scheduled connector; the ingress sends its schedule's
   * window message there.
   */
  readonly syncRoutes: Readonly<Record<string, { readonly queue: string; readonly messageType: string }>>;
  readonly function: FunctionPlan;
}

/**
 * The state table (shared/state): the run ledger of every connector (`run#`), the notifier's
 * alert-key leases (`alert#`), the ingress's replay dedup (`webhook#`). Named `name` on AWS and
 * locally (`ops runs` finds it by that name).
 */
export interface StateTablePlan {
  readonly name: string;
}

export interface DeploymentPlan {
  readonly shared: ResolvedShared;
  readonly stateTable: StateTablePlan;
  readonly oroSecretName: string;
  readonly metricsNamespace: string;
  readonly connectors: readonly ConnectorPlan[];
  readonly notifier: NotifierPlan;
  readonly ingress: IngressPlan | undefined;
}

/** The state table's name: the same on AWS (the stack names it) and locally. */
export const stateTableName = (shared: Pick<ResolvedShared, "stackName">): string => `${shared.stackName}-state`;

/** Entries of the shared functions; tests point them at a fixture handler. */
export interface PlanEntries {
  readonly notifierEntry?: string;
  readonly webhookIngressEntry?: string;
}

/** The notifier's POWERTOOLS_SERVICE_NAME, the same name functions/notifier/create-handler.ts uses. */
export const NOTIFIER_SERVICE_NAME = "notifier";
export const INGRESS_SERVICE_NAME = "webhook-ingress";
/** Oro waits for the ingress's answer; enqueueing one message takes milliseconds. */
export const INGRESS_TIMEOUT_SECONDS = 10;
export const INGRESS_MEMORY_MB = 256;
export const NOTIFIER_MEMORY_MB = 256;

const powertools = (service: string, shared: ResolvedShared, namespace: string): Record<string, string> => ({
  [PowertoolsEnv.SERVICE_NAME]: service,
  [PowertoolsEnv.METRICS_NAMESPACE]: namespace,
  [PowertoolsEnv.LOG_LEVEL]: shared.logLevel,
});

const connectorPlan = (c: ResolvedConnector, registry: ConnectorRegistry, alertsQueue: string, shared: ResolvedShared, namespace: string): ConnectorPlan => {
  const name = connectorServiceName(c.integration, c.connector);
  return {
    resolved: c,
    queue: c.queue,
    dlq: c.dlq,
    maxReceiveCount: c.maxReceiveCount,
    function: {
      name,
      entry: connectorEntry(registry, c.connector),
      timeoutSeconds: c.timeoutSeconds,
      memoryMb: c.memoryMb,
      recursiveLoop: c.recursiveLoop,
      vpc: c.vpc,
      environment: {
        [RuntimeEnv.QUEUE_URL]: { queueUrl: c.queue.name },
        [RuntimeEnv.DLQ_URL]: { queueUrl: c.dlq.name },
        [RuntimeEnv.ALERTS_QUEUE_URL]: { queueUrl: alertsQueue },
        [RuntimeEnv.MAX_RECEIVE_COUNT]: String(c.maxReceiveCount),
        [RuntimeEnv.INTEGRATION_NAME]: c.integration,
        [RuntimeEnv.CONNECTOR_TYPE]: c.connector,
        [RuntimeEnv.INTEGRATION_SECRET_NAME]: c.integrationSecretName,
        [RuntimeEnv.ORO_SECRET_NAME]: c.oroSecretName,
        [RuntimeEnv.CONNECTOR_SETTINGS]: JSON.stringify(c.settings),
        [RuntimeEnv.RECORD_CONCURRENCY]: String(c.recordConcurrency),
        // The run ledger (docs/ledger.md).
        [RuntimeEnv.STATE_TABLE_NAME]: { stateTableName: true },
        // The runtime logs and publishes metrics under this name (shared/observability/service-name.ts).
        ...powertools(name, shared, namespace),
      },
    },
    eventSource: { batchSize: c.batchSize, batchingWindowSeconds: c.batchingWindowSeconds, maxConcurrency: c.maxConcurrency },
    schedule: c.schedule
      ? {
          expression: c.schedule.expression,
          timeZone: c.schedule.timeZone,
          intervalMinutes: c.schedule.intervalMinutes,
          envelope: {
            version: ENVELOPE_VERSION,
            id: SCHEDULED_TIME,
            integration: c.integration,
            connector: c.connector,
            type: c.schedule.messageType,
            payload: { scheduledTime: SCHEDULED_TIME },
          },
          messageGroupId: c.queue.fifo ? c.connector : undefined,
        }
      : undefined,
  };
};

/**
 * The plan of a deploy config that `loadDeployConfig` accepted (it does not check again).
 *
 * @example
 * const plan = deploymentPlan(loadDeployConfig("deploy.config.json", { connectors }), { connectors });
 * for (const c of plan.connectors) console.log(c.function.name, c.queue.name, c.schedule?.expression);
 */
export const deploymentPlan = (config: DeployConfig, registry: ConnectorRegistry, entries: PlanEntries = {}): DeploymentPlan => {
  const shared = resolveShared(config);
  const namespace = shared.stackName;
  const connectors = resolveConnectorSettings(config, registry).map((c) => connectorPlan(c, registry, shared.alertsQueue.name, shared, namespace));
  const notifier: NotifierPlan = {
    queue: shared.alertsQueue,
    dlq: shared.alertsDlq,
    maxReceiveCount: shared.alertsMaxReceiveCount,
    function: {
      name: NOTIFIER_SERVICE_NAME,
      entry: entries.notifierEntry ?? join(REPO_ROOT, "functions", "notifier", "handler.ts"),
      timeoutSeconds: NOTIFIER_TIMEOUT_SECONDS,
      memoryMb: NOTIFIER_MEMORY_MB,
      environment: {
        [RuntimeEnv.ORO_SECRET_NAME]: config.oroSecretName,
        [RuntimeEnv.QUEUE_URL]: { queueUrl: shared.alertsQueue.name },
        [RuntimeEnv.DLQ_URL]: { queueUrl: shared.alertsDlq.name },
        [RuntimeEnv.MAX_RECEIVE_COUNT]: String(shared.alertsMaxReceiveCount),
        [RuntimeEnv.STATE_TABLE_NAME]: { stateTableName: true },
        ...powertools(NOTIFIER_SERVICE_NAME, shared, namespace),
      },
    },
    eventSource: { batchSize: NOTIFIER_BATCH_SIZE, batchingWindowSeconds: NOTIFIER_BATCHING_WINDOW_SECONDS, maxConcurrency: NOTIFIER_MAX_CONCURRENCY },
  };
  let ingress: IngressPlan | undefined;
  if (config.webhook) {
    const queueOf = (integration: string, connector: string) =>
      connectors.find((c) => c.resolved.integration === integration && c.resolved.connector === connector)?.queue.name;
    const routes = Object.fromEntries(
      Object.entries(resolveWebhookRoutes(config, registry)).flatMap(([topic, route]) => {
        const queue = queueOf(route.integration, route.connector);
        return queue ? [[topic, queue]] : []; // loadDeployConfig rules out a route to a connector not deployed
      }),
    );
    const webhook = config.webhook;
    const syncRoutes = Object.fromEntries(
      connectors.flatMap((c) =>
        c.resolved.schedule
          ? [[`${c.resolved.integration}/${c.resolved.connector}`, { queue: c.queue.name, messageType: c.resolved.schedule.messageType }]]
          : [],
      ),
    );
    ingress = {
      secretName: webhook.secretName,
      reservedConcurrency: webhook.reservedConcurrency ?? DEFAULT_INGRESS_RESERVED_CONCURRENCY,
      routes,
      syncRoutes,
      function: {
        name: INGRESS_SERVICE_NAME,
        entry: entries.webhookIngressEntry ?? join(REPO_ROOT, "functions", "webhook-ingress", "handler.ts"),
        timeoutSeconds: INGRESS_TIMEOUT_SECONDS,
        memoryMb: INGRESS_MEMORY_MB,
        environment: {
          [IngressEnv.WEBHOOK_SECRET_NAME]: config.webhook.secretName,
          [IngressEnv.WEBHOOK_ROUTES]: { queueUrlsJson: routes },
          [IngressEnv.WEBHOOK_SYNC_ROUTES]: { queueUrlsJson: Object.fromEntries(Object.entries(syncRoutes).map(([key, r]) => [key, r.queue])) },
          [IngressEnv.WEBHOOK_SYNC_TYPES]: JSON.stringify(Object.fromEntries(Object.entries(syncRoutes).map(([key, r]) => [key, r.messageType]))),
          [IngressEnv.STATE_TABLE_NAME]: { stateTableName: true },
          ...(webhook.replayWindowSeconds !== undefined ? { [IngressEnv.WEBHOOK_MAX_AGE_SECONDS]: String(webhook.replayWindowSeconds) } : {}),
          ...(webhook.maxClockSkewSeconds !== undefined ? { [IngressEnv.WEBHOOK_MAX_FUTURE_SECONDS]: String(webhook.maxClockSkewSeconds) } : {}),
          ...powertools(INGRESS_SERVICE_NAME, shared, namespace),
        },
      },
    };
  }
  const stateTable = { name: stateTableName(shared) };
  return { shared, stateTable, oroSecretName: config.oroSecretName, metricsNamespace: namespace, connectors, notifier, ingress };
};

/**
 * Turns a plan environment into the variables a function gets: `queueUrl` values by the
 * renderer's `urlOf` (a CDK token, a fauxqs URL), `queueUrlsJson` by its `toJson` (CDK's
 * `Stack.toJsonString`, which keeps tokens resolvable; plain `JSON.stringify` locally), the state
 * table's name by `stateTableName`.
 */
export const renderEnvironment = <U extends string>(
  environment: PlanEnvironment,
  urlOf: (queueName: string) => U,
  toJson: (value: Record<string, U>) => string = JSON.stringify,
  stateTableName: () => string = () => {
    throw new Error("this function's environment names the state table, which the renderer did not make");
  },
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(environment).map(([key, value]) => {
      if (typeof value === "string") return [key, value];
      if ("queueUrl" in value) return [key, urlOf(value.queueUrl)];
      if ("stateTableName" in value) return [key, stateTableName()];
      return [key, toJson(Object.fromEntries(Object.entries(value.queueUrlsJson).map(([k, queue]) => [k, urlOf(queue)])))];
    }),
  );

/** The schedule's envelope for one fire time (the local stack; EventBridge fills it in on AWS). */
export const scheduledEnvelope = (schedule: SchedulePlan, scheduledTime: string): Record<string, unknown> =>
  JSON.parse(JSON.stringify(schedule.envelope).replaceAll(SCHEDULED_TIME, scheduledTime)) as Record<string, unknown>;
