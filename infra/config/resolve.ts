import type { AnyConnector } from "../../shared/connector";
import * as D from "./defaults";
import type { ConnectorRegistry } from "./registry";
import { rateIntervalMinutes } from "./schema";
import type { ConnectorOverrides, DeployConfig, IntegrationConfig, VpcPlacement, WebhookRoute } from "./schema";

/** A queue's attributes, so the CDK stack and the local stack (fauxqs) build the same queue. */
export interface ResolvedQueue {
  /** Physical name: `<stackName>-<integration>-<connector>[-dlq][.fifo]`. */
  readonly name: string;
  readonly fifo: boolean;
  /** On only for a scheduled FIFO queue: EventBridge Scheduler cannot set a deduplication id. */
  readonly contentBasedDeduplication: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionDays: number;
}

/** The schedule of a connector, when it has one. */
export interface ResolvedSchedule {
  readonly expression: string;
  readonly timeZone: string;
  /** Envelope `type` of the window message. */
  readonly messageType: string;
  /** Minutes between runs for `rate(...)`; `undefined` for cron. */
  readonly intervalMinutes: number | undefined;
}

/** One enabled connector of one integration, with every default filled in. */
export interface ResolvedConnector {
  readonly integration: string;
  readonly integrationType: string;
  /** Connector type, e.g. `akeneo-products`. */
  readonly connector: string;
  readonly label: string;
  readonly entity: string;
  readonly integrationSecretName: string;
  readonly oroSecretName: string;
  readonly queue: ResolvedQueue;
  readonly dlq: ResolvedQueue;
  readonly maxReceiveCount: number;
  readonly schedule: ResolvedSchedule | undefined;
  readonly windowOverlapMinutes: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly maxConcurrency: number;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly recordConcurrency: number;
  readonly oldestMessageAgeAlarmMinutes: number;
  /** The function's `RecursiveLoop`: `Allow` when the connector declares `recursiveLoop` (its own chains), else Lambda's `Terminate`. */
  readonly recursiveLoop: "Allow" | "Terminate";
  /** VPC placement of the function: the integration's `vpc`, or `undefined` (not in a VPC). */
  readonly vpc: VpcPlacement | undefined;
  /** Customer-managed KMS keys of the secrets (config `secretsKmsKeyArns`); empty for the AWS-managed key. */
  readonly secretsKmsKeyArns: readonly string[];
  /** Oro webhook topics this connector consumes: its `defaults.oroTopics` plus topics routed to it in the config. */
  readonly oroTopics: readonly string[];
  /**
   * The CONNECTOR_SETTINGS object: the config's `settings`, plus `windowOverlapMinutes`, and for a
   * scheduled connector `schedule`, `timeZone`, `scheduleMessageType` and `scheduleIntervalMinutes`.
   */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Shared names and settings that are not per connector. */
export interface ResolvedShared {
  readonly stackName: string;
  readonly region: string;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  readonly alertsQueue: ResolvedQueue;
  readonly alertsDlq: ResolvedQueue;
  /** Receives of an alert before it goes to the alerts DLQ. */
  readonly alertsMaxReceiveCount: number;
  /** Customer-managed KMS keys of the secrets (config `secretsKmsKeyArns`); empty for the AWS-managed key. */
  readonly secretsKmsKeyArns: readonly string[];
}

/** Keys the stack writes into CONNECTOR_SETTINGS itself; a config's `settings` may not use them. */
export { RESERVED_SETTINGS_KEYS } from "../../shared/connector/settings";

/** Timeout of the notifier; its queue's visibility timeout is 6x this. */
export const NOTIFIER_TIMEOUT_SECONDS = 30;

const queueName = (stackName: string, base: string, fifo: boolean, dlq: boolean): string => `${stackName}-${base}${dlq ? "-dlq" : ""}${fifo ? ".fifo" : ""}`;

/**
 * Merges one connector's defaults with its overrides: config override > connector default >
 * project default (defaults.ts). Used by `resolveConnectorSettings` and by the load-time checks.
 */
export const resolveConnector = (
  config: DeployConfig,
  integration: IntegrationConfig,

  connector: AnyConnector,
  overrides: ConnectorOverrides,
  routedTopics: readonly string[] = [],
): ResolvedConnector => {
  const defaults = connector.defaults;
  const stackName = config.stackName ?? D.DEFAULT_STACK_NAME;
  const fifo = overrides.fifo ?? defaults.fifo ?? false;
  const timeoutSeconds = overrides.timeoutSeconds ?? defaults.timeoutSeconds ?? D.DEFAULT_TIMEOUT_SECONDS;
  const visibilityTimeoutSeconds = overrides.visibilityTimeoutSeconds ?? timeoutSeconds * D.VISIBILITY_TIMEOUT_FACTOR;
  const expression = overrides.schedule ?? defaults.schedule;
  const schedule: ResolvedSchedule | undefined = expression
    ? {
        expression,
        timeZone: overrides.timeZone ?? D.DEFAULT_TIME_ZONE,
        messageType: defaults.scheduleMessageType ?? D.DEFAULT_SCHEDULE_MESSAGE_TYPE,
        intervalMinutes: rateIntervalMinutes(expression),
      }
    : undefined;
  const windowOverlapMinutes = overrides.windowOverlapMinutes ?? D.DEFAULT_WINDOW_OVERLAP_MINUTES;
  const base = `${integration.name}-${connector.type}`;
  const settings: Record<string, unknown> = { ...overrides.settings, windowOverlapMinutes };
  if (schedule) {
    settings.schedule = schedule.expression;
    settings.timeZone = schedule.timeZone;
    settings.scheduleMessageType = schedule.messageType;
    if (schedule.intervalMinutes !== undefined) settings.scheduleIntervalMinutes = schedule.intervalMinutes;
  }
  return {
    integration: integration.name,
    integrationType: integration.type,
    connector: connector.type,
    label: connector.label,
    entity: connector.entity,
    integrationSecretName: integration.secretName,
    oroSecretName: config.oroSecretName,
    queue: {
      name: queueName(stackName, base, fifo, false),
      fifo,
      contentBasedDeduplication: fifo && schedule !== undefined,
      visibilityTimeoutSeconds,
      retentionDays: D.SOURCE_RETENTION_DAYS,
    },
    dlq: {
      name: queueName(stackName, base, fifo, true),
      fifo,
      contentBasedDeduplication: false,
      visibilityTimeoutSeconds,
      retentionDays: D.DLQ_RETENTION_DAYS,
    },
    maxReceiveCount: overrides.maxReceiveCount ?? D.DEFAULT_MAX_RECEIVE_COUNT,
    schedule,
    windowOverlapMinutes,
    batchSize: overrides.batchSize ?? defaults.batchSize ?? D.DEFAULT_BATCH_SIZE,
    batchingWindowSeconds: overrides.batchingWindowSeconds ?? D.DEFAULT_BATCHING_WINDOW_SECONDS,
    maxConcurrency: overrides.maxConcurrency ?? D.DEFAULT_MAX_CONCURRENCY,
    memoryMb: overrides.memoryMb ?? defaults.memoryMb ?? D.DEFAULT_MEMORY_MB,
    timeoutSeconds,
    recordConcurrency: overrides.recordConcurrency ?? D.DEFAULT_RECORD_CONCURRENCY,
    oldestMessageAgeAlarmMinutes: overrides.oldestMessageAgeAlarmMinutes ?? D.DEFAULT_OLDEST_MESSAGE_AGE_ALARM_MINUTES,
    recursiveLoop: connector.recursiveLoop?.allow ? "Allow" : "Terminate",
    vpc: integration.vpc,
    secretsKmsKeyArns: config.secretsKmsKeyArns ?? [],
    oroTopics: [...new Set([...(defaults.oroTopics ?? []), ...routedTopics])],
    settings,
  };
};

/** Topic routes from the config's `webhook.topics` only (no derivation, no checks). */
const explicitRoutes = (config: DeployConfig): Record<string, WebhookRoute> => ({ ...config.webhook?.topics });

/**
 * Topic -> connector routes for the webhook ingress: each enabled connector's `defaults.oroTopics`,
 * then the config's `webhook.topics` on top (they pin a topic two connectors claim, or add one).
 * Ambiguous topics (claimed twice, not pinned) are left out here; `loadDeployConfig` reports them.
 * Empty when the config has no `webhook` section.
 */
export const resolveWebhookRoutes = (config: DeployConfig, registry: ConnectorRegistry): Record<string, WebhookRoute> => {
  if (!config.webhook) return {};
  const claims = topicClaims(config, registry);
  const routes: Record<string, WebhookRoute> = {};
  for (const [topic, claimants] of claims) {
    const [only] = claimants;
    if (claimants.length === 1 && only) routes[topic] = only;
  }
  return { ...routes, ...explicitRoutes(config) };
};

/** Which enabled connectors declare each Oro topic (`defaults.oroTopics`). */
export const topicClaims = (config: DeployConfig, registry: ConnectorRegistry): Map<string, WebhookRoute[]> => {
  const claims = new Map<string, WebhookRoute[]>();
  for (const integration of config.integrations) {
    for (const [type, overrides] of Object.entries(integration.connectors)) {
      const connector = registry.connectors.find((c) => c.type === type);
      if (!connector || overrides.enabled === false) continue;
      for (const topic of connector.defaults.oroTopics ?? []) {
        claims.set(topic, [...(claims.get(topic) ?? []), { integration: integration.name, connector: type }]);
      }
    }
  }
  return claims;
};

/**
 * Every enabled connector of every integration, with connector defaults and config overrides
 * merged. The deployment plan (infra/plan) is built from these entries; the CDK stack and the
 * local stack render the plan. Call it on a config `loadDeployConfig` accepted: it does not check.
 *
 * @example
 * const config = loadDeployConfig("deploy.config.json", { connectors });
 * for (const c of resolveConnectorSettings(config, { connectors })) createQueue(c.queue.name, c.queue);
 */
export const resolveConnectorSettings = (config: DeployConfig, registry: ConnectorRegistry): ResolvedConnector[] => {
  const routes = explicitRoutes(config);
  const resolved: ResolvedConnector[] = [];
  for (const integration of config.integrations) {
    for (const [type, overrides] of Object.entries(integration.connectors)) {
      const connector = registry.connectors.find((c) => c.type === type);
      if (!connector || overrides.enabled === false) continue;
      const routed = Object.entries(routes)
        .filter(([, route]) => route.integration === integration.name && route.connector === type)
        .map(([topic]) => topic);
      resolved.push(resolveConnector(config, integration, connector, overrides, routed));
    }
  }
  return resolved;
};

/** Names and settings of the shared pieces (alerts queue, log settings, stack name, region). */
export const resolveShared = (config: DeployConfig): ResolvedShared => {
  const stackName = config.stackName ?? D.DEFAULT_STACK_NAME;
  const visibilityTimeoutSeconds = NOTIFIER_TIMEOUT_SECONDS * D.VISIBILITY_TIMEOUT_FACTOR;
  return {
    stackName,
    region: config.region ?? D.DEFAULT_REGION,
    logLevel: config.logLevel ?? D.DEFAULT_LOG_LEVEL,
    logRetentionDays: config.logRetentionDays ?? D.DEFAULT_LOG_RETENTION_DAYS,
    alertsQueue: {
      name: queueName(stackName, "alerts", false, false),
      fifo: false,
      contentBasedDeduplication: false,
      visibilityTimeoutSeconds,
      retentionDays: D.SOURCE_RETENTION_DAYS,
    },
    alertsDlq: {
      name: queueName(stackName, "alerts", false, true),
      fifo: false,
      contentBasedDeduplication: false,
      visibilityTimeoutSeconds,
      retentionDays: D.DLQ_RETENTION_DAYS,
    },
    alertsMaxReceiveCount: D.DEFAULT_MAX_RECEIVE_COUNT,
    secretsKmsKeyArns: config.secretsKmsKeyArns ?? [],
  };
};
