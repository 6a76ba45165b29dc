import { CfnOutput, Stack } from "aws-cdk-lib";
import type { StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { connectorMetricDimensions } from "../shared/observability/service-name";
import { loadDeployConfig } from "./config/load";
import type { ConnectorRegistry } from "./config/registry";
import type { DeployConfig } from "./config/schema";
import { AlarmTopic } from "./constructs/alarm-topic";
import { ConnectorPipeline, secretArnByName } from "./constructs/connector-pipeline";
import { OperationsDashboard } from "./constructs/dashboard";
import { OroProducerRole } from "./constructs/oro-producer-role";
import { QueueConsumer } from "./constructs/queue-consumer";
import { StateTable } from "./constructs/state-table";
import { ALERT_STATE_KIND } from "../functions/notifier/alert-lease";
import { grantSecretsKeyDecrypt } from "./constructs/secret-access";
import { WebhookIngress } from "./constructs/webhook-ingress";
import { deploymentPlan, NOTIFIER_SERVICE_NAME, renderEnvironment } from "./plan";

/** Props of {@link OroConnectorsStack}. */
export interface OroConnectorsStackProps extends StackProps {
  /** The deploy config; checked again here against `registry`, so an unchecked config cannot deploy. */
  readonly config: DeployConfig;
  /** The connectors the config may enable (the app passes functions/registry.ts). */
  readonly registry: ConnectorRegistry;
  /** Where the config came from, for error messages. @default "object" */
  readonly configSource?: string;
  /** Entry of the notifier Lambda. @default `<repo>/functions/notifier/handler.ts` */
  readonly notifierEntry?: string;
  /** Entry of the webhook ingress Lambda. @default `<repo>/functions/webhook-ingress/handler.ts` */
  readonly webhookIngressEntry?: string;
}

/** `akeneo-main` + `akeneo-products` -> `AkeneoMainAkeneoProducts`, for output ids. */
const pascal = (...parts: string[]): string =>
  parts
    .join("-")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");

/**
 * The whole deployment, derived from the registry and the deploy config: per enabled connector a
 * {@link ConnectorPipeline}; shared: the alerts queue and notifier, the alarm topic, the webhook
 * ingress (when the config has `webhook`), the Oro producer role (when it names a principal and
 * some connector accepts Oro topics), and outputs for every queue URL, DLQ URL, the Function URL
 * and the alarm topic. Enabling a connector in the config is all it takes to deploy it.
 */
export class OroConnectorsStack extends Stack {
  /** Pipelines by `<integration>/<connector>`. */
  public readonly pipelines: ReadonlyMap<string, ConnectorPipeline>;
  public readonly notifier: QueueConsumer;
  public readonly alarmTopic: AlarmTopic;
  public readonly webhookIngress: WebhookIngress | undefined;
  public readonly oroProducerRole: OroProducerRole | undefined;
  /** The state table (shared/state): run ledger, the notifier's alert-key leases, ingress replay dedup. */
  public readonly stateTable: StateTable;
  public readonly dashboard: OperationsDashboard;

  public constructor(scope: Construct, id: string, props: OroConnectorsStackProps) {
    super(scope, id, { description: "Oro connectors: SQS-fed Lambda connectors between OroCommerce and PIM/ERP systems", ...props });
    const config = loadDeployConfig(props.config, props.registry);
    // The plan (infra/plan) is what this stack and the local stack both render.
    const plan = deploymentPlan(config, props.registry, {
      ...(props.notifierEntry ? { notifierEntry: props.notifierEntry } : {}),
      ...(props.webhookIngressEntry ? { webhookIngressEntry: props.webhookIngressEntry } : {}),
    });
    const { shared } = plan;
    const metricsNamespace = plan.metricsNamespace;

    this.alarmTopic = new AlarmTopic(this, "Alarms", { email: config.alarmEmail });
    const topic = this.alarmTopic.topic;

    this.notifier = new QueueConsumer(this, "Notifier", {
      displayName: "notifier",
      queue: plan.notifier.queue,
      dlq: plan.notifier.dlq,
      maxReceiveCount: plan.notifier.maxReceiveCount,
      entry: plan.notifier.function.entry,
      timeoutSeconds: plan.notifier.function.timeoutSeconds,
      memoryMb: plan.notifier.function.memoryMb,
      batchSize: plan.notifier.eventSource.batchSize,
      batchingWindowSeconds: plan.notifier.eventSource.batchingWindowSeconds,
      maxConcurrency: plan.notifier.eventSource.maxConcurrency,
      logRetentionDays: shared.logRetentionDays,
      alarmTopic: topic,
      oldestMessageAgeAlarmMinutes: 15,
      environment: {},
    });
    const alertsQueue = this.notifier.queue;
    const alertsUrls = new Map([
      [plan.notifier.queue.name, alertsQueue.queueUrl],
      [plan.notifier.dlq.name, this.notifier.deadLetterQueue.queueUrl],
    ]);
    // The state table: the run ledger (`run`), the notifier's alert-key leases (`alert`), the ingress's replay dedup.
    this.stateTable = new StateTable(this, "State", { tableName: plan.stateTable.name });
    const stateTable = this.stateTable;
    const notifierEnv = renderEnvironment(
      plan.notifier.function.environment,
      (name) => alertsUrls.get(name) ?? alertsQueue.queueUrl,
      JSON.stringify,
      () => stateTable.table.tableName,
    );
    stateTable.grantKind(this.notifier.role, ALERT_STATE_KIND, ["UpdateItem"]);
    for (const [key, value] of Object.entries(notifierEnv)) this.notifier.function.addEnvironment(key, value);
    this.notifier.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: "ReadOroSecret", actions: ["secretsmanager:GetSecretValue"], resources: [secretArnByName(this, config.oroSecretName)] }),
    );
    grantSecretsKeyDecrypt(this, this.notifier.role, [config.oroSecretName], shared.secretsKmsKeyArns);

    const pipelines = new Map<string, ConnectorPipeline>();
    for (const connectorPlan of plan.connectors) {
      const connector = connectorPlan.resolved;
      const key = `${connector.integration}/${connector.connector}`;
      const pipeline = new ConnectorPipeline(this, pascal(connector.integration, connector.connector), {
        plan: connectorPlan,
        alertsQueue,
        alertsQueueName: plan.notifier.queue.name,
        alarmTopic: topic,
        logRetentionDays: shared.logRetentionDays,
        stateTable: this.stateTable,
      });
      pipelines.set(key, pipeline);
      const outputId = pascal(connector.integration, connector.connector);
      new CfnOutput(this, `${outputId}QueueUrl`, { value: pipeline.consumer.queue.queueUrl, description: `${key} queue` });
      new CfnOutput(this, `${outputId}DeadLetterQueueUrl`, { value: pipeline.consumer.deadLetterQueue.queueUrl, description: `${key} dead-letter queue` });
      if (pipeline.scheduleDeadLetterQueue) {
        new CfnOutput(this, `${outputId}ScheduleDeadLetterQueueUrl`, {
          value: pipeline.scheduleDeadLetterQueue.queueUrl,
          description: `${key} schedule dead-letter queue`,
        });
      }
    }
    this.pipelines = pipelines;

    const queueOf = (integration: string, connector: string): sqs.IQueue => {
      const pipeline = pipelines.get(`${integration}/${connector}`);
      if (!pipeline) throw new Error(`no pipeline for ${integration}/${connector}`); // loadDeployConfig rules this out
      return pipeline.consumer.queue;
    };

    if (config.webhook && plan.ingress) {
      const queuesByName = new Map([...pipelines.values()].map((p) => [p.connector.queue.name, p.consumer.queue] as const));
      this.webhookIngress = new WebhookIngress(this, "WebhookIngress", {
        plan: plan.ingress,
        queueOf: (name) => {
          const queue = queuesByName.get(name);
          if (!queue) throw new Error(`no pipeline has queue ${name}`); // the plan routes only to deployed connectors
          return queue;
        },
        alarmTopic: topic,
        logRetentionDays: shared.logRetentionDays,
        stateTable: this.stateTable,
      });
      // Here, not in WebhookIngress: the KMS grant is the stack's concern for every secret reader.
      if (this.webhookIngress.function.role)
        grantSecretsKeyDecrypt(this, this.webhookIngress.function.role, [config.webhook.secretName], shared.secretsKmsKeyArns);
      new CfnOutput(this, "WebhookUrl", { value: this.webhookIngress.functionUrl.url, description: "notificationUrl of the Oro webhooks" });
    }

    const oroQueues = plan.connectors
      .map((c) => c.resolved)
      .filter((c) => c.oroTopics.length > 0)
      .map((c) => queueOf(c.integration, c.connector));
    if (config.oroProducerPrincipalArn && config.oroProducerExternalId && oroQueues.length > 0) {
      this.oroProducerRole = new OroProducerRole(this, "OroProducer", {
        principalArn: config.oroProducerPrincipalArn,
        externalId: config.oroProducerExternalId,
        queues: oroQueues,
      });
      new CfnOutput(this, "OroProducerRoleArn", {
        value: this.oroProducerRole.role.roleArn,
        description: "role Oro-side producers assume to send to connector queues",
      });
    }

    this.dashboard = new OperationsDashboard(this, "Operations", {
      dashboardName: shared.stackName,
      namespace: metricsNamespace,
      connectors: [...pipelines.values()].map((p) => ({
        title: `${p.connector.integration}/${p.connector.connector}`,
        dimensions: connectorMetricDimensions(p.connector.integration, p.connector.connector),
        queue: p.consumer.queue,
        deadLetterQueue: p.consumer.deadLetterQueue,
        function: p.consumer.function,
      })),
      notifier: {
        title: NOTIFIER_SERVICE_NAME,
        dimensions: { service: NOTIFIER_SERVICE_NAME },
        queue: alertsQueue,
        deadLetterQueue: this.notifier.deadLetterQueue,
        function: this.notifier.function,
      },
    });
    new CfnOutput(this, "DashboardName", { value: shared.stackName, description: "CloudWatch dashboard of every connector and the notifier" });

    new CfnOutput(this, "AlertsQueueUrl", { value: alertsQueue.queueUrl, description: "alerts queue (failure and recovery events)" });
    new CfnOutput(this, "AlertsDeadLetterQueueUrl", { value: this.notifier.deadLetterQueue.queueUrl, description: "alerts dead-letter queue" });
    new CfnOutput(this, "AlarmTopicArn", { value: topic.topicArn, description: "SNS topic of every alarm" });
  }
}
