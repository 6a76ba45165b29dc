import { createHash } from "node:crypto";
import type { MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import type { AlertEvent } from "../alerts";
import { loadSqsSdk } from "../aws";
import { TransientError } from "../errors";
import { createEnvelope } from "../messages";
import { redact } from "../observability";

/** Longest error message kept in a DLQ message attribute. */
const MAX_ATTRIBUTE_TEXT = 1_000;
/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH_LIMIT = 10;

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
} as const;

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

const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value });
const dedupId = (value: string) => createHash("sha256").update(value).digest("hex");

/**
 * The SQS calls the runtime makes on behalf of a connector: DLQ, alerts, visibility, fan-out.
 * Each failure surfaces as a TransientError so the record is reported failed, never lost.
 */
export class QueueActions {
  constructor(
    private readonly sqs: () => Promise<SQSClient>,
    private readonly urls: { queueUrl: string | undefined; dlqUrl: string; alertsQueueUrl: string; fifo: boolean; connector: string; integration: string },
  ) {}

  /** Puts a message body in the DLQ with the reason as message attributes. */
  async sendToDlq(body: string, reason: DlqReason, source: { messageId: string; groupId?: string }): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {
      [DlqAttribute.code]: text(reason.code),
      [DlqAttribute.message]: text(redact(reason.message).slice(0, MAX_ATTRIBUTE_TEXT) || "(no message)"),
      [DlqAttribute.connector]: text(reason.connector),
      [DlqAttribute.integration]: text(reason.integration),
      [DlqAttribute.attempt]: { DataType: "Number", StringValue: String(reason.attempt) },
      [DlqAttribute.failedAt]: text(new Date().toISOString()),
      [DlqAttribute.sourceMessageId]: text(source.messageId),
    };
    if (reason.envelopeId) attributes[DlqAttribute.envelopeId] = text(reason.envelopeId.slice(0, MAX_ATTRIBUTE_TEXT));
    if (reason.externalId) attributes[DlqAttribute.externalId] = text(reason.externalId.slice(0, MAX_ATTRIBUTE_TEXT));
    if (reason.itemId !== undefined) attributes[DlqAttribute.itemId] = { DataType: "Number", StringValue: String(reason.itemId) };
    try {
      const { SendMessageCommand } = await loadSqsSdk();
      await (await this.sqs()).send(
        new SendMessageCommand({
          QueueUrl: this.urls.dlqUrl,
          MessageBody: body,
          MessageAttributes: attributes,
          // A FIFO DLQ needs a group and a dedup id; the source message id makes a retried send idempotent.
          ...(this.urls.fifo ? { MessageGroupId: source.groupId ?? this.urls.connector, MessageDeduplicationId: dedupId(`${source.messageId}:${body.length}:${reason.code}`) } : {}),
        }),
      );
    } catch (error) {
      throw new TransientError(`could not send the message to the DLQ: ${(error as Error).name}: ${redact((error as Error).message)}`, { cause: error, code: "DLQ_SEND_FAILED" });
    }
  }

  /** Sends failure / recovery events to the alerts queue. */
  async emit(events: AlertEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += SQS_BATCH_LIMIT) {
      const chunk = events.slice(i, i + SQS_BATCH_LIMIT);
      await this.sendBatch(
        this.urls.alertsQueueUrl,
        chunk.map((event, index) => ({ Id: String(index), MessageBody: redact(JSON.stringify(event)) })),
        "ALERT_SEND_FAILED",
        "the alerts queue",
      );
    }
  }

  /** Puts connector messages on its own queue (fan-out, continuation). */
  async enqueue(messages: readonly QueueMessage[], correlationId: string): Promise<void> {
    if (!this.urls.queueUrl) throw new TransientError("this function has no QUEUE_URL to fan out to", { code: "CONFIGURATION" });
    for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
      const chunk = messages.slice(i, i + SQS_BATCH_LIMIT);
      await this.sendBatch(
        this.urls.queueUrl,
        chunk.map((message, index) => {
          const envelope = createEnvelope({ id: message.id, integration: this.urls.integration, connector: this.urls.connector, type: message.type, correlationId, payload: message.payload });
          return {
            Id: String(index),
            MessageBody: JSON.stringify(envelope),
            ...(this.urls.fifo ? { MessageGroupId: message.groupId ?? this.urls.connector, MessageDeduplicationId: dedupId(`${message.type}:${message.id}`) } : {}),
          };
        }),
        "ENQUEUE_FAILED",
        "the connector queue",
      );
    }
  }

  /** Builds the body of a replay message for the DLQ (a single failed item). */
  replayBody(message: QueueMessage, correlationId: string): string {
    return JSON.stringify(createEnvelope({ id: message.id, integration: this.urls.integration, connector: this.urls.connector, type: message.type, correlationId, payload: message.payload }));
  }

  /** Raises a record's visibility timeout (backoff). Best effort: on failure the queue's timeout applies. */
  async changeVisibility(record: SQSRecord, seconds: number): Promise<boolean> {
    try {
      const { ChangeMessageVisibilityCommand } = await loadSqsSdk();
      await (await this.sqs()).send(new ChangeMessageVisibilityCommand({ QueueUrl: this.sourceQueueUrl(record), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
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

  private async sendBatch(queueUrl: string, entries: { Id: string; MessageBody: string; MessageGroupId?: string; MessageDeduplicationId?: string }[], code: string, what: string): Promise<void> {
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
