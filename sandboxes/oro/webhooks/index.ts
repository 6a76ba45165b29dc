export { DEFAULT_WEBHOOK_RETRY, WebhookDispatcher } from "./dispatcher";
export type { DeliveryLogEntry, EventDataRenderer, WebhookRetryOptions } from "./dispatcher";
