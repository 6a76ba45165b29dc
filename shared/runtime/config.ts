import { ConfigurationError } from "../errors";
import { DEFAULT_BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_CAP_SECONDS } from "./backoff";
import { RuntimeEnv } from "./env";

export const DEFAULT_RECORD_CONCURRENCY = 10;
export const DEFAULT_DEADLINE_MARGIN_MS = 3_000;
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** Everything the runtime needs from its environment, read once per container. */
export interface RuntimeConfig {
  integration: string;
  connector: string;
  queueUrl: string | undefined;
  dlqUrl: string;
  alertsQueueUrl: string;
  maxReceiveCount: number;
  integrationSecretName: string | undefined;
  oroSecretName: string | undefined;
  settings: Record<string, unknown>;
  recordConcurrency: number;
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
  deadlineMarginMs: number;
  /** FIFO source queue (URL ends in `.fifo`). */
  fifo: boolean;
}

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ConfigurationError(`environment variable ${name} must be a non-negative number, got "${raw}"`);
  return value;
};

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set: the CDK stack sets it on every connector function`);
  return value;
};

/** Reads and checks the runtime's environment; a missing value names the variable. */
export const readRuntimeConfig = (env: NodeJS.ProcessEnv = process.env, overrides: Partial<RuntimeConfig> = {}): RuntimeConfig => {
  let settings: Record<string, unknown> = {};
  const rawSettings = env[RuntimeEnv.CONNECTOR_SETTINGS];
  if (rawSettings) {
    try {
      settings = JSON.parse(rawSettings) as Record<string, unknown>;
    } catch {
      throw new ConfigurationError(`environment variable ${RuntimeEnv.CONNECTOR_SETTINGS} is not valid JSON`);
    }
  }
  const queueUrl = overrides.queueUrl ?? env[RuntimeEnv.QUEUE_URL];
  return {
    integration: overrides.integration ?? required(env, RuntimeEnv.INTEGRATION_NAME),
    connector: overrides.connector ?? required(env, RuntimeEnv.CONNECTOR_TYPE),
    queueUrl,
    dlqUrl: overrides.dlqUrl ?? required(env, RuntimeEnv.DLQ_URL),
    alertsQueueUrl: overrides.alertsQueueUrl ?? required(env, RuntimeEnv.ALERTS_QUEUE_URL),
    maxReceiveCount: overrides.maxReceiveCount ?? positive(env, RuntimeEnv.MAX_RECEIVE_COUNT, DEFAULT_MAX_RECEIVE_COUNT),
    integrationSecretName: overrides.integrationSecretName ?? env[RuntimeEnv.INTEGRATION_SECRET_NAME],
    oroSecretName: overrides.oroSecretName ?? env[RuntimeEnv.ORO_SECRET_NAME],
    settings: overrides.settings ?? settings,
    recordConcurrency: Math.max(1, overrides.recordConcurrency ?? positive(env, RuntimeEnv.RECORD_CONCURRENCY, DEFAULT_RECORD_CONCURRENCY)),
    backoffBaseSeconds: overrides.backoffBaseSeconds ?? positive(env, RuntimeEnv.BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_BASE_SECONDS),
    backoffCapSeconds: overrides.backoffCapSeconds ?? positive(env, RuntimeEnv.BACKOFF_CAP_SECONDS, DEFAULT_BACKOFF_CAP_SECONDS),
    deadlineMarginMs: overrides.deadlineMarginMs ?? positive(env, RuntimeEnv.DEADLINE_MARGIN_MS, DEFAULT_DEADLINE_MARGIN_MS),
    fifo: overrides.fifo ?? Boolean(queueUrl?.endsWith(".fifo")),
  };
};
