import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import type { OpsContext } from "./context";
import { reachHint } from "./context";
import { wrapAwsError } from "./errors";

/** ReceiveMessage and the batch calls take at most 10 messages. */
export const SQS_BATCH_LIMIT = 10;

/** Receives up to `max` (<= 10) messages with every attribute, hidden for `visibilitySeconds`. */
export const receive = async (
  ctx: OpsContext,
  queueUrl: string,
  options: { max: number; visibilitySeconds: number; waitSeconds: number },
): Promise<Message[]> => {
  try {
    const result = await ctx.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_BATCH_LIMIT, options.max)),
        VisibilityTimeout: options.visibilitySeconds,
        WaitTimeSeconds: options.waitSeconds,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    return result.Messages ?? [];
  } catch (error) {
    throw wrapAwsError(error, ctx.sqsLabel, reachHint(ctx));
  }
};

/**
 * Makes received messages visible again at once (visibility 0). Returns how many SQS refused
 * (they come back by themselves when their visibility timeout ends).
 */
export const release = async (ctx: OpsContext, queueUrl: string, messages: readonly Message[]): Promise<number> => {
  let failed = 0;
  for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
    const chunk = messages.slice(i, i + SQS_BATCH_LIMIT);
    try {
      const result = await ctx.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle as string, VisibilityTimeout: 0 })),
        }),
      );
      failed += result.Failed?.length ?? 0;
    } catch {
      failed += chunk.length;
    }
  }
  return failed;
};

/** Queue depth counters (GetQueueAttributes). */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** The queue's approximate message counts. */
export const queueDepth = async (ctx: OpsContext, queueUrl: string): Promise<QueueDepth> => {
  try {
    const result = await ctx.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      }),
    );
    const n = (name: "ApproximateNumberOfMessages" | "ApproximateNumberOfMessagesNotVisible" | "ApproximateNumberOfMessagesDelayed") =>
      Number(result.Attributes?.[name] ?? 0) || 0;
    return {
      visible: n("ApproximateNumberOfMessages"),
      inFlight: n("ApproximateNumberOfMessagesNotVisible"),
      delayed: n("ApproximateNumberOfMessagesDelayed"),
    };
  } catch (error) {
    throw wrapAwsError(error, ctx.sqsLabel, reachHint(ctx));
  }
};
