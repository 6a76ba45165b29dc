import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type * as z from "zod/mini";
import { fifoDeduplicationId } from "../../shared/aws";
import { createEnvelope, NativeEnvelopeSchema, OroWebhookBodySchema } from "../../shared/messages";
import { parseRecordBody } from "../../shared/runtime";
import type { OpsContext } from "../context";
import { reachHint } from "../context";
import { UsageError, wrapAwsError } from "../errors";

/** Options of {@link sendMessage}. */
export interface SendOptions {
  /** Wrap a bare payload in an envelope of this message type. */
  type?: string;
  /** Envelope id of a wrapped payload (its idempotency key). Default a random UUID. */
  id?: string;
  /** FIFO queues: the message group. Default the connector type (as the runtime's fan-out). */
  groupId?: string;
  /** Validate and print the message; send nothing. */
  dryRun?: boolean;
}

/** What was (or would be) sent. */
export interface SendResult {
  integration: string;
  connector: string;
  queue: string;
  envelopeId: string;
  type: string;
  /** SQS message id; absent on a dry run. */
  messageId?: string;
  groupId?: string;
  dryRun: boolean;
  body: unknown;
}

/** Reads the message text: a file path, or `-` / nothing for stdin. */
export const readMessageSource = async (source: string | undefined, readStdin: () => Promise<string>): Promise<string> => {
  if (source === undefined || source === "-") return readStdin();
  try {
    return await readFile(source, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${source}: ${(error as Error).message}`);
  }
};

const issues = (error: z.core.$ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");

/**
 * Sends one message to a connector's queue after validating it the way the connector's runtime
 * will: JSON, the envelope schema (schemas/envelope.schema.json; a native envelope or Oro's
 * webhook body), the queue owner (integration and connector), and the connector's schema for the
 * message type. A bare payload with `type` is wrapped in an envelope (createEnvelope). FIFO
 * queues get a group id and a deduplication id from the envelope's type and id.
 *
 * @param text - the message (JSON)
 */
export const sendMessage = async (ctx: OpsContext, integration: string, connector: string, text: string, options: SendOptions = {}): Promise<SendResult> => {
  const { resolved, definition } = ctx.connector(integration, connector);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the message is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new UsageError("the message must be a JSON object (an envelope, an Oro webhook body, or a payload with --type)");
  const object = json as Record<string, unknown>;

  let body: Record<string, unknown>;
  if (options.type !== undefined) {
    if ("version" in object && "payload" in object) throw new UsageError("--type wraps a bare payload, but this is already an envelope: drop --type");
    body = createEnvelope({ id: options.id ?? randomUUID(), integration, connector, type: options.type, payload: object });
  } else if ("version" in object || "payload" in object) {
    const envelope = NativeEnvelopeSchema.safeParse(object);
    if (!envelope.success) throw new UsageError(`not a valid envelope v1 (schemas/envelope.schema.json): ${issues(envelope.error)}`);
    body = object;
  } else if ("topic" in object || "eventData" in object || "messageId" in object) {
    const webhook = OroWebhookBodySchema.safeParse(object);
    if (!webhook.success) throw new UsageError(`not a valid Oro webhook body {topic, timestamp, messageId, eventData}: ${issues(webhook.error)}`);
    body = object;
  } else {
    throw new UsageError(
      `this looks like a bare payload: give its message type with --type (${definition.type} accepts: ${Object.keys(definition.messages).join(", ")})`,
    );
  }

  const messageBody = JSON.stringify(body);
  // The runtime's own parser: what passes here is what the connector will accept.
  const parsed = parseRecordBody(messageBody, definition, { integration, connector });
  if (!parsed.ok) throw new UsageError(`the connector would reject this message: ${parsed.error.message}`);
  const meta = parsed.message.meta;
  const groupId = resolved.queue.fifo ? (options.groupId ?? connector) : undefined;
  const result: SendResult = {
    integration,
    connector,
    queue: resolved.queue.name,
    envelopeId: meta.id,
    type: meta.type,
    dryRun: options.dryRun === true,
    body,
    ...(groupId ? { groupId } : {}),
  };
  if (options.dryRun) return result;

  const queueUrl = await ctx.queueUrl(resolved.queue.name);
  try {
    const sent = await ctx.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: messageBody,
        ...(groupId ? { MessageGroupId: groupId, MessageDeduplicationId: fifoDeduplicationId(`${meta.type}:${meta.id}`) } : {}),
      }),
    );
    return { ...result, ...(sent.MessageId ? { messageId: sent.MessageId } : {}) };
  } catch (error) {
    throw wrapAwsError(error, `${ctx.sqsLabel} (SendMessage to ${resolved.queue.name})`, reachHint(ctx));
  }
};

/** Text form of a send result. */
export const formatSend = (r: SendResult): string =>
  r.dryRun
    ? `valid: ${r.type} message ${r.envelopeId} for ${r.queue} (dry run, not sent)\n${JSON.stringify(r.body, null, 2)}`
    : `sent ${r.type} message ${r.envelopeId} to ${r.queue} (SQS message id ${r.messageId ?? "?"}${r.groupId ? `, group ${r.groupId}` : ""})`;
