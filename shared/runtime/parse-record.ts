import * as z from "zod/mini";
import type { Connector, ConnectorMessage, MessageSchemas } from "../connector";
import { MalformedMessageError, UnknownMessageTypeError } from "../errors";
import {
  type Envelope,
  NativeEnvelopeHeaderSchema,
  type NormalizedMessage,
  OroWebhookHeaderSchema,
  isNativeEnvelopeHeader,
  isOroWebhookBody,
  isOroWebhookHeader,
  normalizeEnvelope,
} from "../messages";

/** Longest list of schema problems put in one error message. */
const MAX_ISSUES = 5;

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ") + (issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : "");

/** What a body parses to, as far as it got; `meta` is present once the envelope was read. */
export type ParseResult<M extends MessageSchemas> =
  { ok: true; message: ConnectorMessage<M> } | { ok: false; error: MalformedMessageError | UnknownMessageTypeError; meta: NormalizedMessage | undefined };

/**
 * Turns an SQS body into a connector message: JSON, then the envelope schema, then the queue
 * owner check, then the connector's schema for that message type. Each failure is permanent and
 * says what to fix.
 */
export const parseRecordBody = <M extends MessageSchemas>(
  body: string,
  connector: Connector<unknown, M>,
  owner: { integration: string; connector: string },
): ParseResult<M> => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      meta: undefined,
      error: new MalformedMessageError(`message body is not JSON (${(error as Error).message}); send a JSON envelope (schemas/envelope.schema.json)`),
    };
  }
  // The two accepted shapes are told apart by their keys, so the body is validated once against
  // the shape it claims, and an error names that shape's fields (a union's error says only
  // "invalid input").
  const object = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  const looksLikeWebhook = object !== undefined && !("version" in object) && ("topic" in object || "eventData" in object);
  const valid = object !== undefined && (looksLikeWebhook ? isOroWebhookHeader(object) : isNativeEnvelopeHeader(object));
  if (!valid) {
    const result = z.safeParse(looksLikeWebhook ? OroWebhookHeaderSchema : NativeEnvelopeHeaderSchema, json);
    const shape = looksLikeWebhook
      ? "Oro webhook body {topic, timestamp, messageId, eventData}"
      : "envelope v1 {version, id, integration, connector, type, payload}";
    const reason = result.success ? "(root): Invalid input" : describeIssues(result.error.issues);
    return { ok: false, meta: undefined, error: new MalformedMessageError(`message is not a valid ${shape}: ${reason}`) };
  }
  const envelope = object as Envelope;
  const meta = normalizeEnvelope(envelope, owner);
  if (!isOroWebhookBody(envelope) && (meta.integration !== owner.integration || meta.connector !== owner.connector)) {
    return {
      ok: false,
      meta,
      error: new UnknownMessageTypeError(
        `message for ${meta.integration}/${meta.connector} reached the queue of ${owner.integration}/${owner.connector}; send it to its own connector's queue`,
      ),
    };
  }
  const schema = Object.hasOwn(connector.messages, meta.type) ? connector.messages[meta.type] : undefined;
  if (!schema) {
    return {
      ok: false,
      meta,
      error: new UnknownMessageTypeError(
        `connector ${connector.type} does not accept message type "${meta.type}"; it accepts: ${Object.keys(connector.messages).join(", ")}`,
      ),
    };
  }
  const payload = z.safeParse(schema, meta.payload);
  if (!payload.success) {
    return { ok: false, meta, error: new MalformedMessageError(`${meta.type} message payload is invalid: ${describeIssues(payload.error.issues)}`) };
  }
  return { ok: true, message: { type: meta.type, payload: payload.data, meta } as ConnectorMessage<M> };
};
