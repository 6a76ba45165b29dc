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

/** Env var: name of the secret holding Oro's webhook signing secret. */
export const WEBHOOK_SECRET_NAME = "WEBHOOK_SECRET_NAME";
/** Env var: JSON object topic -> queue URL (a `.fifo` URL needs a MessageGroupId). */
export const WEBHOOK_ROUTES = "WEBHOOK_ROUTES";
/** Env var: the state table (replay dedup by Oro's messageId). */
export const STATE_TABLE_NAME = "STATE_TABLE_NAME";
/** Env var: oldest accepted body timestamp, in seconds before now. */
export const WEBHOOK_MAX_AGE_SECONDS = "WEBHOOK_MAX_AGE_SECONDS";
/** Env var: furthest accepted body timestamp, in seconds after now. */
export const WEBHOOK_MAX_FUTURE_SECONDS = "WEBHOOK_MAX_FUTURE_SECONDS";
/** Reserved concurrency of the ingress when the deploy config says nothing (docs/deploy.md). */
export const DEFAULT_INGRESS_RESERVED_CONCURRENCY = 10;
/** Items of the state table the ingress may touch: `webhook#<messageId>`. */
export const WEBHOOK_STATE_KIND = "webhook";

/** Props of {@link WebhookIngress}. */
export interface WebhookIngressProps {
  /** Absolute path of the ingress entry. */
  readonly entry: string;
  /** Secret holding the signing secret (imported by name; the stack never creates it). */
  readonly secretName: string;
  /** Topic -> the queue its webhooks go to. */
  readonly routes: Readonly<Record<string, sqs.IQueue>>;
  readonly alarmTopic: sns.ITopic;
  readonly metricsNamespace: string;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  /** The state table; the ingress dedups Oro's messageIds there. */
  readonly stateTable: StateTable;
  /** Reserved concurrency; `false`: none. @default {@link DEFAULT_INGRESS_RESERVED_CONCURRENCY} */
  readonly reservedConcurrency?: number | false;
  /** Replay window, seconds. @default the function's (86400) */
  readonly replayWindowSeconds?: number;
  /** Allowed clock skew, seconds. @default the function's (300) */
  readonly maxClockSkewSeconds?: number;
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
    const routes = Object.fromEntries(Object.entries(props.routes).map(([topic, queue]) => [topic, queue.queueUrl]));
    const fn = new ProjectFunction(this, "Handler", {
      entry: props.entry,
      description: "webhook ingress: verifies Oro webhook signatures and enqueues them",
      // Oro waits for the answer; enqueueing one message takes milliseconds.
      timeoutSeconds: 10,
      memoryMb: 256,
      logRetentionDays: props.logRetentionDays,
      environment: {
        [WEBHOOK_SECRET_NAME]: props.secretName,
        [WEBHOOK_ROUTES]: Stack.of(this).toJsonString(routes),
        [STATE_TABLE_NAME]: props.stateTable.table.tableName,
        ...(props.replayWindowSeconds !== undefined ? { [WEBHOOK_MAX_AGE_SECONDS]: String(props.replayWindowSeconds) } : {}),
        ...(props.maxClockSkewSeconds !== undefined ? { [WEBHOOK_MAX_FUTURE_SECONDS]: String(props.maxClockSkewSeconds) } : {}),
        POWERTOOLS_SERVICE_NAME: "webhook-ingress",
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
      },
    });
    this.function = fn.function;
    const reserved = props.reservedConcurrency ?? DEFAULT_INGRESS_RESERVED_CONCURRENCY;
    // Escape hatch: ProjectFunction builds the function; reserved concurrency is the ingress's alone.
    if (reserved !== false) (fn.function.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = reserved;
    props.stateTable.grantKind(fn.role, WEBHOOK_STATE_KIND);
    acknowledge(fn.role, Acks.xray.id, Acks.xray.reason);
    for (const queue of new Set(Object.values(props.routes))) queue.grantSendMessages(fn.role);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: "ReadSigningSecret", actions: ["secretsmanager:GetSecretValue"], resources: [secretArnByName(this, props.secretName)] }),
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
