import { createHash } from "node:crypto";
import type { MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import { loadSqsSdk } from "../../shared/aws";
import type { OroWebhookBody } from "../../shared/messages";

/** Message attributes the ingress sets on every forwarded webhook. */
export const WebhookAttribute = {
  topic: "WebhookTopic",
  webhookId: "WebhookId",
  messageId: "WebhookMessageId",
} as const;

/** SQS ids (group, deduplication) allow 128 printable ASCII characters. */
const SQS_ID = /^[\x21-\x7e]{1,128}$/;
/** Longest attribute value the ingress writes (headers are caller-controlled). */
const MAX_ATTRIBUTE_CHARS = 256;

const sqsId = (value: string): string => (SQS_ID.test(value) ? value : createHash("sha256").update(value).digest("hex"));
const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value.slice(0, MAX_ATTRIBUTE_CHARS) });

/**
 * FIFO ordering group: the record the event is about (`orders:42`), so events of one order stay in
 * order while different orders run in parallel; the topic when the body names no record.
 */
export const groupIdOf = (body: OroWebhookBody): string => {
  const data = (body.eventData as { data?: { type?: unknown; id?: unknown } }).data;
  const record = data && typeof data.type === "string" && (typeof data.id === "string" || typeof data.id === "number") ? `${data.type}:${data.id}` : undefined;
  return sqsId(record ?? body.topic);
};

/**
 * Sends the raw body, unchanged, to the topic's queue. Oro's `messageId` is the idempotency key:
 * on a FIFO queue it is the MessageDeduplicationId, so a redelivery within SQS's 5-minute window
 * is dropped by SQS; on a standard queue both copies are sent and the connector runtime dedups on
 * the envelope id (the webhook's messageId) through idempotent writes.
 */
export const forwardWebhook = async (sqs: SQSClient, queueUrl: string, rawBody: string, body: OroWebhookBody, webhookId: string | undefined): Promise<void> => {
  const fifo = queueUrl.endsWith(".fifo");
  // Loaded on first use, as the runtime does (shared/aws): a 401 or an ignored topic never pays for it.
  const { SendMessageCommand } = await loadSqsSdk();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: rawBody,
      MessageAttributes: {
        [WebhookAttribute.topic]: text(body.topic),
        [WebhookAttribute.messageId]: text(body.messageId),
        ...(webhookId ? { [WebhookAttribute.webhookId]: text(webhookId) } : {}),
      },
      ...(fifo ? { MessageGroupId: groupIdOf(body), MessageDeduplicationId: sqsId(body.messageId) } : {}),
    }),
  );
};
