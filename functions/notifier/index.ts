/** The notifier's pieces, for the local stack and tests; the Lambda entry is `handler.ts`. */
export { AlertStore, ALERT_TYPE } from "./alert-store";
export type { AlertAttributes, StoredAlert } from "./alert-store";
export {
  ALERT_KEY_KEEP_SECONDS,
  ALERT_STATE_KIND,
  AlertKeyBusyError,
  AlertKeyLeases,
  alertIdOf,
  alertStateKey,
  LEASE_GRACE_MS,
  MAX_KEY_WAIT_MS,
} from "./alert-lease";
export type { AlertKeyLeasesOptions, KeyWork } from "./alert-lease";
export { alertKeyOf, keyId, resolveKeyOf, unresolvedFilters } from "./alert-key";
export type { AlertKey, ResolveKey } from "./alert-key";
export { alertMessage, foldAlert, MAX_MESSAGE_CHARS, redriveCommand } from "./alert-text";
export type { AlertInfo, FailureSummary } from "./alert-text";
export { DEFAULT_KEY_CONCURRENCY, readNotifierConfig } from "./config";
export type { NotifierConfig } from "./config";
export { createNotifierHandler } from "./create-handler";
export type { NotifierHandlerOptions } from "./create-handler";
export { parseAlertEvent, planBatch } from "./plan";
export type { BatchPlan, FailureFold, KeyGroup, RecoveryFold } from "./plan";
export { NotifierMetric, processNotifierBatch } from "./process-batch";
export type { NotifierDependencies } from "./process-batch";
