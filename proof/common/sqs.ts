import {
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * SQS's limits as AWS documents them (and fauxqs 2.x enforces the size one): a message, body plus
 * attribute names, types and values, is at most 1 MiB (it was 256 KiB until 2025).
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
export const SQS_OLD_MAX_MESSAGE_BYTES = 262_144;
/** Characters SQS accepts in a body or a string attribute (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF). */
// eslint-disable-next-line no-control-regex -- the allowed set is defined by its control characters
const SQS_INVALID_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** True when real SQS would accept the text as a body or a string attribute value. */
export const isSqsText = (text: string): boolean => !SQS_INVALID_CHAR.test(text);

/** Size SQS counts for a message: body + each attribute's name, data type and value (UTF-8 bytes). */
export const sqsMessageBytes = (body: string, attributes: Record<string, MessageAttributeValue> = {}): number =>
  Buffer.byteLength(body, "utf8") +
  Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "") + Buffer.byteLength(value.StringValue ?? "") + (value.BinaryValue?.length ?? 0),
    0,
  );

export interface SendOutcome {
  /** SQS message id per body index; undefined when SQS refused the body. */
  ids: (string | undefined)[];
  /** Refusal (error name + message) per body index. */
  refused: Map<number, string>;
}

/**
 * Sends bodies to a queue: SendMessageBatch (10 at a time, under the batch size limit), and one by
 * one for a batch entry SQS refused, so a refusal is attributed to its own body.
 */
export const sendBodies = async (sqs: SQSClient, queueUrl: string, bodies: readonly string[], options: { concurrency?: number } = {}): Promise<SendOutcome> => {
  const ids: (string | undefined)[] = new Array(bodies.length).fill(undefined);
  const refused = new Map<number, string>();
  const sendOne = async (index: number) => {
    try {
      ids[index] = (await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodies[index] as string }))).MessageId;
    } catch (error) {
      refused.set(index, `${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`);
    }
  };
  // Batches of small bodies; big ones (and failed batch entries) alone.
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  const singles: number[] = [];
  bodies.forEach((body, index) => {
    const size = Buffer.byteLength(body, "utf8");
    // Big bodies alone; an empty one too (SendMessageBatch in fauxqs takes it, AWS refuses it everywhere).
    if (size > 64 * 1024 || size === 0) return void singles.push(index);
    if (current.length === 10 || bytes + size > 512 * 1024) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  const work: (() => Promise<void>)[] = [
    ...batches.map((batch) => async () => {
      try {
        const result = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((index, n) => ({ Id: String(n), MessageBody: bodies[index] as string })) }),
        );
        for (const ok of result.Successful ?? []) ids[batch[Number(ok.Id)] as number] = ok.MessageId;
        for (const failed of result.Failed ?? []) await sendOne(batch[Number(failed.Id)] as number);
      } catch {
        // The whole request refused (e.g. one entry's characters): each body on its own.
        for (const index of batch) await sendOne(index);
      }
    }),
    ...singles.map((index) => () => sendOne(index)),
  ];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? 8) }, async () => {
      while (next < work.length) await (work[next++] as () => Promise<void>)();
    }),
  );
  return { ids, refused };
};

/**
 * Receives every visible message of a queue and keeps it in flight (not deleted): for reading a
 * DLQ or an alerts queue at the end of a run. Bounded by `maxMessages` and `timeoutMs`.
 */
export const receiveAll = async (
  sqs: SQSClient,
  queueUrl: string,
  options: { maxMessages?: number; timeoutMs?: number; visibilitySeconds?: number } = {},
): Promise<Message[]> => {
  const all: Message[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const max = options.maxMessages ?? 100_000;
  let empty = 0;
  while (all.length < max && Date.now() < deadline && empty < 2) {
    const batch = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: options.visibilitySeconds ?? 600,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    if (!batch.Messages?.length) empty++;
    else {
      empty = 0;
      all.push(...batch.Messages);
    }
  }
  return all;
};
