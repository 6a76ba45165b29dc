import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { InvokeStore, InvokeStoreBase } from "@aws/lambda-invoke-store";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { lambdaContext, type SqsLambdaHandler, toSqsRecord } from "./event-source";
import { invocationNumber, invocationTraceId, lineageHash, MAX_RECURSIVE_INVOCATIONS, parseLineage, type RecursiveLoop } from "./recursion";

/**
 * The per-invocation store Lambda's Node runtime keeps the request id and X-Ray trace id in; the
 * SDK's recursion-detection middleware reads the trace id from it. Many functions and
 * invocations share this process, so it must be the AsyncLocalStorage flavour (what the runtime
 * uses with AWS_LAMBDA_MAX_CONCURRENCY), created before the SDK's first call creates the other.
 */
const invokeStore = await InvokeStore.getInstanceAsync(true);

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsLambdaHandler;
  /** Records per invocation (ESM BatchSize; above 10 a batch is filled from several receives). @default 10 */
  batchSize?: number;
  /** How long to keep filling a batch (ESM MaximumBatchingWindowInSeconds, in ms). @default 0 */
  batchingWindowMs?: number;
  /** Concurrent invocations (ESM ScalingConfig.MaximumConcurrency). @default 2 */
  maxConcurrency?: number;
  /** The function's timeout: each invocation's context deadline. @default 30000 */
  timeoutMs?: number;
  functionName?: string;
  /** Called after each invocation (progress display, tests). */
  onInvocation?: (result: InvocationResult) => void;
  /** At-least-once delivery, as SQS may do it (proof runs): off by default. */
  duplicateDelivery?: DuplicateDelivery;
  /** The function's recursive loop detection setting (CFN `RecursiveLoop`). @default "Terminate", Lambda's default */
  recursiveLoop?: RecursiveLoop;
  /** Called for each message Lambda's loop detection stops (Terminate, 17th invocation of a chain). */
  onRecursionStopped?: (stopped: RecursionStop) => void;
}

/** A message the emulated loop detection did not deliver, and where it went. */
export interface RecursionStop {
  messageId: string;
  body: string;
  /** The invocation of the chain it would have been. */
  invocation: number;
  /** Moved to the queue's DLQ (its redrive target), or deleted when the queue has none. */
  movedTo: "dlq" | "dropped";
}

/**
 * Duplicate delivery: a record the handler processed is, at random, not deleted but made visible
 * again at once, so it is delivered once more (standard SQS queues promise at-least-once).
 */
export interface DuplicateDelivery {
  /** Probability, per processed record, that it is delivered again. */
  rate: number;
  /** Deliveries of one message at most (its `ApproximateReceiveCount`, the first included). @default 3 */
  maxDeliveries?: number;
  /** Source of [0, 1) draws (a seeded PRNG for a reproducible run). @default Math.random */
  random?: () => number;
}

export interface InvocationResult {
  received: number;
  deleted: number;
  failed: number;
  durationMs: number;
  error?: unknown;
}

export interface EventSourceMappingStats {
  invocations: number;
  received: number;
  deleted: number;
  failed: number;
  errors: number;
  inFlightInvocations: number;
  peakConcurrency: number;
  /** Processed records made visible again instead of deleted ({@link DuplicateDelivery}). */
  redelivered: number;
  /** Messages not delivered because the chain passed 16 invocations under `Terminate`. */
  recursionStopped: number;
  /** The longest chain seen: the highest invocation number of this function in any lineage. */
  longestChain: number;
}

export interface EventSourceMapping {
  stats: EventSourceMappingStats;
  /** Resolves once the queue has no visible or in-flight messages and no invocation runs (bounded by `timeoutMs`). */
  idle(options?: { timeoutMs?: number; settleMs?: number }): Promise<void>;
  /** Turns duplicate delivery on (or off with `undefined`) while running. */
  setDuplicateDelivery(duplicates: DuplicateDelivery | undefined): void;
  stop(): Promise<void>;
}

/** Pause between polls of an empty queue. */
const EMPTY_POLL_PAUSE_MS = 100;

const arnOf = (queueUrl: string) => `arn:aws:sqs:us-east-1:000000000000:${queueUrl.slice(queueUrl.lastIndexOf("/") + 1)}`;

/**
 * Emulates Lambda's SQS event source mapping for the local stack, tests and benchmarks: pollers
 * receive batches (filled up to BatchSize within the batching window), invoke the same handler
 * with a realistic event and a context whose deadline is the function timeout, delete the records
 * not reported failed, and leave failures to their visibility timeout. At most `maxConcurrency`
 * invocations run at once. A thrown error or a malformed response fails the whole batch. With
 * `duplicateDelivery`, processed records are at random made visible again instead of deleted.
 */
export const startEventSourceMapping = (options: EventSourceMappingOptions): EventSourceMapping => {
  const { sqs, queueUrl, handler } = options;
  const batchSize = options.batchSize ?? 10;
  const batchingWindowMs = options.batchingWindowMs ?? 0;
  const stats: EventSourceMappingStats = {
    invocations: 0,
    received: 0,
    deleted: 0,
    failed: 0,
    errors: 0,
    inFlightInvocations: 0,
    peakConcurrency: 0,
    redelivered: 0,
    recursionStopped: 0,
    longestChain: 0,
  };
  const functionName = options.functionName ?? "local-function";
  const recursiveLoop = options.recursiveLoop ?? "Terminate";
  const hash = lineageHash(lambdaContext(0, functionName).invokedFunctionArn);
  // A per-process store (the SDK got there first) would mix up the trace ids of concurrent invocations.
  if (invokeStore.constructor.name !== "InvokeStoreMulti") {
    throw new Error("the AWS SDK created its invoke store before local-stack/event-source-mapping was imported: import it before any SDK call");
  }
  // The SDK's middleware adds the trace header only inside a Lambda (AWS_LAMBDA_FUNCTION_NAME set).
  process.env.AWS_LAMBDA_FUNCTION_NAME ||= "local-stack";
  let duplicates = options.duplicateDelivery;
  const abort = new AbortController();
  const arn = arnOf(queueUrl);

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const result = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
      { abortSignal: abort.signal },
    );
    return result.Messages ?? [];
  };

  // Short polls with a pause when empty, not long polls: an aborted long poll stays open inside
  // fauxqs and swallows the next message sent (it goes in flight for a client that is gone).
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  const gather = async (): Promise<Message[]> => {
    const first = await receive(batchSize, 0);
    if (first.length === 0) {
      await pause(EMPTY_POLL_PAUSE_MS);
      return first;
    }
    const batch = [...first];
    const until = Date.now() + batchingWindowMs;
    while (batch.length < batchSize && Date.now() < until && !abort.signal.aborted) {
      const more = await receive(batchSize - batch.length, 0);
      if (more.length === 0) await new Promise((r) => setTimeout(r, Math.min(50, Math.max(0, until - Date.now()))));
      batch.push(...more);
    }
    return batch;
  };

  let dlqUrl: Promise<string | undefined> | undefined;
  const deadLetterQueueUrl = () =>
    (dlqUrl ??= (async () => {
      const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }))).Attributes ?? {};
      const target = attributes.RedrivePolicy ? (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn : undefined;
      if (!target) return undefined;
      return (await sqs.send(new GetQueueUrlCommand({ QueueName: target.slice(target.lastIndexOf(":") + 1) }))).QueueUrl;
    })());

  /** Lambda's loop detection under Terminate: the event is not delivered; it goes to the DLQ if the queue has one. */
  const stopRecursion = async (message: Message, invocation: number) => {
    const dlq = await deadLetterQueueUrl();
    if (dlq) {
      const trace = message.Attributes?.AWSTraceHeader;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: message.Body ?? "",
          ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0 ? { MessageAttributes: message.MessageAttributes } : {}),
          ...(trace ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: trace } } } : {}),
          ...(message.Attributes?.MessageGroupId ? { MessageGroupId: message.Attributes.MessageGroupId, MessageDeduplicationId: message.MessageId } : {}),
        }),
      );
    }
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle as string }));
    stats.recursionStopped++;
    options.onRecursionStopped?.({ messageId: message.MessageId as string, body: message.Body ?? "", invocation, movedTo: dlq ? "dlq" : "dropped" });
  };

  const invoke = async (received: Message[]) => {
    const positions = new Map(received.map((m) => [m, invocationNumber(parseLineage(m.Attributes?.AWSTraceHeader), hash)]));
    stats.longestChain = Math.max(stats.longestChain, ...positions.values());
    const stopped = recursiveLoop === "Terminate" ? received.filter((m) => (positions.get(m) ?? 1) > MAX_RECURSIVE_INVOCATIONS) : [];
    for (const message of stopped) await stopRecursion(message, positions.get(message) ?? 0);
    const messages = stopped.length > 0 ? received.filter((m) => !stopped.includes(m)) : received;
    if (messages.length === 0) return;
    const started = Date.now();
    stats.invocations++;
    stats.inFlightInvocations++;
    stats.peakConcurrency = Math.max(stats.peakConcurrency, stats.inFlightInvocations);
    stats.received += messages.length;
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, arn)) };
    let failed: Set<string>;
    let error: unknown;
    const context = lambdaContext(options.timeoutMs ?? 30_000, functionName);
    const { traceId } = invocationTraceId(
      messages.map((m) => m.Attributes?.AWSTraceHeader),
      hash,
    );
    try {
      // The invocation's request id and trace id, where Lambda's runtime puts them.
      const invocationContext = { [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId, [InvokeStoreBase.PROTECTED_KEYS.X_RAY_TRACE_ID]: traceId };
      const response = (await invokeStore.run(invocationContext, () => handler(event, context))) as SQSBatchResponse | undefined;
      const items = response?.batchItemFailures ?? [];
      failed = items.some((item) => !item?.itemIdentifier) ? new Set(messages.map((m) => m.MessageId as string)) : new Set(items.map((i) => i.itemIdentifier));
    } catch (caught) {
      error = caught;
      stats.errors++;
      failed = new Set(messages.map((m) => m.MessageId as string));
    }
    const processed = messages.filter((m) => !failed.has(m.MessageId as string));
    const again = duplicates ? processed.filter((m) => redeliver(m, duplicates as DuplicateDelivery)) : [];
    const done = again.length > 0 ? processed.filter((m) => !again.includes(m)) : processed;
    const entries = (list: Message[], i: number) => list.slice(i, i + 10).map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle as string }));
    for (let i = 0; i < done.length; i += 10) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(done, i) }));
    for (let i = 0; i < again.length; i += 10) {
      await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries(again, i).map((e) => ({ ...e, VisibilityTimeout: 0 })) }));
    }
    stats.deleted += done.length;
    stats.redelivered += again.length;
    stats.failed += failed.size;
    stats.inFlightInvocations--;
    options.onInvocation?.({
      received: messages.length,
      deleted: done.length,
      failed: failed.size,
      durationMs: Date.now() - started,
      ...(error ? { error } : {}),
    });
  };

  const redeliver = (message: Message, d: DuplicateDelivery) =>
    Number(message.Attributes?.ApproximateReceiveCount ?? 1) < (d.maxDeliveries ?? 3) && (d.random ?? Math.random)() < d.rate;

  const poller = async () => {
    while (!abort.signal.aborted) {
      try {
        const messages = await gather();
        if (messages.length > 0) await invoke(messages);
      } catch (error) {
        if (abort.signal.aborted) return;
        // A receive that fails (emulator restarting) is retried after a pause, like Lambda's pollers.
        stats.errors++;
        void error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const pollers = Array.from({ length: Math.max(1, options.maxConcurrency ?? 2) }, poller);

  return {
    stats,
    async idle({ timeoutMs = 60_000, settleMs = 300 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let quietSince: number | undefined;
      while (Date.now() < deadline) {
        const attributes =
          (
            await sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl: queueUrl,
                AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
              }),
            )
          ).Attributes ?? {};
        const pending =
          Number(attributes.ApproximateNumberOfMessages ?? 0) +
          Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
          Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
        if (pending === 0 && stats.inFlightInvocations === 0) {
          quietSince ??= Date.now();
          if (Date.now() - quietSince >= settleMs) return;
        } else quietSince = undefined;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`queue ${queueUrl} did not drain within ${timeoutMs} ms (stats: ${JSON.stringify(stats)})`);
    },
    setDuplicateDelivery(next) {
      duplicates = next;
    },
    async stop() {
      abort.abort();
      await Promise.allSettled(pollers);
    },
  };
};
