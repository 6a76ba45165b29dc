import { ALERT_EVENT_VERSION, type FailureEvent } from "../../shared/alerts";

/** A failure event of the Akeneo products connector, as the runtime sends it (shared/alerts); `over` changes any field. */
export const failureEvent = (over: Partial<FailureEvent> = {}): FailureEvent => ({
  version: ALERT_EVENT_VERSION,
  kind: "failure",
  integration: "akeneo-main",
  entity: "products",
  operation: "import",
  step: "page",
  alertType: "sync",
  connector: "akeneo-products",
  code: "HTTP_503",
  message: "Akeneo answered 503",
  attempts: 5,
  disposition: "exhausted",
  dlq: "akeneo-main-products-dlq",
  occurredAt: "2026-12-01T10:00:00.000Z",
  ...over,
});
