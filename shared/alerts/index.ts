export { ALERT_EVENT_VERSION, AlertEventSchema, FailureEventSchema, RecoveryEventSchema } from "./events";
export type { AlertEvent, FailureEvent, RecoveryEvent } from "./events";
