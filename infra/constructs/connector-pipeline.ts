import { Duration, RemovalPolicy, Stack, TimeZone } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DLQ_RETENTION_DAYS } from "../config/defaults";
import type { ResolvedConnector } from "../config/resolve";
import type { ConnectorPlan } from "../plan";
import { renderEnvironment, SCHEDULED_TIME } from "../plan";
import { acknowledge } from "../nag";
import { alarmAbove } from "./alarm";
import { QueueConsumer } from "./queue-consumer";
import { grantSecretsKeyDecrypt, secretArnByName } from "./secret-access";
import type { StateTable } from "./state-table";
import { RUN_KIND } from "../../shared/ledger/model";

/** Re-exported: callers import it from here. */
export { secretArnByName };

/** Props of {@link ConnectorPipeline}. */
export interface ConnectorPipelineProps {
  /** The connector's part of the deployment plan (infra/plan): queues, function, environment, schedule. */
  readonly plan: ConnectorPlan;
  /** Where the runtime sends failure and recovery events (the plan's alerts queue). */
  readonly alertsQueue: sqs.IQueue;
  readonly alertsQueueName: string;
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  /** The state table: the runtime keeps the connector's run ledger in it (`run#` items only). */
  readonly stateTable: StateTable;
}

/** Scheduler retry policy: SQS rarely refuses a send, so a few retries over an hour suffice before the schedule's DLQ. */
const SCHEDULE_RETRY_ATTEMPTS = 20;
const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

/**
 * Everything one connector of one integration needs: its queue, DLQ, function, event source
 * mapping and alarms ({@link QueueConsumer}), the runtime's environment, a least-privilege role
 * (its queue, DLQ and the alerts queue; its two secrets by name), and, for a scheduled connector,
 * an EventBridge Scheduler schedule that sends the window envelope straight to the queue, with a
 * retry policy and a DLQ of its own.
 */
export class ConnectorPipeline extends Construct {
  /** The connector as resolved from the config. */
  public readonly connector: ResolvedConnector;
  public readonly consumer: QueueConsumer;
  public readonly schedule: scheduler.Schedule | undefined;
  /** Receives schedule deliveries that failed every retry. */
  public readonly scheduleDeadLetterQueue: sqs.Queue | undefined;

  public constructor(scope: Construct, id: string, props: ConnectorPipelineProps) {
    super(scope, id);
    const { plan } = props;
    const c = plan.resolved;
    this.connector = c;
    const displayName = `${c.integration}/${c.connector}`;

    this.consumer = new QueueConsumer(this, "Consumer", {
      displayName,
      queue: c.queue,
      dlq: c.dlq,
      maxReceiveCount: c.maxReceiveCount,
      entry: plan.function.entry,
      timeoutSeconds: plan.function.timeoutSeconds,
      memoryMb: plan.function.memoryMb,
      recursiveLoop: plan.function.recursiveLoop,
      batchSize: plan.eventSource.batchSize,
      batchingWindowSeconds: plan.eventSource.batchingWindowSeconds,
      maxConcurrency: plan.eventSource.maxConcurrency,
      logRetentionDays: props.logRetentionDays,
      alarmTopic: props.alarmTopic,
      oldestMessageAgeAlarmMinutes: c.oldestMessageAgeAlarmMinutes,
      vpc: plan.function.vpc,
      environment: {}, // set below: the queue URLs exist only once the consumer does
    });
    const { queue, deadLetterQueue, function: fn, role } = this.consumer;

    const urls = new Map([
      [plan.queue.name, queue.queueUrl],
      [plan.dlq.name, deadLetterQueue.queueUrl],
      [props.alertsQueueName, props.alertsQueue.queueUrl],
    ]);
    const environment = renderEnvironment(
      plan.function.environment,
      (name) => {
        const url = urls.get(name);
        if (url === undefined) throw new Error(`${displayName}: the plan names queue ${name}, which this pipeline does not know`);
        return url;
      },
      JSON.stringify,
      () => props.stateTable.table.tableName,
    );
    for (const [key, value] of Object.entries(environment)) fn.addEnvironment(key, value);

    // The run ledger: conditional puts and updates of `run#` items, the GetItem of a run's revision and the Query that re-counts it (shared/ledger).
    props.stateTable.grantKind(role, RUN_KIND, ["GetItem", "PutItem", "UpdateItem", "Query"]);
    // Fan-out and continuation messages go back onto the connector's own queue.
    queue.grantSendMessages(role);
    props.alertsQueue.grantSendMessages(role);
    // Only the two secrets this connector reads, by name (the ARN ends in a random 6-character
    // suffix); GetSecretValue only: the runtime caches with a TTL and refetches after a 401.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "ReadOwnSecrets",
        actions: ["secretsmanager:GetSecretValue"],
        resources: [secretArnByName(this, c.integrationSecretName), secretArnByName(this, c.oroSecretName)],
      }),
    );
    grantSecretsKeyDecrypt(this, role, [c.integrationSecretName, c.oroSecretName], c.secretsKmsKeyArns);

    const schedule = plan.schedule;
    if (schedule && c.schedule) {
      this.scheduleDeadLetterQueue = new sqs.Queue(this, "ScheduleDeadLetterQueue", {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        this.scheduleDeadLetterQueue,
        "AwsSolutions-SQS3",
        "This queue is the EventBridge Scheduler dead-letter queue of the schedule; a DLQ needs no DLQ of its own.",
      );

      // A role per schedule, so it can send to this queue only (the scheduler-targets default role is shared).
      const scheduleRole = new iam.Role(this, "ScheduleRole", {
        assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
          conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
        }),
        description: `EventBridge Scheduler role of ${displayName}: sends its window message`,
      });
      // The plan's envelope holds `<aws.scheduler.scheduled-time>` where EventBridge puts the fire time.
      if (scheduler.ContextAttribute.scheduledTime.toString() !== SCHEDULED_TIME)
        throw new Error(`EventBridge Scheduler's scheduled-time attribute is not ${SCHEDULED_TIME}`);
      this.schedule = new scheduler.Schedule(this, "Schedule", {
        description: `${displayName}: ${c.schedule.messageType} message ${c.schedule.expression}`,
        schedule: scheduler.ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timeZone)),
        // OFF: the scheduled time is the window's end and the idempotency key; it must be exact.
        timeWindow: scheduler.TimeWindow.off(),
        target: new targets.SqsSendMessage(queue, {
          role: scheduleRole,
          input: scheduler.ScheduleTargetInput.fromObject(schedule.envelope),
          messageGroupId: schedule.messageGroupId,
          deadLetterQueue: this.scheduleDeadLetterQueue,
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        }),
      });

      alarmAbove(this, "ScheduleDeadLetterAlarm", {
        metric: this.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        description: `${displayName}: the schedule could not deliver a window message (replay it from the schedule DLQ)`,
        topic: props.alarmTopic,
      });
    }
  }
}
