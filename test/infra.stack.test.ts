import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Duration, Stack, Validations } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { connectors } from "../functions/registry";
import { RuntimeEnv } from "../shared/runtime/env";
import { QueueConsumer, REPO_ROOT, addConnectorsStack, addNagChecks, loadDeployConfig } from "../infra";
import { cdkJsonContext, recommendedFeatureFlags } from "../infra/cdk-context";
import type { DeployConfig, QueueConsumerProps } from "../infra";
import { FIXTURE_HANDLER, REFERENCE_CONFIG, fixtureEntries, fixtureRegistry } from "./fixtures/infra/registry";

// cdk.json's feature flags, as `cdk synth` passes them; bundling is skipped: these tests look at
// the template, not at the code in it.
const newApp = () => new App({ context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [] } });

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

const resourcesOf = (template: Template, type: string): [string, Resource][] => Object.entries(template.findResources(type)) as [string, Resource][];
const arnRef = (value: unknown): string | undefined => (value as { "Fn::GetAtt"?: [string, string] })?.["Fn::GetAtt"]?.[0];
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Ids of the queues that are DLQs: redrive targets of a queue, or dead-letter targets of a schedule. */
const deadLetterQueueIds = (template: Template): Set<string> => {
  const ids = new Set<string>();
  for (const [, queue] of resourcesOf(template, "AWS::SQS::Queue")) {
    const target = arnRef((queue.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn);
    if (target) ids.add(target);
  }
  for (const [, schedule] of resourcesOf(template, "AWS::Scheduler::Schedule")) {
    const target = arnRef((schedule.Properties?.Target as { DeadLetterConfig?: { Arn: unknown } }).DeadLetterConfig?.Arn);
    if (target) ids.add(target);
  }
  return ids;
};

/** The reference config's template, synthesized once with cdk-nag on (synth throws on any unacknowledged finding). */
let template: Template;
let synthError: unknown;
beforeAll(() => {
  const app = newApp();
  const stack = addConnectorsStack(app, { config: loadDeployConfig(REFERENCE_CONFIG, fixtureRegistry), registry: fixtureRegistry, ...fixtureEntries });
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  template = Template.fromStack(stack);
}, 120_000); // one synth with cdk-nag: seconds alone, over the default 30 s on a busy shared machine

describe("Stack: reference config", () => {
  it("synthesizes with cdk-nag (AwsSolutions + project pack) and zero unacknowledged findings", () => {
    expect(synthError).toBeUndefined();
  });

  it("builds one pipeline per enabled connector plus the shared pieces", () => {
    template.resourceCountIs("AWS::Lambda::Function", 5); // 3 connectors, notifier, ingress
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 4);
    template.resourceCountIs("AWS::SQS::Queue", 10); // 4 x (queue + DLQ), 2 schedule DLQs
    template.resourceCountIs("AWS::Scheduler::Schedule", 2);
    template.resourceCountIs("AWS::SNS::Subscription", 1);
  });

  it("gives every queue a DLQ, or makes it one", () => {
    const dlqs = deadLetterQueueIds(template);
    for (const [id, queue] of resourcesOf(template, "AWS::SQS::Queue")) {
      expect(queue.Properties?.RedrivePolicy !== undefined || dlqs.has(id), `${id} has no DLQ and is none`).toBe(true);
      expect(queue.Properties?.SqsManagedSseEnabled, `${id} is encrypted`).toBe(true);
    }
  });

  it("puts a TLS-only policy on every queue", () => {
    const covered = resourcesOf(template, "AWS::SQS::QueuePolicy")
      .filter(([, policy]) =>
        (policy.Properties?.PolicyDocument as { Statement: (Statement & { Condition?: unknown })[] }).Statement.some(
          (s) => s.Effect === "Deny" && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { "aws:SecureTransport": "false" } }),
        ),
      )
      .flatMap(([, policy]) => (policy.Properties?.Queues as { Ref: string }[]).map((q) => q.Ref));
    expect(new Set(covered)).toEqual(new Set(resourcesOf(template, "AWS::SQS::Queue").map(([id]) => id)));
  });

  it("keeps DLQ messages longer than source messages and lets only the source redrive into a DLQ", () => {
    for (const [, queue] of resourcesOf(template, "AWS::SQS::Queue")) {
      const redrive = queue.Properties?.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number } | undefined;
      if (!redrive) continue;
      const dlq = template.toJSON().Resources[arnRef(redrive.deadLetterTargetArn)!] as Resource;
      expect(queue.Properties?.MessageRetentionPeriod).toBe(4 * 86_400);
      expect(dlq.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
      expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(JSON.stringify(dlq.Properties?.RedriveAllowPolicy)).toContain(`:${queue.Properties?.QueueName as string}"`);
      expect((dlq.Properties?.RedriveAllowPolicy as { redrivePermission: string }).redrivePermission).toBe("byQueue");
    }
  });

  it("reports batch item failures on every event source mapping, with a concurrency cap", () => {
    for (const [, mapping] of resourcesOf(template, "AWS::Lambda::EventSourceMapping")) {
      expect(mapping.Properties?.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect((mapping.Properties?.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency).toBeGreaterThanOrEqual(2);
    }
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", { BatchSize: 50, MaximumBatchingWindowInSeconds: 5 });
  });

  it("sets every queue's visibility timeout to at least 6x its function's timeout", () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    for (const [, mapping] of resourcesOf(template, "AWS::Lambda::EventSourceMapping")) {
      const queue = resources[arnRef(mapping.Properties?.EventSourceArn)!]!;
      const fn = resources[(mapping.Properties?.FunctionName as { Ref: string }).Ref]!;
      expect(queue.Properties?.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * (fn.Properties?.Timeout as number));
    }
  });

  it("runs every function on Node 24, arm64, without runtime source maps and with a log group that expires", () => {
    for (const [, fn] of resourcesOf(template, "AWS::Lambda::Function")) {
      expect(fn.Properties).toMatchObject({ Runtime: "nodejs24.x", Architectures: ["arm64"], TracingConfig: { Mode: "Active" } });
      // --enable-source-maps cost 20-47 % of init in bench:coldstart (function-defaults.ts).
      expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables).not.toHaveProperty("NODE_OPTIONS");
      expect(fn.Properties?.LoggingConfig).toEqual({ LogGroup: { Ref: expect.any(String) } });
    }
    for (const [, group] of resourcesOf(template, "AWS::Logs::LogGroup")) expect(group.Properties?.RetentionInDays).toBe(30);
  });

  it("gives a connector function every runtime variable", () => {
    const [, fn] = resourcesOf(template, "AWS::Lambda::Function").find(([, f]) => f.Properties?.Description === "erp-main/erp-stock")!;
    const env = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of [
      RuntimeEnv.QUEUE_URL,
      RuntimeEnv.DLQ_URL,
      RuntimeEnv.ALERTS_QUEUE_URL,
      RuntimeEnv.MAX_RECEIVE_COUNT,
      RuntimeEnv.INTEGRATION_NAME,
      RuntimeEnv.CONNECTOR_TYPE,
      RuntimeEnv.INTEGRATION_SECRET_NAME,
      RuntimeEnv.ORO_SECRET_NAME,
      RuntimeEnv.CONNECTOR_SETTINGS,
      RuntimeEnv.RECORD_CONCURRENCY,
      "POWERTOOLS_SERVICE_NAME",
      "POWERTOOLS_METRICS_NAMESPACE",
      "POWERTOOLS_LOG_LEVEL",
    ]) {
      expect(env, name).toHaveProperty(name);
    }
    expect(env).toMatchObject({
      INTEGRATION_NAME: "erp-main",
      CONNECTOR_TYPE: "erp-stock",
      MAX_RECEIVE_COUNT: "10",
      RECORD_CONCURRENCY: "8",
      INTEGRATION_SECRET_NAME: "oro-connectors/erp-main",
    });
    expect(JSON.parse(env.CONNECTOR_SETTINGS as string)).toEqual({
      windowOverlapMinutes: 5,
      schedule: "rate(5 minutes)",
      timeZone: "UTC",
      scheduleMessageType: "window",
      scheduleIntervalMinutes: 5,
    });
  });

  it("attaches no managed policy and no '*' resource except X-Ray's", () => {
    for (const [id, role] of resourcesOf(template, "AWS::IAM::Role")) expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    for (const [id, policy] of resourcesOf(template, "AWS::IAM::Policy")) {
      for (const statement of (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement) {
        const resources = asArray(statement.Resource);
        if (resources.includes("*")) expect(asArray(statement.Action).sort(), id).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
        for (const action of asArray(statement.Action)) expect(action, id).not.toMatch(/\*/);
      }
    }
  });

  it("lets each function read only its own secrets, by name with the random suffix", () => {
    const secretsOf = (description: string) => {
      const [roleId] = resourcesOf(template, "AWS::Lambda::Function")
        .filter(([, f]) => f.Properties?.Description === description)
        .map(([, f]) => arnRef(f.Properties?.Role)!);
      const [, policy] = resourcesOf(template, "AWS::IAM::Policy").find(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))!;
      return (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
        asArray(s.Action).some((a) => a.startsWith("secretsmanager:")),
      )
        .flatMap((s) => asArray(s.Resource))
        .map((r) => (JSON.stringify(r).match(/:secret:([^"]+)/) ?? [])[1]);
    };
    expect(secretsOf("akeneo-main/akeneo-products")).toEqual(["oro-connectors/akeneo-main-??????", "oro-connectors/oro-??????"]);
    expect(secretsOf("notifier")).toEqual(["oro-connectors/oro-??????"]);
    expect(secretsOf("webhook ingress: verifies Oro webhook signatures and enqueues them")).toEqual(["oro-connectors/webhook-signing-??????"]);
  });

  it("schedules send the window envelope with the scheduled time straight to the queue", () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    for (const [, schedule] of resourcesOf(template, "AWS::Scheduler::Schedule")) {
      const target = schedule.Properties?.Target as { Arn: unknown; Input: string; RetryPolicy: unknown; DeadLetterConfig: unknown };
      expect(resources[arnRef(target.Arn)!]!.Type).toBe("AWS::SQS::Queue");
      const input = JSON.parse(target.Input) as Record<string, unknown>;
      expect(input).toMatchObject({
        version: 1,
        id: "<aws.scheduler.scheduled-time>",
        type: "window",
        payload: { scheduledTime: "<aws.scheduler.scheduled-time>" },
      });
      expect(schedule.Properties?.FlexibleTimeWindow).toEqual({ Mode: "OFF" });
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 });
    }
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "cron(0/15 6-22 ? * MON-SAT *)",
      ScheduleExpressionTimezone: "Europe/Berlin",
      Target: Match.objectLike({ Input: Match.serializedJson(Match.objectLike({ integration: "akeneo-main", connector: "akeneo-products" })) }),
    });
  });

  it("alarms on every DLQ, to the one encrypted alarm topic", () => {
    const alarmed = new Set(
      resourcesOf(template, "AWS::CloudWatch::Alarm")
        .filter(([, a]) => a.Properties?.MetricName === "ApproximateNumberOfMessagesVisible")
        .map(([, a]) => arnRef((a.Properties?.Dimensions as { Value: unknown }[])[0]!.Value)),
    );
    const dlqs = deadLetterQueueIds(template);
    expect(dlqs.size).toBe(6); // 3 connectors + alerts + 2 schedules
    for (const id of dlqs) expect(alarmed.has(id), `${id} has a DLQ alarm`).toBe(true);
    for (const [, alarm] of resourcesOf(template, "AWS::CloudWatch::Alarm")) {
      expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
    }
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    for (const metric of ["ApproximateAgeOfOldestMessage", "Errors", "Throttles"])
      template.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: metric });
  });

  it("caps the notifier at 2 concurrent invocations", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^NotifierQueue"), "Arn"] },
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("exposes the webhook ingress on a Function URL routing order.created to its queue, and Schedule sync to each scheduled connector's", () => {
    template.hasResourceProperties("AWS::Lambda::Url", { AuthType: "NONE" });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_SECRET_NAME: "oro-connectors/webhook-signing",
          WEBHOOK_ROUTES: { "Fn::Join": ["", ['{"order.created":"', { Ref: Match.stringLikeRegexp("^ErpMainOroOrdersToErpConsumerQueue") }, '"}']] },
        }),
      },
    });
    const sqsTargets = (prefix: string) =>
      resourcesOf(template, "AWS::IAM::Policy")
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((s) => asArray(s.Action).includes("sqs:SendMessage"))
        .flatMap((s) => asArray(s.Resource).map(arnRef));
    // Oro's order.created, plus the Schedule sync routes (functions/webhook-ingress/schedule-sync.ts): every connector of the config is scheduled.
    expect(sqsTargets("WebhookIngress").sort()).toEqual([
      expect.stringMatching(/^AkeneoMainAkeneoProductsConsumerQueue/),
      expect.stringMatching(/^ErpMainErpStockConsumerQueue/),
      expect.stringMatching(/^ErpMainOroOrdersToErpConsumerQueue/),
    ]);
    expect(sqsTargets("OroProducer")).toEqual([expect.stringMatching(/^ErpMainOroOrdersToErpConsumerQueue/)]);
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: "arn:aws:iam::123456789012:role/oro-application" } })] },
    });
  });

  it("outputs every queue URL, DLQ URL, the Function URL and the alarm topic", () => {
    const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs).toEqual(
      expect.arrayContaining([
        "AkeneoMainAkeneoProductsQueueUrl",
        "AkeneoMainAkeneoProductsDeadLetterQueueUrl",
        "ErpMainOroOrdersToErpQueueUrl",
        "ErpMainErpStockDeadLetterQueueUrl",
        "AlertsQueueUrl",
        "AlertsDeadLetterQueueUrl",
        "WebhookUrl",
        "AlarmTopicArn",
        "OroProducerRoleArn",
      ]),
    );
  });

  it("matches the snapshot (asset hashes and metadata stripped)", () => {
    const json = JSON.stringify(template.toJSON(), (key, value: unknown) => (key === "Metadata" ? undefined : value)).replace(
      /[a-f0-9]{64}(\.zip)?/g,
      "<asset-hash>$1",
    );
    expect(JSON.parse(json)).toMatchSnapshot();
  });
});

describe("Stack: FIFO connectors", () => {
  it("builds .fifo queues and DLQs, dedup by content only when scheduled, and a message group on the schedule", () => {
    const config = loadDeployConfig(
      {
        oroSecretName: "oro",
        integrations: [{ name: "erp-main", type: "erp", secretName: "erp", connectors: { "erp-stock": { fifo: true }, "oro-orders-to-erp": { fifo: true } } }],
      },
      fixtureRegistry,
    );
    const app = newApp();
    const fifo = Template.fromStack(addConnectorsStack(app, { config, registry: fixtureRegistry, ...fixtureEntries, nag: false }));
    fifo.hasResourceProperties("AWS::SQS::Queue", { QueueName: "OroConnectors-erp-main-erp-stock.fifo", FifoQueue: true, ContentBasedDeduplication: true });
    fifo.hasResourceProperties("AWS::SQS::Queue", { QueueName: "OroConnectors-erp-main-erp-stock-dlq.fifo", FifoQueue: true });
    fifo.hasResourceProperties("AWS::SQS::Queue", {
      QueueName: "OroConnectors-erp-main-oro-orders-to-erp.fifo",
      FifoQueue: true,
      ContentBasedDeduplication: false,
    });
    fifo.hasResourceProperties("AWS::Scheduler::Schedule", { Target: Match.objectLike({ SqsParameters: { MessageGroupId: "erp-stock" } }) });
    // FIFO event source mappings take no batching window (the notifier's standard queue does).
    const connectorMappings = resourcesOf(fifo, "AWS::Lambda::EventSourceMapping").filter(
      ([, mapping]) => !JSON.stringify(mapping.Properties?.FunctionName).includes("Notifier"),
    );
    expect(connectorMappings.length).toBeGreaterThan(0);
    for (const [, mapping] of connectorMappings) expect(mapping.Properties?.MaximumBatchingWindowInSeconds).toBeUndefined();
    // No webhook section, no producer principal: no ingress, no producer role.
    fifo.resourceCountIs("AWS::Lambda::Url", 0);
    expect(Object.keys(fifo.toJSON().Outputs as object)).not.toContain("OroProducerRoleArn");
  });
});

describe("Construct: QueueConsumer", () => {
  const props = (overrides: Partial<QueueConsumerProps>): QueueConsumerProps => ({
    displayName: "erp-main/erp-stock",
    queue: { name: "q", fifo: false, contentBasedDeduplication: false, visibilityTimeoutSeconds: 360, retentionDays: 4 },
    dlq: { name: "q-dlq", fifo: false, contentBasedDeduplication: false, visibilityTimeoutSeconds: 360, retentionDays: 14 },
    maxReceiveCount: 10,
    entry: FIXTURE_HANDLER,
    timeoutSeconds: 60,
    memoryMb: 512,
    batchSize: 10,
    batchingWindowSeconds: 0,
    maxConcurrency: 5,
    environment: {},
    logRetentionDays: 30,
    alarmTopic: undefined as never,
    oldestMessageAgeAlarmMinutes: 15,
    ...overrides,
  });

  it("fails synth when the visibility timeout is below 6x the function timeout, naming the connector and the numbers", () => {
    const stack = new Stack(newApp(), "S");
    expect(() => new QueueConsumer(stack, "C", props({ timeoutSeconds: 120 }))).toThrow(
      "erp-main/erp-stock: queue visibility timeout 360 s must be at least 6 x the function timeout 120 s = 720 s",
    );
  });

  it("reports every problem in one error", () => {
    expect(() => QueueConsumer.validate(props({ timeoutSeconds: 120, batchSize: 50, maxConcurrency: 1 }))).toThrow(
      /visibility timeout[\s\S]*batch size 50 > 10 needs a batching window[\s\S]*max concurrency 1/,
    );
  });
});

describe("App: cdk-nag and the shipped config", () => {
  it("fails synth on an unacknowledged finding (the checks are live)", () => {
    const app = newApp();
    new sqs.Queue(new Stack(app, "Plain"), "Queue");
    addNagChecks(app);
    expect(() => app.synth()).toThrow();
  });

  it("flags an SQS event source whose visibility timeout is below 6x the function timeout (project pack)", () => {
    const app = newApp();
    const stack = new Stack(app, "Short");
    const queue = new sqs.Queue(stack, "Queue", {
      visibilityTimeout: Duration.seconds(60),
      enforceSSL: true,
      deadLetterQueue: { queue: new sqs.Queue(stack, "Dlq", { enforceSSL: true }), maxReceiveCount: 5 },
    });
    const fn = new lambda.Function(stack, "Fn", {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: "index.handler",
      code: lambda.Code.fromInline("exports.handler=async()=>{}"),
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    fn.addEventSource(new SqsEventSource(queue));
    Validations.of(stack).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      reason: "test stack",
    });
    Validations.of(stack).acknowledge({ id: "OroConnectors-CloudWatchLogGroupRetentionPeriod", reason: "test stack" });
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/OroConnectors-LambdaEventSourceSQSVisibilityTimeout/);
  });

  it("cdk.json carries exactly the feature flags the installed aws-cdk-lib recommends for new projects", () => {
    // A CDK upgrade that recommends a new flag fails here: add it to cdk.json on purpose and
    // regenerate the snapshot (docs/deploy.md section 7 says what the flags changed).
    const flags = recommendedFeatureFlags();
    expect(Object.keys(flags).length).toBeGreaterThan(80);
    expect(cdkJsonContext()).toEqual(flags);
  });

  it("synthesizes deploy.config.json with functions/registry.ts, nag on", () => {
    const app = newApp();
    const config: DeployConfig = loadDeployConfig(join(REPO_ROOT, "deploy.config.json"), { connectors });
    const stack = addConnectorsStack(app, { config, registry: { connectors } });
    expect(() => app.synth()).not.toThrow();
    expect(Template.fromStack(stack).findResources("AWS::Lambda::Function")).not.toEqual({});
    expect(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")).toContain("infra/app.ts");
  });
});
