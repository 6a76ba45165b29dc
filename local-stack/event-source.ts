import { DeleteMessageBatchCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

/** A Lambda handler as the runtime builds it (middy returns a callable with this shape). */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsLambdaHandler;
  /** Records per invocation (ESM BatchSize). @default 10 */
  batchSize?: number;
  /** Long-poll wait (s). @default 0 */
  waitTimeSeconds?: number;
  /** The function's timeout; the context's deadline. @default 30000 */
  timeoutMs?: number;
  functionName?: string;
}

export interface PollResult {
  received: number;
  deleted: number;
  /** messageIds reported failed (or every id when the handler threw). */
  failed: string[];
  response: SQSBatchResponse | void;
  error?: unknown;
}

const arnCache = new Map<string, string>();

const queueArn = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const cached = arnCache.get(queueUrl);
  if (cached) return cached;
  const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  const arn = result.Attributes?.QueueArn ?? `arn:aws:sqs:us-east-1:000000000000:${queueUrl.slice(queueUrl.lastIndexOf("/") + 1)}`;
  arnCache.set(queueUrl, arn);
  return arn;
};

/** Converts an SDK message to the record shape Lambda's SQS event source delivers. */
export const toSqsRecord = (message: Message, eventSourceARN: string): SQSRecord => ({
  messageId: message.MessageId as string,
  receiptHandle: message.ReceiptHandle as string,
  body: message.Body ?? "",
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: String(Date.now()),
    SenderId: "local",
    ApproximateFirstReceiveTimestamp: String(Date.now()),
    ...(message.Attributes ?? {}),
  } as SQSRecord["attributes"],
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? "String",
        stringValue: value.StringValue,
        binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString("base64") : undefined,
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ) as SQSRecord["messageAttributes"],
  md5OfBody: message.MD5OfBody ?? "",
  eventSource: "aws:sqs",
  eventSourceARN,
  awsRegion: eventSourceARN.split(":")[3] ?? "us-east-1",
});

/** A Lambda context whose deadline is `timeoutMs` from now. */
export const lambdaContext = (timeoutMs: number, functionName = "local-function"): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/**
 * One poll of Lambda's SQS event source mapping: receive a batch, invoke the handler, delete the
 * records not reported in `batchItemFailures`, leave the rest to their visibility timeout. A
 * thrown error or a malformed response fails the whole batch, as Lambda does.
 */
export const pollOnce = async (options: PollOptions): Promise<PollResult> => {
  const { sqs, queueUrl, handler } = options;
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(options.batchSize ?? 10, 10),
      WaitTimeSeconds: options.waitTimeSeconds ?? 0,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return { received: 0, deleted: 0, failed: [], response: undefined };
  const arn = await queueArn(sqs, queueUrl);
  const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, arn)) };
  let response: SQSBatchResponse | void = undefined;
  let failed: Set<string>;
  let error: unknown;
  try {
    response = await handler(event, lambdaContext(options.timeoutMs ?? 30_000, options.functionName));
    const items = response?.batchItemFailures ?? [];
    // Lambda treats an empty or missing itemIdentifier as a failure of the whole batch.
    failed = items.some((item) => !item?.itemIdentifier)
      ? new Set(messages.map((m) => m.MessageId as string))
      : new Set(items.map((item) => item.itemIdentifier));
  } catch (caught) {
    error = caught;
    failed = new Set(messages.map((m) => m.MessageId as string));
  }
  const done = messages.filter((m) => !failed.has(m.MessageId as string));
  for (let i = 0; i < done.length; i += 10) {
    const chunk = done.slice(i, i + 10);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  }
  return { received: messages.length, deleted: done.length, failed: [...failed], response, ...(error ? { error } : {}) };
};
