import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { Context, SQSEvent } from "aws-lambda";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { addConnectorsStack, loadDeployConfig } from "../infra";
import { cdkJsonContext } from "../infra/cdk-context";
import { VPC_NETWORK_INTERFACE_ACTIONS } from "../infra/constructs/function-defaults";
import type { Connector, MessageSchemas } from "../shared/connector";
import { createEnvelope } from "../shared/messages";
import { createRootLogger } from "../shared/observability";
import { createConnectorHandler } from "../shared/runtime";
import { REFERENCE_CONFIG, fixtureConnectors, fixtureEntries, fixtureRegistry } from "./fixtures/infra/registry";

// The deploy-config options of issue 12 sections 4-5, read off synthesized templates (cdk.json's
// flags, bundling skipped, cdk-nag on: synth throws on any unacknowledged finding).
type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const KEY = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const VPC = { subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], securityGroupIds: ["sg-0123456789abcdef0"] };

const reference = () => JSON.parse(readFileSync(REFERENCE_CONFIG, "utf8")) as Record<string, unknown> & { integrations: Record<string, unknown>[] };

/** The reference config with ERP in a VPC and the secrets under a customer-managed key. */
const withOptions = () => {
  const config = reference();
  config.secretsKmsKeyArns = [KEY];
  config.integrations = config.integrations.map((i) => (i.name === "erp-main" ? { ...i, vpc: VPC } : i));
  return config;
};

const synth = (config: unknown): Template => {
  const app = new App({ context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [] } });
  const stack = addConnectorsStack(app, { config: loadDeployConfig(config, fixtureRegistry), registry: fixtureRegistry, ...fixtureEntries });
  app.synth(); // cdk-nag: throws on an unacknowledged finding
  return Template.fromStack(stack);
};

const functions = (template: Template): Map<string, Resource & { id: string }> =>
  new Map(
    Object.entries(template.findResources("AWS::Lambda::Function")).map(([id, r]) => [
      (r as Resource).Properties.Description as string,
      { id, ...(r as Resource) },
    ]),
  );

/** Every statement of the policies attached to a function's role. */
const statementsOf = (template: Template, fn: Resource): Statement[] => {
  const roleId = (fn.Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];
  return Object.values(template.findResources("AWS::IAM::Policy"))
    .filter((p) => JSON.stringify((p as Resource).Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => ((p as Resource).Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

const INGRESS = "webhook ingress: verifies Oro webhook signatures and enqueues them";

let plain: Template;
let optioned: Template;
beforeAll(() => {
  plain = synth(reference());
  optioned = synth(withOptions());
}, 180_000); // two synths with cdk-nag: a few seconds alone, far more on a busy shared machine

describe("Stack option: VPC placement per integration", () => {
  it("puts exactly the integration's connector functions into its subnets and security groups", () => {
    const fns = functions(optioned);
    expect(fns.get("erp-main/erp-stock")?.Properties.VpcConfig).toEqual({ SubnetIds: VPC.subnetIds, SecurityGroupIds: VPC.securityGroupIds });
    expect(fns.get("erp-main/oro-orders-to-erp")?.Properties.VpcConfig).toEqual({ SubnetIds: VPC.subnetIds, SecurityGroupIds: VPC.securityGroupIds });
    for (const other of ["akeneo-main/akeneo-products", "notifier", INGRESS]) expect(fns.get(other)?.Properties.VpcConfig, other).toBeUndefined();
    for (const [name, fn] of functions(plain)) expect(fn.Properties.VpcConfig, name).toBeUndefined();
  });

  it("grants the network-interface actions Lambda needs only to the VPC functions' roles", () => {
    const fns = functions(optioned);
    const eniStatements = (name: string) => statementsOf(optioned, fns.get(name)!).filter((s) => [s.Action].flat().includes("ec2:CreateNetworkInterface"));
    for (const name of ["erp-main/erp-stock", "erp-main/oro-orders-to-erp"]) {
      expect(eniStatements(name)).toEqual([{ Sid: "ManageVpcNetworkInterfaces", Effect: "Allow", Action: [...VPC_NETWORK_INTERFACE_ACTIONS], Resource: "*" }]);
    }
    for (const name of ["akeneo-main/akeneo-products", "notifier", INGRESS]) expect(eniStatements(name), name).toEqual([]);
    // And the role's dependency makes CloudFormation create the grant before the function.
    const stock = optioned.toJSON().Resources[fns.get("erp-main/erp-stock")!.id] as { DependsOn: string[] };
    expect(stock.DependsOn.some((id) => id.includes("RoleDefaultPolicy"))).toBe(true);
  });
});

describe("Stack option: customer-managed KMS keys of the secrets", () => {
  const decryptOf = (template: Template, name: string) =>
    statementsOf(template, functions(template).get(name)!).filter((s) => [s.Action].flat().includes("kms:Decrypt"));
  const secretArn = (name: string) => ({ "Fn::Join": ["", ["arn:aws:secretsmanager:eu-central-1:", { Ref: "AWS::AccountId" }, `:secret:${name}-??????`]] });
  const grant = (...secrets: string[]) => [
    {
      Sid: "DecryptOwnSecrets",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: KEY,
      Condition: {
        StringEquals: { "kms:ViaService": "secretsmanager.eu-central-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:SecretARN": secrets.map(secretArn) },
      },
    },
  ];

  it("lets every secret reader decrypt, through Secrets Manager only, for its own secrets only", () => {
    expect(decryptOf(optioned, "akeneo-main/akeneo-products")).toEqual(grant("oro-connectors/akeneo-main", "oro-connectors/oro"));
    expect(decryptOf(optioned, "erp-main/erp-stock")).toEqual(grant("oro-connectors/erp-main", "oro-connectors/oro"));
    expect(decryptOf(optioned, "notifier")).toEqual(grant("oro-connectors/oro"));
    expect(decryptOf(optioned, INGRESS)).toEqual(grant("oro-connectors/webhook-signing"));
  });

  it("grants no kms:Decrypt on any function role without the option", () => {
    for (const name of functions(plain).keys()) expect(decryptOf(plain, name), name).toEqual([]);
  });
});

/** The dashboard body with every CloudFormation token replaced by `{token}`, parsed. */
const dashboardBody = (template: Template) => {
  const [dashboard] = Object.values(template.findResources("AWS::CloudWatch::Dashboard")) as Resource[];
  const parts = (dashboard!.Properties.DashboardBody as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
  const text = parts.map((p) => (typeof p === "string" ? p : `{${JSON.stringify(p).replace(/"/g, "'")}}`)).join("");
  return { name: dashboard!.Properties.DashboardName, body: JSON.parse(text) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] } };
};
/** `[namespace, name, dim1, value1, ...]` of each metric of a widget, options dropped. */
const metricsOf = (widget: { properties: { metrics: unknown[][] } }) => widget.properties.metrics.map((m) => m.filter((x) => typeof x === "string"));

describe("Stack: CloudWatch dashboard", () => {
  it("shows per connector the runtime's record counts, DLQ depth, oldest message age, duration and errors", () => {
    const { name, body } = dashboardBody(plain);
    expect(name).toBe("OroConnectors");
    const titles = body.widgets.map((w) => w.properties.title);
    expect(titles).toEqual([
      "akeneo-main/akeneo-products: records",
      "akeneo-main/akeneo-products: DLQ depth and oldest message age",
      "akeneo-main/akeneo-products: duration and errors",
      "erp-main/oro-orders-to-erp: records",
      "erp-main/oro-orders-to-erp: DLQ depth and oldest message age",
      "erp-main/oro-orders-to-erp: duration and errors",
      "erp-main/erp-stock: records",
      "erp-main/erp-stock: DLQ depth and oldest message age",
      "erp-main/erp-stock: duration and errors",
      "notifier: alerts",
      "notifier: DLQ depth and oldest message age",
      "notifier: duration and errors",
    ]);
    const dims = ["connector", "erp-stock", "integration", "erp-main", "service", "erp-main-erp-stock"];
    expect(metricsOf(body.widgets[6]!)).toEqual(
      ["RecordsOk", "RecordsFailed", "RecordsRetried", "RecordsPermanent", "ItemsFailed"].map((m) => ["OroConnectors", m, ...dims]),
    );
    const [dlqDepth, oldestAge] = body.widgets[7]!.properties.metrics;
    expect(dlqDepth!.slice(0, 3)).toEqual(["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName"]);
    expect(String(dlqDepth![3])).toContain("ErpMainErpStockConsumerDeadLetterQueue");
    expect(oldestAge!.slice(0, 3)).toEqual(["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName"]);
    expect(String(oldestAge![3])).toMatch(/ErpMainErpStockConsumerQueue(?!.*DeadLetter)/);
    expect(metricsOf(body.widgets[8]!).map((m) => m.slice(0, 3))).toEqual([
      ["AWS/Lambda", "Duration", "FunctionName"],
      ["AWS/Lambda", "Duration", "FunctionName"],
      ["AWS/Lambda", "Errors", "FunctionName"],
    ]);
    expect(String(body.widgets[8]!.properties.metrics[2]![3])).toContain("ErpMainErpStockConsumerHandlerFunction");
  });

  it("shows the notifier's alerts created and resolved", () => {
    const { body } = dashboardBody(plain);
    expect(metricsOf(body.widgets[9]!)).toEqual([
      ["OroConnectors", "AlertsCreated", "service", "notifier"],
      ["OroConnectors", "AlertsResolved", "service", "notifier"],
    ]);
  });
});

describe("Runtime and dashboard agree on the EMF metrics", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("logs under the stack's POWERTOOLS_SERVICE_NAME, and under the code's name without it", () => {
    const serviceOf = (env: string | undefined) => {
      vi.stubEnv("POWERTOOLS_LOG_LEVEL", "INFO");
      vi.stubEnv("POWERTOOLS_SERVICE_NAME", env);
      const lines: string[] = [];
      const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
      createRootLogger("erp-stock").info("probe");
      spy.mockRestore();
      return (JSON.parse(lines.find((l) => l.includes('"probe"'))!) as { service: string }).service;
    };
    expect(serviceOf("erp-main-erp-stock")).toBe("erp-main-erp-stock");
    expect(serviceOf(undefined)).toBe("erp-stock");
  });

  it("the real connector handler, run with the stack's environment, publishes under the dashboard's namespace and dimensions", async () => {
    const stock = functions(plain).get("erp-main/erp-stock")!;
    const env = (stock.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    // The literal variables as deployed; queue URLs are tokens in the template, so local stand-ins.
    for (const key of ["POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "INTEGRATION_NAME", "CONNECTOR_TYPE"]) vi.stubEnv(key, env[key] as string);
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "ERROR");
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false"); // vitest.config.ts turns EMF output off for every other test
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const connector = fixtureConnectors.find((c) => c.type === "erp-stock") as unknown as Connector<unknown, MessageSchemas>;
    const handler = createConnectorHandler(connector, {
      overrides: {
        queueUrl: "http://127.0.0.1:9/000000000000/q",
        dlqUrl: "http://127.0.0.1:9/000000000000/q-dlq",
        alertsQueueUrl: "http://127.0.0.1:9/000000000000/alerts",
      },
    });
    const body = JSON.stringify(createEnvelope({ id: "w-1", integration: "erp-main", connector: "erp-stock", type: "window", payload: {} }));
    const event = {
      Records: [
        {
          messageId: "m-1",
          receiptHandle: "r",
          body,
          attributes: { ApproximateReceiveCount: "1" },
          messageAttributes: {},
          md5OfBody: "",
          eventSource: "aws:sqs",
          eventSourceARN: "arn:aws:sqs:eu-central-1:123456789012:q",
          awsRegion: "eu-central-1",
        },
      ],
    } as unknown as SQSEvent;
    const context = { functionName: "f", awsRequestId: "req-1", getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    const response = await handler(event, context);
    vi.restoreAllMocks();
    expect(response).toEqual({ batchItemFailures: [] });

    const emf = lines
      .map((l) => l.trim())
      .filter((l) => l.includes('"_aws"'))
      .map(
        (l) =>
          JSON.parse(l) as Record<string, unknown> & {
            _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
          },
      );
    expect(emf).toHaveLength(1);
    const [directive] = emf[0]!._aws.CloudWatchMetrics;
    expect(directive!.Metrics.map((m) => m.Name)).toContain("RecordsOk");
    expect(emf[0]!.RecordsOk).toBe(1);
    const published = ["OroConnectors", "RecordsOk", ...directive!.Dimensions[0]!.flatMap((d) => [d, emf[0]![d] as string])];
    expect(directive!.Namespace).toBe("OroConnectors");
    const dashboardRecordsOk = metricsOf(dashboardBody(plain).body.widgets[6]!)[0]!;
    // Same namespace, name and dimension set with the same values (order aside).
    const asSet = (m: string[]) => ({
      head: m.slice(0, 2),
      dims: Object.fromEntries(Array.from({ length: (m.length - 2) / 2 }, (_, i) => [m[2 + 2 * i], m[3 + 2 * i]])),
    });
    expect(asSet(published)).toEqual(asSet(dashboardRecordsOk));
    expect(asSet(published).dims).toEqual({ service: "erp-main-erp-stock", connector: "erp-stock", integration: "erp-main" });
  });
});
