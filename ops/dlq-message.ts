import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import { DlqAttribute, sealOf } from "../shared/runtime";

/** Attribute a redrive by this CLI adds: the DLQ the message came back from. */
export const REDRIVEN_FROM_ATTRIBUTE = "RedrivenFrom";
/** `ErrorCode` given to a message SQS's redrive policy moved (it has none), so the runtime sends a recovery event. */
export const REDRIVEN_CODE = "REDRIVEN";
/** SQS allows at most 10 message attributes. */
const MAX_MESSAGE_ATTRIBUTES = 10;

/** The error attributes of a DLQ message (written by the runtime; absent for messages SQS moved). */
export interface DlqError {
  code: string | undefined;
  message: string | undefined;
  attempt: number | undefined;
  envelopeId: string | undefined;
  failedAt: string | undefined;
  connector: string | undefined;
  integration: string | undefined;
  sourceMessageId: string | undefined;
}

/** A DLQ message, decoded for people and scripts. */
export interface DlqEntry {
  messageId: string;
  /** When it was first sent (SentTimestamp), ISO 8601. */
  sentAt: string | undefined;
  receiveCount: number | undefined;
  /** The envelope id: the `EnvelopeId` attribute, else the body's `id` / `messageId`. */
  envelopeId: string | undefined;
  /** Envelope type, or an Oro webhook body's topic. */
  type: string | undefined;
  /** `runtime` when the runtime dead-lettered it (it has `ErrorCode`), `sqs-redrive-policy` when SQS moved it after maxReceiveCount. */
  deadLetteredBy: "runtime" | "sqs-redrive-policy";
  error: DlqError;
  /** The DLQ it was redriven from before, when this CLI redrove it once already. */
  redrivenFrom: string | undefined;
  /** The parsed body; the raw text when it is not JSON. */
  body: unknown;
  bodyIsJson: boolean;
}

const attr = (m: Message, name: string): string | undefined => m.MessageAttributes?.[name]?.StringValue;

const bodyField = (body: unknown, field: string): string | undefined => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === "string" ? value : undefined;
};

/** Decodes a message received with `MessageAttributeNames: ["All"]` and system attributes. */
export const decodeDlqMessage = (m: Message): DlqEntry => {
  let body: unknown = m.Body ?? "";
  let bodyIsJson = false;
  try {
    body = JSON.parse(m.Body ?? "");
    bodyIsJson = true;
  } catch {
    // Kept as text: a body that is not JSON is one reason a message lands here.
  }
  const sent = Number(m.Attributes?.SentTimestamp);
  const received = Number(m.Attributes?.ApproximateReceiveCount);
  const attempt = Number(attr(m, DlqAttribute.attempt));
  const code = attr(m, DlqAttribute.code);
  return {
    messageId: m.MessageId ?? "",
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined,
    receiveCount: Number.isFinite(received) && received > 0 ? received : undefined,
    envelopeId: attr(m, DlqAttribute.envelopeId) ?? bodyField(body, "id") ?? bodyField(body, "messageId"),
    type: bodyField(body, "type") ?? bodyField(body, "topic"),
    deadLetteredBy: code === undefined ? "sqs-redrive-policy" : "runtime",
    error: {
      code,
      message: attr(m, DlqAttribute.message),
      attempt: Number.isFinite(attempt) && attempt > 0 ? attempt : undefined,
      envelopeId: attr(m, DlqAttribute.envelopeId),
      failedAt: attr(m, DlqAttribute.failedAt),
      connector: attr(m, DlqAttribute.connector),
      integration: attr(m, DlqAttribute.integration),
      sourceMessageId: attr(m, DlqAttribute.sourceMessageId),
    },
    redrivenFrom: attr(m, REDRIVEN_FROM_ATTRIBUTE),
    body,
    bodyIsJson,
  };
};

/**
 * The attributes a redriven message is sent with: the DLQ copy's attributes (value fields only:
 * the list fields SQS returns empty are not accepted back), `RedrivenFrom` = the DLQ, and for a
 * message SQS's redrive policy moved (no `ErrorCode`) `ErrorCode` = `REDRIVEN`, so the runtime
 * sees a redrive and sends a recovery event when it succeeds (docs/architecture.md). With
 * `sealKey` (the connector's), the reason attributes get a fresh `AttributeSeal`, without which the
 * runtime trusts none of them.
 */
export const redriveAttributes = (m: Message, dlqName: string, sealKey?: Buffer): Record<string, MessageAttributeValue> => {
  const copied: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
    if (!value.DataType) continue;
    copied[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
    };
  }
  if (copied[DlqAttribute.code] === undefined) copied[DlqAttribute.code] = { DataType: "String", StringValue: REDRIVEN_CODE };
  copied[REDRIVEN_FROM_ATTRIBUTE] = { DataType: "String", StringValue: dlqName };
  // The DLQ is written only by the runtime and SQS's redrive policy (producers cannot send to it),
  // so what comes out of it is sealed afresh: a REDRIVEN mark, and a runtime seal made under a key
  // since rotated, are then trusted again (shared/runtime/attribute-seal.ts).
  if (sealKey) copied[DlqAttribute.seal] = { DataType: "String", StringValue: sealOf(sealKey, (name) => copied[name]?.StringValue, m.Body ?? "") };
  // Over the SQS limit: drop the least useful copied attributes first; ErrorCode, the seal and RedrivenFrom stay.
  const droppable = [DlqAttribute.sourceMessageId, DlqAttribute.failedAt, DlqAttribute.integration, DlqAttribute.connector];
  for (const name of droppable) {
    if (Object.keys(copied).length <= MAX_MESSAGE_ATTRIBUTES) break;
    delete copied[name];
  }
  return copied;
};

/** The queue name at the end of a queue URL. */
export const queueNameOf = (url: string): string => url.slice(url.lastIndexOf("/") + 1);
