import {
  DEFAULT_BACKOFF_BASE_SECONDS,
  DEFAULT_BACKOFF_CAP_SECONDS,
  DEFAULT_DEADLINE_MARGIN_MS,
  DEFAULT_MAX_RECEIVE_COUNT,
  numberFromEnv,
  requiredFromEnv,
  RuntimeEnv,
} from "../../shared/runtime";

/** Alert keys handled at once in one invocation (each key itself is handled serially). */
export const DEFAULT_KEY_CONCURRENCY = 2;

/**
 * What the notifier reads from its environment. The CDK stack (infra/stack.ts) sets
 * `ORO_SECRET_NAME`, `QUEUE_URL` (the alerts queue), `DLQ_URL` (its DLQ), `MAX_RECEIVE_COUNT` and
 * `STATE_TABLE_NAME` (the alert-key leases);
 * the backoff and deadline knobs are the connector runtime's (shared/runtime/env.ts) and optional.
 */
export interface NotifierConfig {
  /** Secret holding the Oro connection (shared/oro `OroConnectionSchema`). */
  oroSecretName: string;
  /** The alerts queue this function consumes (visibility backoff is set on it). */
  queueUrl: string;
  /** The alerts DLQ: unreadable events go there at once, with the reason as attributes. */
  dlqUrl: string;
  /** The alerts queue's redrive maxReceiveCount: after that many receives SQS dead-letters a record. */
  maxReceiveCount: number;
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
  /** Stop starting alert keys when less than this remains before the Lambda deadline. */
  deadlineMarginMs: number;
  /** Alert keys handled at once. @default 2 */
  keyConcurrency: number;
  /** The stack's state table: one lease per alert key, so no two invocations create the same alert. */
  stateTableName: string;
}

const SET_BY = "the CDK stack sets it on the notifier function (infra/stack.ts)";
const required = (env: NodeJS.ProcessEnv, name: string) => requiredFromEnv(env, name, SET_BY);
const number = numberFromEnv;

/** Reads and checks the notifier's environment; `overrides` win (tests, local stack). */
export const readNotifierConfig = (env: NodeJS.ProcessEnv = process.env, overrides: Partial<NotifierConfig> = {}): NotifierConfig => ({
  oroSecretName: overrides.oroSecretName ?? required(env, RuntimeEnv.ORO_SECRET_NAME),
  queueUrl: overrides.queueUrl ?? required(env, RuntimeEnv.QUEUE_URL),
  dlqUrl: overrides.dlqUrl ?? required(env, RuntimeEnv.DLQ_URL),
  maxReceiveCount: overrides.maxReceiveCount ?? number(env, RuntimeEnv.MAX_RECEIVE_COUNT, DEFAULT_MAX_RECEIVE_COUNT),
  backoffBaseSeconds: overrides.backoffBaseSeconds ?? number(env, RuntimeEnv.BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_BASE_SECONDS),
  backoffCapSeconds: overrides.backoffCapSeconds ?? number(env, RuntimeEnv.BACKOFF_CAP_SECONDS, DEFAULT_BACKOFF_CAP_SECONDS),
  deadlineMarginMs: overrides.deadlineMarginMs ?? number(env, RuntimeEnv.DEADLINE_MARGIN_MS, DEFAULT_DEADLINE_MARGIN_MS),
  keyConcurrency: Math.max(1, overrides.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY),
  stateTableName: overrides.stateTableName ?? required(env, RuntimeEnv.STATE_TABLE_NAME),
});
