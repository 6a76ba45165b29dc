export { DEFAULT_WEBHOOK_RETRY, ENTITY_CLASS_BY_TYPE, RETRIED_STATUSES, WebhookDispatcher, phpJsonEncode } from "./dispatcher";
export type { DeliveryLogEntry, EventDataRenderer, WebhookRetryOptions } from "./dispatcher";
