/**
 * Environment variables the CDK stack sets on every connector function and the runtime reads.
 * One list, so infra and runtime cannot drift.
 */
export const RuntimeEnv = {
  /** This connector's own queue (fan-out target). */
  QUEUE_URL: "QUEUE_URL",
  DLQ_URL: "DLQ_URL",
  ALERTS_QUEUE_URL: "ALERTS_QUEUE_URL",
  /** The source queue's redrive maxReceiveCount: the attempt that raises the failure event. */
  MAX_RECEIVE_COUNT: "MAX_RECEIVE_COUNT",
  INTEGRATION_NAME: "INTEGRATION_NAME",
  CONNECTOR_TYPE: "CONNECTOR_TYPE",
  /** Secret holding the integration's transport settings. */
  INTEGRATION_SECRET_NAME: "INTEGRATION_SECRET_NAME",
  /** Secret holding the Oro connection. */
  ORO_SECRET_NAME: "ORO_SECRET_NAME",
  /** JSON object of connector settings from the deploy config. */
  CONNECTOR_SETTINGS: "CONNECTOR_SETTINGS",
  /** Records processed at once inside a batch (FIFO: groups at once). */
  RECORD_CONCURRENCY: "RECORD_CONCURRENCY",
  BACKOFF_BASE_SECONDS: "BACKOFF_BASE_SECONDS",
  BACKOFF_CAP_SECONDS: "BACKOFF_CAP_SECONDS",
  /** Stop starting records when less than this remains before the Lambda deadline. */
  DEADLINE_MARGIN_MS: "DEADLINE_MARGIN_MS",
  SECRETS_TTL_SECONDS: "SECRETS_TTL_SECONDS",
  /** The stack's state table, for the run ledger (docs/ledger.md); unset: no ledger. */
  STATE_TABLE_NAME: "STATE_TABLE_NAME",
} as const;
export type RuntimeEnvName = (typeof RuntimeEnv)[keyof typeof RuntimeEnv];

/** Environment variables of the webhook ingress (functions/webhook-ingress), set from the same plan (infra/plan). */
export const IngressEnv = {
  /** Secret holding the signing secret: JSON `{"secret": "...", "previousSecret"?: "..."}`. */
  WEBHOOK_SECRET_NAME: "WEBHOOK_SECRET_NAME",
  /** JSON object: Oro webhook topic -> SQS queue URL of the connector consuming it. */
  WEBHOOK_ROUTES: "WEBHOOK_ROUTES",
  /** JSON object: `<integration>/<connector>` -> SQS queue URL of a scheduled connector (Oro's Schedule sync; optional). */
  WEBHOOK_SYNC_ROUTES: "WEBHOOK_SYNC_ROUTES",
  /** JSON object: `<integration>/<connector>` -> the message type its schedule sends (same keys as WEBHOOK_SYNC_ROUTES). */
  WEBHOOK_SYNC_TYPES: "WEBHOOK_SYNC_TYPES",
  /** Largest accepted body in bytes (optional). */
  WEBHOOK_MAX_BODY_BYTES: "WEBHOOK_MAX_BODY_BYTES",
  /** The stack's state table (shared/state): replay dedup by Oro's messageId (optional: none, no dedup). */
  STATE_TABLE_NAME: "STATE_TABLE_NAME",
  /** Oldest accepted body `timestamp`, in seconds before now (optional). */
  WEBHOOK_MAX_AGE_SECONDS: "WEBHOOK_MAX_AGE_SECONDS",
  /** Furthest accepted body `timestamp`, in seconds after now: clock skew (optional). */
  WEBHOOK_MAX_FUTURE_SECONDS: "WEBHOOK_MAX_FUTURE_SECONDS",
  /** Fewest seconds between two forced reloads of the signing secret in one container (optional). */
  WEBHOOK_SECRET_RELOAD_SECONDS: "WEBHOOK_SECRET_RELOAD_SECONDS",
} as const;

/** Powertools variables every function gets (service name, metrics namespace, log level). */
export const PowertoolsEnv = {
  SERVICE_NAME: "POWERTOOLS_SERVICE_NAME",
  METRICS_NAMESPACE: "POWERTOOLS_METRICS_NAMESPACE",
  LOG_LEVEL: "POWERTOOLS_LOG_LEVEL",
} as const;
