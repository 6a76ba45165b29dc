import * as z from "zod/mini";

/**
 * Failure and recovery events: what the runtime sends to the alerts queue and the notifier turns
 * into Oro notification alerts (docs/alert-contract.md). The alert key mirrors Oro's
 * NotificationAlertManager dedup rule: sourceType (integration) + resourceType (entity) + alertType
 * + operation + step + itemId + externalId.
 *
 * Message-level failures leave itemId/externalId empty and use the message type as the step, so
 * 1,000 malformed messages of one connector are one alert that counts them; item-level failures
 * (a SKU Oro rejects) carry the item's external id, so each bad item has its own alert.
 */
export const ALERT_EVENT_VERSION = 1 as const;

const AlertKeyFields = {
  /** Integration instance name (alert sourceType). */
  integration: z.string(),
  /** Oro entity / resource type the sync is about (alert resourceType), e.g. `products`. */
  entity: z.string(),
  /** `import` (into Oro) or `export` (out of Oro). */
  operation: z.enum(["import", "export"]),
  /** Processing step, e.g. the message type (`window`, `page`) or `receive` for unreadable messages. */
  step: z.string(),
  itemId: z.optional(z.number()),
  externalId: z.optional(z.string()),
};

export const FailureEventSchema = z.object({
  version: z.literal(ALERT_EVENT_VERSION),
  kind: z.literal("failure"),
  ...AlertKeyFields,
  alertType: z.string(),
  connector: z.string(),
  /** Error code, e.g. `VALIDATION`, `HTTP_503`, `MALFORMED_MESSAGE`. */
  code: z.string(),
  /** Actionable, secret-free reason. */
  message: z.string(),
  /** Envelope id (idempotency key) of the failed message, when it could be read. */
  envelopeId: z.optional(z.string()),
  /** How many times SQS delivered the message. */
  attempts: z.number(),
  /** `permanent`: sent to the DLQ at once; `exhausted`: transient retries ran out. */
  disposition: z.enum(["permanent", "exhausted"]),
  /** Name of the DLQ holding the message. */
  dlq: z.optional(z.string()),
  occurredAt: z.string(),
});
export type FailureEvent = z.infer<typeof FailureEventSchema>;

export const RecoveryEventSchema = z.object({
  version: z.literal(ALERT_EVENT_VERSION),
  kind: z.literal("recovery"),
  ...AlertKeyFields,
  connector: z.string(),
  envelopeId: z.optional(z.string()),
  attempts: z.number(),
  occurredAt: z.string(),
});
export type RecoveryEvent = z.infer<typeof RecoveryEventSchema>;

export const AlertEventSchema = z.discriminatedUnion("kind", [FailureEventSchema, RecoveryEventSchema]);
export type AlertEvent = z.infer<typeof AlertEventSchema>;
