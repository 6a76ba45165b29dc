import * as z from "zod/mini";

/**
 * The message envelope, version 1. Every message on a connector queue is one of:
 *
 * - a native envelope `{version: 1, id, integration, connector, type, payload}`: what schedules,
 *   fan-out, the ops CLI and Oro-side producers send;
 * - Oro's webhook body `{topic, timestamp, messageId, eventData}`, accepted unchanged: the ingress
 *   forwards it as it is, and an Oro-side producer may send the same shape straight to SQS. The
 *   queue it arrives on names the integration and connector.
 *
 * `id` is the idempotency key (Oro's `messageId`, a window's scheduled time, a page's cursor):
 * never SQS's `messageId`, which changes on redrive.
 */
export const ENVELOPE_VERSION = 1 as const;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const name = z.string().check(z.minLength(1), z.maxLength(128), z.regex(NAME_PATTERN));

export const NativeEnvelopeSchema = z.object({
  version: z.literal(ENVELOPE_VERSION),
  /** Idempotency key, unique per integration + connector (e.g. the window's scheduled time). */
  id: z.string().check(z.minLength(1), z.maxLength(512)),
  /** Integration instance name from the deploy config, e.g. `akeneo-main`. */
  integration: name,
  /** Connector type, e.g. `akeneo-products`. */
  connector: name,
  /** Message type the connector accepts, e.g. `window`, `page`. */
  type: name,
  /** When the message was produced (ISO 8601). */
  createdAt: z.optional(z.string().check(z.minLength(1))),
  /** The id of the message that started this chain (window -> pages), for log correlation. */
  correlationId: z.optional(z.string().check(z.maxLength(512))),
  /**
   * How many times this chain has handed over to its own queue (a page to the next page, a listing
   * to its continuation): set by the runtime on every message a connector enqueues, absent (0) on
   * what producers send. The runtime dead-letters a message past the connector's cap (`maxChainHops`).
   */
  hop: z.optional(z.int().check(z.minimum(0))),
  payload: z.record(z.string(), z.unknown()),
});
export type NativeEnvelope = z.infer<typeof NativeEnvelopeSchema>;

/** Oro 6.1.10+ / 7.0.2+ webhook body (docs/reference/oro-api.md §8.1), forwarded unchanged. */
export const OroWebhookBodySchema = z.object({
  topic: z.string().check(z.minLength(1), z.maxLength(255)),
  timestamp: z.union([z.number(), z.string()]),
  messageId: z.string().check(z.minLength(1), z.maxLength(512)),
  eventData: z.record(z.string(), z.unknown()),
});
export type OroWebhookBody = z.infer<typeof OroWebhookBodySchema>;

/**
 * The same two shapes with the payload (eventData) checked only for being a JSON object: the
 * runtime validates it right after with the connector's own schema for the message type, so
 * walking it twice would double the per-record validation cost (bench:runtime). The schemas above
 * stay the contract and the source of the JSON Schema.
 */
const jsonObject = z.custom<Record<string, unknown>>((value) => typeof value === "object" && value !== null && !Array.isArray(value), {
  message: "Invalid input: expected object",
});
export const NativeEnvelopeHeaderSchema = z.object({ ...NativeEnvelopeSchema.def.shape, payload: jsonObject });
export const OroWebhookHeaderSchema = z.object({ ...OroWebhookBodySchema.def.shape, eventData: jsonObject });

const isName = (v: unknown): boolean => typeof v === "string" && v.length >= 1 && v.length <= 128 && NAME_PATTERN.test(v);
const isText = (v: unknown, min: number, max: number): boolean => typeof v === "string" && v.length >= min && v.length <= max;
const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The header schemas as plain checks: the hot path of every record. They accept exactly what
 * the zod header schemas accept (test/unit/envelope-fast-check.test.ts compares both on generated
 * inputs); zod still runs whenever they reject, to word the error.
 */
export const isNativeEnvelopeHeader = (v: Record<string, unknown>): boolean =>
  v.version === ENVELOPE_VERSION &&
  isText(v.id, 1, 512) &&
  isName(v.integration) &&
  isName(v.connector) &&
  isName(v.type) &&
  (v.createdAt === undefined || isText(v.createdAt, 1, Infinity)) &&
  (v.correlationId === undefined || isText(v.correlationId, 0, 512)) &&
  (v.hop === undefined || (Number.isSafeInteger(v.hop) && (v.hop as number) >= 0)) &&
  isObject(v.payload);

export const isOroWebhookHeader = (v: Record<string, unknown>): boolean =>
  isText(v.topic, 1, 255) && (typeof v.timestamp === "number" || typeof v.timestamp === "string") && isText(v.messageId, 1, 512) && isObject(v.eventData);

/** Either accepted shape; JSON Schema for producers is generated from this (schemas/envelope.schema.json). */
export const EnvelopeSchema = z.union([NativeEnvelopeSchema, OroWebhookBodySchema]);
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** What the runtime hands a connector: one shape whatever arrived on the queue. */
export interface NormalizedMessage {
  id: string;
  integration: string;
  connector: string;
  type: string;
  createdAt: string | undefined;
  correlationId: string;
  /** Hand-overs to its own queue so far in this chain (the envelope's `hop`, 0 when absent). */
  hop: number;
  payload: Record<string, unknown>;
  /** Which shape arrived. */
  source: "envelope" | "oro-webhook";
}

export const isOroWebhookBody = (envelope: Envelope): envelope is OroWebhookBody => "topic" in envelope && "messageId" in envelope;

/**
 * One shape for both kinds. An Oro webhook body becomes a message whose type is its topic
 * (`order.created`) and whose payload is the whole body (topic, timestamp, messageId, eventData).
 */
export const normalizeEnvelope = (envelope: Envelope, queueOwner: { integration: string; connector: string }): NormalizedMessage => {
  if (isOroWebhookBody(envelope)) {
    const seconds = typeof envelope.timestamp === "number" ? envelope.timestamp : Number(envelope.timestamp);
    // A finite timestamp can still be outside Date's range (1e20): toISOString() would throw.
    const date = new Date(seconds * 1000);
    return {
      id: envelope.messageId,
      integration: queueOwner.integration,
      connector: queueOwner.connector,
      type: envelope.topic,
      createdAt: Number.isFinite(date.getTime()) ? date.toISOString() : String(envelope.timestamp),
      correlationId: envelope.messageId,
      hop: 0,
      payload: envelope as unknown as Record<string, unknown>,
      source: "oro-webhook",
    };
  }
  return {
    id: envelope.id,
    integration: envelope.integration,
    connector: envelope.connector,
    type: envelope.type,
    createdAt: envelope.createdAt,
    correlationId: envelope.correlationId ?? envelope.id,
    hop: envelope.hop ?? 0,
    payload: envelope.payload,
    source: "envelope",
  };
};

/** Builds a native envelope (fan-out, schedules, CLI). */
export const createEnvelope = (fields: Omit<NativeEnvelope, "version" | "createdAt"> & { createdAt?: string }): NativeEnvelope => ({
  version: ENVELOPE_VERSION,
  createdAt: fields.createdAt ?? new Date().toISOString(),
  ...fields,
});

/** The JSON Schema producers validate against; checked in at schemas/envelope.schema.json. */
export const envelopeJsonSchema = (): Record<string, unknown> => ({
  $id: "https://oro-serverless-connectors/schemas/envelope.schema.json",
  title: "oro-serverless-connectors message envelope v1",
  ...(z.toJSONSchema(EnvelopeSchema, { target: "draft-2020-12" }) as Record<string, unknown>),
});
