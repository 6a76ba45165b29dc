import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as iam from "aws-cdk-lib/aws-iam";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { VISIBILITY_TIMEOUT_FACTOR } from "../config/defaults";
import type { ResolvedQueue } from "../config/resolve";
import type { VpcPlacement } from "../config/schema";
import { Acks, acknowledge } from "../nag";
import { alarmAbove } from "./alarm";
import { ProjectFunction } from "./function-defaults";

/** Props of {@link QueueConsumer}. */
export interface QueueConsumerProps {
  /** Name used in error messages and descriptions, e.g. `akeneo-main/akeneo-products`. */
  readonly displayName: string;
  /** Source queue attributes (name, FIFO, visibility timeout, retention). */
  readonly queue: ResolvedQueue;
  /** DLQ attributes; must match the source's FIFO-ness. */
  readonly dlq: ResolvedQueue;
  /** Receives before SQS moves a message to the DLQ. */
  readonly maxReceiveCount: number;
  /** Absolute path of the function's TypeScript entry. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The function's recursive loop detection (ResolvedConnector.recursiveLoop). */
  readonly recursiveLoop?: "Allow" | "Terminate";
  /** Records per invocation: 1-10 on FIFO, 1-10,000 on standard queues. */
  readonly batchSize: number;
  /** Seconds the ESM gathers records; standard queues only, >= 1 when batchSize > 10. */
  readonly batchingWindowSeconds: number;
  /** ESM maximum concurrency, 2-1000. */
  readonly maxConcurrency: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** Topic every alarm of this consumer notifies (ALARM and OK). */
  readonly alarmTopic: sns.ITopic;
  /** Threshold of the source queue's oldest-message-age alarm. */
  readonly oldestMessageAgeAlarmMinutes: number;
  /** Subnets and security groups of the function. @default not in a VPC */
  readonly vpc?: VpcPlacement;
}

/**
 * One SQS-fed Lambda, the pattern every connector and the notifier share: an encrypted, TLS-only
 * queue with a DLQ (redrive by maxReceiveCount; the DLQ accepts redrive only from this queue),
 * a function with a role of its own that may consume the queue (ESM with partial batch
 * responses, a concurrency cap), and alarms on the DLQ, the queue's oldest message, function
 * errors and throttles.
 *
 * Encryption is SSE-SQS (SQS-managed keys): at rest like KMS, but with no key to pay for, no
 * KMS request quota at high message rates, and no `kms:*` grants on every producer and
 * consumer (the scheduler, the ingress, the Oro producer role). A customer-managed key would
 * only add key-policy control and CloudTrail records of key use.
 *
 * Props are checked up front and every problem is reported in one error.
 */
export class QueueConsumer extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly alarms: cloudwatch.Alarm[] = [];

  public constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    QueueConsumer.validate(props);
    const fifo = props.queue.fifo;

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      queueName: props.dlq.name,
      fifo: fifo || undefined,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(props.dlq.retentionDays),
      // Queues go with the stack: a retained queue keeps its name and would block the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      queueName: props.queue.name,
      fifo: fifo || undefined,
      // Messages carry their own deduplication ids; only a scheduled FIFO queue needs content-based
      // dedup, because EventBridge Scheduler cannot set one (its window bodies differ per run).
      contentBasedDeduplication: fifo ? props.queue.contentBasedDeduplication : undefined,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.queue.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(props.queue.retentionDays),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Redrive allow policy "byQueue": only this queue may use the DLQ. Its ARN is built from the
    // (fixed) name: a reference to the queue resource would close a cycle, since the queue's
    // redrive policy already references the DLQ.
    (this.deadLetterQueue.node.defaultChild as sqs.CfnQueue).redriveAllowPolicy = {
      redrivePermission: "byQueue",
      sourceQueueArns: [Stack.of(this).formatArn({ service: "sqs", resource: props.queue.name })],
    };

    const fn = new ProjectFunction(this, "Handler", {
      entry: props.entry,
      description: props.displayName,
      timeoutSeconds: props.timeoutSeconds,
      memoryMb: props.memoryMb,
      ...(props.recursiveLoop ? { recursiveLoop: props.recursiveLoop } : {}),
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      vpc: props.vpc,
    });
    this.function = fn.function;
    this.role = fn.role;
    this.logGroup = fn.logGroup;
    acknowledge(this.role, Acks.xray.id, Acks.xray.reason);

    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize,
        maxBatchingWindow: fifo || props.batchingWindowSeconds === 0 ? undefined : Duration.seconds(props.batchingWindowSeconds),
        maxConcurrency: props.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // The ESM's consume grant includes sqs:ChangeMessageVisibility, which the runtime's backoff
    // uses. Permanent failures are dead-lettered by the runtime itself (with the error as
    // attributes) instead of waiting for maxReceiveCount, hence the DLQ send grant.
    this.deadLetterQueue.grantSendMessages(this.role);

    this.addAlarms(props);
  }

  private addAlarms(props: QueueConsumerProps): void {
    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = alarmAbove(this, id, { metric, threshold, description: `${props.displayName}: ${description}`, topic: props.alarmTopic });
      this.alarms.push(created);
      return created;
    };
    // Visible, not NumberOfMessagesSent: SQS's own moves into a DLQ do not count as sends.
    alarm(
      "DeadLetterAlarm",
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      0,
      "messages in the dead-letter queue (inspect, fix, redrive)",
    );
    alarm(
      "OldestMessageAlarm",
      this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      props.oldestMessageAgeAlarmMinutes * 60,
      `oldest message older than ${props.oldestMessageAgeAlarmMinutes} min (consumer stuck or too slow)`,
    );
    alarm(
      "ErrorsAlarm",
      this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      0,
      "function errors (whole batches failed)",
    );
    alarm("ThrottlesAlarm", this.function.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), 0, "function throttled");
  }

  /** Checks the props; throws one error listing every problem. */
  public static validate(props: QueueConsumerProps): void {
    const problems: string[] = [];
    const name = props.displayName;
    const minVisibility = props.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR;
    if (props.queue.visibilityTimeoutSeconds < minVisibility) {
      problems.push(
        `${name}: queue visibility timeout ${props.queue.visibilityTimeoutSeconds} s must be at least ${VISIBILITY_TIMEOUT_FACTOR} x the function timeout ${props.timeoutSeconds} s = ${minVisibility} s`,
      );
    }
    if (props.queue.fifo !== props.dlq.fifo) problems.push(`${name}: the DLQ must be FIFO exactly when the queue is`);
    if (props.queue.fifo && props.batchSize > 10) problems.push(`${name}: FIFO batch size ${props.batchSize} exceeds 10`);
    if (props.queue.fifo && props.batchingWindowSeconds > 0) problems.push(`${name}: FIFO takes no batching window (got ${props.batchingWindowSeconds} s)`);
    if (!props.queue.fifo && props.batchSize > 10 && props.batchingWindowSeconds < 1) {
      problems.push(`${name}: batch size ${props.batchSize} > 10 needs a batching window >= 1 s`);
    }
    if (props.maxConcurrency < 2 || props.maxConcurrency > 1000) problems.push(`${name}: max concurrency ${props.maxConcurrency} is outside 2-1000`);
    if (props.dlq.retentionDays <= props.queue.retentionDays && !props.queue.fifo) {
      problems.push(
        `${name}: DLQ retention ${props.dlq.retentionDays} d must exceed the source's ${props.queue.retentionDays} d (a standard DLQ keeps the original enqueue time)`,
      );
    }
    if (problems.length) throw new Error(`Invalid queue consumer:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}
