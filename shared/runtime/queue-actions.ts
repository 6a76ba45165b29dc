import type { MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import type { AlertEvent } from "../alerts";
import { fifoDeduplicationId, loadSqsSdk, SQS_MAX_MESSAGE_BYTES, sqsEntryBytes, sqsSendBatches } from "../aws";
import { TransientError } from "../errors";
import { createEnvelope } from "../messages";
import { redact } from "../observability";
import { SEAL_ATTRIBUTE, type SealKeySource, sealOf } from "./attribute-seal";

/** Longest error message kept in a DLQ message attribute. */
const MAX_ATTRIBUTE_TEXT = 1_000;
/** A message for a connector queue, before it is wrapped in an envelope. */
export interface QueueMessage {
  type: string;
  id: string;
  payload: Record<string, unknown>;
  groupId?: string;
}

/** Message attribute names the runtime writes on a message it puts in the DLQ. */
export const DlqAttribute = {
  code: "ErrorCode",
  message: "ErrorMessage",
  connector: "Connector",
  integration: "Integration",
  attempt: "Attempt",
  envelopeId: "EnvelopeId",
  failedAt: "FailedAt",
  sourceMessageId: "SourceMessageId",
  /** The failed item's external id / Oro id: a recovery after a redrive resolves that item's alert. */
  externalId: "ExternalId",
  itemId: "ItemId",
  /** HMAC over ErrorCode, ExternalId, ItemId, EnvelopeId and the body (attribute-seal.ts): only sealed sets are trusted. */
  seal: SEAL_ATTRIBUTE,
} as const;

/** SQS takes at most 10 message attributes. */
const MAX_MESSAGE_ATTRIBUTES = 10;

export interface DlqReason {
  code: string;
  message: string;
  connector: string;
  integration: string;
  attempt: number;
  envelopeId: string | undefined;
  externalId?: string | undefined;
  itemId?: number | undefined;
}

/** Characters SQS refuses in a string attribute (and a body): control characters, lone surrogates, U+FFFE/U+FFFF. */
// eslint-disable-next-line no-control-regex -- the allowed set is defined by its control characters
const SQS_INVALID_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/**
 * An attribute value SQS accepts: characters it refuses (a NUL or a lone surrogate in an envelope
 * id, a topic, an error message quoting the body) become U+FFFD, and a cut never splits a pair.
 */
const sqsText = (value: string, max = MAX_ATTRIBUTE_TEXT): string => {
  const clean = value.replace(SQS_INVALID_CHARS, "\uFFFD");
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
};
/**
 * JSON for a message body, escaping what JSON.stringify leaves raw but SQS refuses (U+FFFE,
 * U+FFFF) and, per UTF-16 unit, astral characters (AWS accepts them; fauxqs, the local stack's SQS,
 * refuses them). The escapes are equivalent JSON; redaction runs before (a secret is matched raw).
 */
const escapeForSqs = (json: string): string =>
  // eslint-disable-next-line no-control-regex -- the allowed set is defined by its control characters
  json.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);
const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: sqsText(value) });
/** The longest prefix of whole characters within `maxBytes` of UTF-8. */
const prefixOfBytes = (value: string, maxBytes: number): string => {
  let bytes = 0;
  let out = "";
  for (const char of value) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    out += char;
  }
  return out;
};
/** The attributes dropped first when body + attributes exceed SQS's size limit; the reason (ErrorCode, ErrorMessage) goes last. */
const DROP_ORDER = ["FailedAt", "ItemId", "ExternalId", "EnvelopeId", "Attempt", "Integration", "Connector", "SourceMessageId"];

/**
 * Fits the attributes next to a body within SQS's size limit: drops the optional ones, then
 * shortens ErrorMessage, then drops the seal (and shortens again), then drops the reason itself
 * (a body at the very limit has no room for any attribute). Sending less beats retrying a send that can never succeed.
 */
const fitAttributes = (body: string, attributes: Record<string, MessageAttributeValue>): Record<string, MessageAttributeValue> => {
  const room = SQS_MAX_MESSAGE_BYTES - Buffer.byteLength(body, "utf8");
  const size = () => sqsEntryBytes({ MessageAttributes: attributes });
  for (const name of DROP_ORDER) {
    if (size() <= room) return attributes;
    delete attributes[name];
  }
  const shorten = () => {
    const message = attributes[DlqAttribute.message]?.StringValue;
    if (size() <= room || !message) return;
    const shorter = prefixOfBytes(message, Buffer.byteLength(message) - (size() - room));
    if (shorter) attributes[DlqAttribute.message] = { DataType: "String", StringValue: shorter };
  };
  shorten();
  // The reason beats the seal: without the seal a redrive just resolves no alert.
  if (size() > room) delete attributes[DlqAttribute.seal];
  shorten();
  if (size() > room) delete attributes[DlqAttribute.message];
  if (size() > room) delete attributes[DlqAttribute.code];
  return attributes;
};

/**
 * The SQS calls the runtime makes on behalf of a connector: DLQ, alerts, visibility, fan-out.
 * A failed send (DLQ, alerts, fan-out) surfaces as a TransientError so the record is reported
 * failed, never lost; a visibility change is best effort and only reports `false`.
 */
export class QueueActions {
  constructor(
    private readonly sqs: () => Promise<SQSClient>,
    /** `queueUrl`: none, no fan-out; `alertsQueueUrl`: none for the notifier, which consumes that queue and must not feed it. */
    private readonly urls: {
      queueUrl: string | undefined;
      dlqUrl: string;
      alertsQueueUrl: string | undefined;
      fifo: boolean;
      connector: string;
      integration: string;
    },
    /** Key of the DLQ attribute seal; without one, DLQ copies are unsealed (a redrive resolves no alert). */
    private readonly sealKey?: SealKeySource,
  ) {}

  /** Puts a message body in the DLQ with the reason as message attributes. */
  async sendToDlq(body: string, reason: DlqReason, source: { messageId: string; groupId?: string }): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {
      [DlqAttribute.code]: text(reason.code),
      [DlqAttribute.message]: text(redact(reason.message) || "(no message)"),
      [DlqAttribute.connector]: text(reason.connector),
      [DlqAttribute.integration]: text(reason.integration),
      [DlqAttribute.attempt]: { DataType: "Number", StringValue: String(reason.attempt) },
      [DlqAttribute.failedAt]: text(new Date().toISOString()),
      [DlqAttribute.sourceMessageId]: text(source.messageId),
    };
    if (reason.envelopeId) attributes[DlqAttribute.envelopeId] = text(reason.envelopeId);
    if (reason.externalId) attributes[DlqAttribute.externalId] = text(reason.externalId);
    if (reason.itemId !== undefined) attributes[DlqAttribute.itemId] = { DataType: "Number", StringValue: String(reason.itemId) };
    // The key comes from the connector's secret; without it the copy still goes out, unsealed.
    const key = await this.sealKey?.().catch(() => undefined);
    if (key) {
      attributes[DlqAttribute.seal] = text("0".repeat(64));
      if (Object.keys(attributes).length > MAX_MESSAGE_ATTRIBUTES) delete attributes[DlqAttribute.sourceMessageId];
    }
    const fitted = fitAttributes(body, attributes);
    // Sealed last, over the values that are actually sent (fitting may have dropped some).
    // (Same length as the placeholder, so the size still fits.)
    if (key && fitted[DlqAttribute.code] && fitted[DlqAttribute.seal]) fitted[DlqAttribute.seal] = text(sealOf(key, (name) => fitted[name]?.StringValue, body));
    else delete fitted[DlqAttribute.seal];
    try {
      const { SendMessageCommand } = await loadSqsSdk();
      await (
        await this.sqs()
      ).send(
        new SendMessageCommand({
          QueueUrl: this.urls.dlqUrl,
          MessageBody: body,
          MessageAttributes: fitted,
          // A FIFO DLQ needs a group and a dedup id; the source message id makes a retried send idempotent.
          ...(this.urls.fifo
            ? {
                MessageGroupId: source.groupId ?? this.urls.connector,
                MessageDeduplicationId: fifoDeduplicationId(`${source.messageId}:${body.length}:${reason.code}`),
              }
            : {}),
        }),
      );
    } catch (error) {
      throw new TransientError(`could not send the message to the DLQ: ${(error as Error).name}: ${redact((error as Error).message)}`, {
        cause: error,
        code: "DLQ_SEND_FAILED",
      });
    }
  }

  /** Sends failure / recovery events to the alerts queue. */
  async emit(events: AlertEvent[]): Promise<void> {
    const alertsQueueUrl = this.urls.alertsQueueUrl;
    if (!alertsQueueUrl) throw new TransientError("this function has no ALERTS_QUEUE_URL to send alert events to", { code: "CONFIGURATION" });
    const entries = events.map((event) => ({ MessageBody: escapeForSqs(redact(JSON.stringify(event))) }));
    for (const batch of sqsSendBatches(entries)) {
      await this.sendBatch(
        alertsQueueUrl,
        batch.map((entry, index) => ({ Id: String(index), ...entry })),
        "ALERT_SEND_FAILED",
        "the alerts queue",
      );
    }
  }

  /** Puts connector messages on its own queue (fan-out, continuation), in batches within SQS's limits. */
  async enqueue(messages: readonly QueueMessage[], correlationId: string, hop: number): Promise<void> {
    if (!this.urls.queueUrl) throw new TransientError("this function has no QUEUE_URL to fan out to", { code: "CONFIGURATION" });
    const entries = messages.map((message) => ({
      MessageBody: escapeForSqs(
        JSON.stringify(
          createEnvelope({
            id: message.id,
            integration: this.urls.integration,
            connector: this.urls.connector,
            type: message.type,
            correlationId,
            hop,
            payload: message.payload,
          }),
        ),
      ),
      ...(this.urls.fifo
        ? { MessageGroupId: message.groupId ?? this.urls.connector, MessageDeduplicationId: fifoDeduplicationId(`${message.type}:${message.id}`) }
        : {}),
    }));
    for (const batch of sqsSendBatches(entries)) {
      await this.sendBatch(
        this.urls.queueUrl,
        batch.map((entry, index) => ({ Id: String(index), ...entry })),
        "ENQUEUE_FAILED",
        "the connector queue",
      );
    }
  }

  /** Builds the body of a replay message for the DLQ (a single failed item). */
  replayBody(message: QueueMessage, correlationId: string): string {
    return escapeForSqs(
      JSON.stringify(
        createEnvelope({
          id: message.id,
          integration: this.urls.integration,
          connector: this.urls.connector,
          type: message.type,
          correlationId,
          payload: message.payload,
        }),
      ),
    );
  }

  /** Raises a record's visibility timeout (backoff). Best effort: on failure the queue's timeout applies. */
  async changeVisibility(record: SQSRecord, seconds: number): Promise<boolean> {
    try {
      const { ChangeMessageVisibilityCommand } = await loadSqsSdk();
      await (
        await this.sqs()
      ).send(new ChangeMessageVisibilityCommand({ QueueUrl: this.sourceQueueUrl(record), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
      return true;
    } catch {
      return false;
    }
  }

  private sourceQueueUrl(record: SQSRecord): string {
    if (this.urls.queueUrl) return this.urls.queueUrl;
    // arn:aws:sqs:<region>:<account>:<name> -> the standard queue URL form.
    const [, , , region, account, name] = record.eventSourceARN.split(":");
    return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
  }

  private async sendBatch(
    queueUrl: string,
    entries: { Id: string; MessageBody: string; MessageGroupId?: string; MessageDeduplicationId?: string }[],
    code: string,
    what: string,
  ): Promise<void> {
    let failed: string[];
    try {
      const { SendMessageBatchCommand } = await loadSqsSdk();
      const result = await (await this.sqs()).send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      failed = (result.Failed ?? []).map((f) => `${f.Code ?? "error"}: ${f.Message ?? ""}`);
    } catch (error) {
      throw new TransientError(`could not send to ${what}: ${(error as Error).name}: ${redact((error as Error).message)}`, { cause: error, code });
    }
    if (failed.length > 0) throw new TransientError(`could not send ${failed.length} of ${entries.length} messages to ${what}: ${failed[0]}`, { code });
  }
}
