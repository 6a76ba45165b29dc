import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { Acks, PROJECT_PACK, acknowledge } from "../nag";
import { alarmAbove } from "./alarm";
import { secretArnByName } from "./connector-pipeline";
import { ProjectFunction } from "./function-defaults";
import type { StateTable } from "./state-table";
import { renderEnvironment } from "../plan";
import type { IngressPlan } from "../plan";

/** Items of the state table the ingress may touch: `webhook#<messageId>`. */
export const WEBHOOK_STATE_KIND = "webhook";

/** Props of {@link WebhookIngress}. */
export interface WebhookIngressProps {
  /**
   * The ingress's part of the deployment plan (infra/plan): entry, environment (names in
   * shared/runtime/env.ts IngressEnv), the signing secret (imported by name; the stack never
   * creates it) and topic -> queue name routes.
   */
  readonly plan: IngressPlan;
  /** The queue of a queue name the routes use. */
  readonly queueOf: (queueName: string) => sqs.IQueue;
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  /** The state table; the ingress dedups Oro's messageIds there. */
  readonly stateTable: StateTable;
}

/**
 * Receives Oro's signed webhooks on a Lambda Function URL, checks the HMAC in code and forwards
 * the body unchanged to the routed connector queue. Its role may read the signing secret, send
 * to the routed queues, and claim `webhook#` items of the state table, nothing else. Reserved
 * concurrency caps what a flood of unauthenticated requests can take from the account.
 */
export class WebhookIngress extends Construct {
  public readonly function: lambda.IFunction;
  public readonly functionUrl: lambda.FunctionUrl;

  public constructor(scope: Construct, id: string, props: WebhookIngressProps) {
    super(scope, id);
    const { plan } = props;
    // Oro's webhook routes and the Schedule sync routes (each scheduled connector's queue).
    const routed = [...new Set([...Object.values(plan.routes), ...Object.values(plan.syncRoutes).map((r) => r.queue)])].map((name) => props.queueOf(name));
    const fn = new ProjectFunction(this, "Handler", {
      entry: plan.function.entry,
      description: "webhook ingress: verifies Oro webhook signatures and enqueues them",
      timeoutSeconds: plan.function.timeoutSeconds,
      memoryMb: plan.function.memoryMb,
      logRetentionDays: props.logRetentionDays,
      environment: renderEnvironment(
        plan.function.environment,
        (name) => props.queueOf(name).queueUrl,
        (value) => Stack.of(this).toJsonString(value),
        () => props.stateTable.table.tableName,
      ),
    });
    this.function = fn.function;
    const reserved = plan.reservedConcurrency;
    // Escape hatch: ProjectFunction builds the function; reserved concurrency is the ingress's alone.
    if (reserved !== false) (fn.function.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = reserved;
    props.stateTable.grantKind(fn.role, WEBHOOK_STATE_KIND);
    acknowledge(fn.role, Acks.xray.id, Acks.xray.reason);
    for (const queue of routed) queue.grantSendMessages(fn.role);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: "ReadSigningSecret", actions: ["secretsmanager:GetSecretValue"], resources: [secretArnByName(this, plan.secretName)] }),
    );

    this.functionUrl = fn.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    acknowledge(
      this,
      `${PROJECT_PACK}-LambdaFunctionUrlAuth`,
      "Oro cannot sign requests with SigV4; every request is authenticated in code by the Webhook-Signature HMAC-SHA256 of the raw body with the shared secret, and unsigned or mis-signed requests are dropped.",
    );

    alarmAbove(this, "ErrorsAlarm", {
      metric: fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      description: "webhook ingress: function errors (Oro retries 5xx; check the log)",
      topic: props.alarmTopic,
    });
  }
}
