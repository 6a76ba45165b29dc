export { DEFAULT_BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_CAP_SECONDS, MAX_VISIBILITY_SECONDS, visibilityBackoffSeconds } from "./backoff";
export {
  DEFAULT_DEADLINE_MARGIN_MS,
  DEFAULT_MAX_CHAIN_HOPS,
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_RECORD_CONCURRENCY,
  maxChainHops,
  numberFromEnv,
  readRuntimeConfig,
  requiredFromEnv,
} from "./config";
export type { RuntimeConfig } from "./config";
export { dispositionOf, mayStart } from "./disposition";
export type { Disposition, FailedAttempt } from "./disposition";
export { IngressEnv, PowertoolsEnv, RuntimeEnv } from "./env";
export { SEAL_ATTRIBUTE, sealKeyOf, sealOf, verifySeal } from "./attribute-seal";
export type { AttributeReader, SealKeySource } from "./attribute-seal";
export { createConnectorHandler, sealKeySource } from "./handler";
export { createContainerServices } from "./container";
export type { ContainerServices } from "./container";
export type { ConnectorHandlerOptions } from "./handler";
export { mapWithConcurrency } from "./limit";
export { lambdaContextLogging, publishMetrics, withInvocationObservability } from "./middlewares";
export { parseRecordBody } from "./parse-record";
export { processBatch, processRecordGroups, RuntimeMetric } from "./process-batch";
export type { BatchDependencies, EngineSettings, GroupBatchDependencies, InvocationTiming, RecordGroups } from "./process-batch";
export { DlqAttribute, QueueActions } from "./queue-actions";
export type { DlqReason, QueueMessage } from "./queue-actions";
