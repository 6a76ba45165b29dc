import { ConfigurationError } from "../errors";
import { DEFAULT_BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_CAP_SECONDS } from "./backoff";
import { RuntimeEnv } from "./env";

export const DEFAULT_RECORD_CONCURRENCY = 10;
export const DEFAULT_DEADLINE_MARGIN_MS = 3_000;
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
/**
 * Hand-overs to its own queue one chain may make (the envelope's `hop`) before the runtime
 * dead-letters it; `settings.maxChainHops` overrides. The functions that chain run with Lambda's
 * loop detection off (RecursiveLoop Allow), so this cap is what stops a loop. 10,000 hops is
 * 10,000 ERP pages in one window, or a listing of continuations far beyond any catalog.
 */
export const DEFAULT_MAX_CHAIN_HOPS = 10_000;

/** The chain cap of a connector: `settings.maxChainHops` (an integer >= 1) or {@link DEFAULT_MAX_CHAIN_HOPS}. */
export const maxChainHops = (settings: Readonly<Record<string, unknown>>): number => {
  const value = settings.maxChainHops;
  if (value === undefined) return DEFAULT_MAX_CHAIN_HOPS;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1)
    throw new ConfigurationError(`settings.maxChainHops must be an integer of 1 or more, got ${JSON.stringify(value)}`);
  return value;
};

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
  /** The state table holding the run ledger; undefined: no ledger (docs/ledger.md). */
  stateTableName: string | undefined;
}

/** A non-negative number from the environment, or `fallback` when unset; a bad value names the variable. */
export const numberFromEnv = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ConfigurationError(`environment variable ${name} must be a non-negative number, got "${raw}"`);
  return value;
};

/** A variable the stack always sets; missing, it is a configuration error naming it and who sets it. */
export const requiredFromEnv = (env: NodeJS.ProcessEnv, name: string, setBy = "the CDK stack sets it on every connector function"): string => {
  const value = env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set: ${setBy}`);
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
    integration: overrides.integration ?? requiredFromEnv(env, RuntimeEnv.INTEGRATION_NAME),
    connector: overrides.connector ?? requiredFromEnv(env, RuntimeEnv.CONNECTOR_TYPE),
    queueUrl,
    dlqUrl: overrides.dlqUrl ?? requiredFromEnv(env, RuntimeEnv.DLQ_URL),
    alertsQueueUrl: overrides.alertsQueueUrl ?? requiredFromEnv(env, RuntimeEnv.ALERTS_QUEUE_URL),
    maxReceiveCount: overrides.maxReceiveCount ?? numberFromEnv(env, RuntimeEnv.MAX_RECEIVE_COUNT, DEFAULT_MAX_RECEIVE_COUNT),
    integrationSecretName: overrides.integrationSecretName ?? env[RuntimeEnv.INTEGRATION_SECRET_NAME],
    oroSecretName: overrides.oroSecretName ?? env[RuntimeEnv.ORO_SECRET_NAME],
    settings: overrides.settings ?? settings,
    recordConcurrency: Math.max(1, overrides.recordConcurrency ?? numberFromEnv(env, RuntimeEnv.RECORD_CONCURRENCY, DEFAULT_RECORD_CONCURRENCY)),
    backoffBaseSeconds: overrides.backoffBaseSeconds ?? numberFromEnv(env, RuntimeEnv.BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_BASE_SECONDS),
    backoffCapSeconds: overrides.backoffCapSeconds ?? numberFromEnv(env, RuntimeEnv.BACKOFF_CAP_SECONDS, DEFAULT_BACKOFF_CAP_SECONDS),
    deadlineMarginMs: overrides.deadlineMarginMs ?? numberFromEnv(env, RuntimeEnv.DEADLINE_MARGIN_MS, DEFAULT_DEADLINE_MARGIN_MS),
    fifo: overrides.fifo ?? Boolean(queueUrl?.endsWith(".fifo")),
    stateTableName: "stateTableName" in overrides ? overrides.stateTableName : env[RuntimeEnv.STATE_TABLE_NAME] || undefined,
  };
};
