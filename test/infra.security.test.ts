import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { addConnectorsStack, loadDeployConfig } from "../infra";
import type { DeployConfig, DeployConfigError } from "../infra";
import { fixtureEntries, fixtureRegistry } from "./fixtures/infra/registry";

/**
 * The security pieces of the template: the ingress's reserved concurrency and state table grant,
 * the state table itself, and the Oro producer role's trust (a role ARN with an sts:ExternalId).
 */
const base = (over: Partial<DeployConfig> = {}, webhook: Partial<NonNullable<DeployConfig["webhook"]>> = {}): DeployConfig => ({
  oroSecretName: "oro",
  webhook: { secretName: "oro/webhook", ...webhook },
  integrations: [{ name: "erp-main", type: "erp", secretName: "erp", connectors: { "oro-orders-to-erp": {} } }],
  ...over,
});

const synth = (config: DeployConfig): Template => {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  return Template.fromStack(
    addConnectorsStack(app, { config: loadDeployConfig(config, fixtureRegistry), registry: fixtureRegistry, ...fixtureEntries, nag: false }),
  );
};

const ingressFunction = (template: Template) =>
  Object.values(
    template.findResources("AWS::Lambda::Function", { Properties: { Environment: { Variables: Match.objectLike({ WEBHOOK_ROUTES: Match.anyValue() }) } } }),
  ) as Array<{
    Properties: { ReservedConcurrentExecutions?: number; Environment: { Variables: Record<string, unknown> } };
  }>;

describe("Stack: webhook ingress hardening", () => {
  it("reserves 10 concurrent executions for the ingress by default, the configured number, or none with false", () => {
    expect(ingressFunction(synth(base())).map((f) => f.Properties.ReservedConcurrentExecutions)).toEqual([10]);
    expect(ingressFunction(synth(base({}, { reservedConcurrency: 25 }))).map((f) => f.Properties.ReservedConcurrentExecutions)).toEqual([25]);
    expect(ingressFunction(synth(base({}, { reservedConcurrency: false }))).map((f) => f.Properties.ReservedConcurrentExecutions)).toEqual([undefined]);
    // Only the ingress reserves: connectors share the unreserved pool.
    const all = Object.values(synth(base()).findResources("AWS::Lambda::Function")) as Array<{ Properties: { ReservedConcurrentExecutions?: number } }>;
    expect(all.filter((f) => f.Properties.ReservedConcurrentExecutions !== undefined)).toHaveLength(1);
  });

  /** Policy ids of the connector functions' roles (every role but the ingress's and the notifier's). */
  const connectorPolicyIds = (template: Template): string[] =>
    Object.keys(template.findResources("AWS::IAM::Policy"))
      .map((id) => id.replace(/[0-9A-F]{8}$/, ""))
      .filter((id) => /ConsumerHandlerRoleDefaultPolicy$/.test(id))
      .sort();

  it("creates the state table on demand with PITR and TTL, and lets the ingress touch webhook# items, the notifier alert# items and each connector its run# items, nothing else", () => {
    const template = synth(base({}, { replayWindowSeconds: 7200, maxClockSkewSeconds: 60 }));
    template.resourceCountIs("AWS::DynamoDB::Table", 1);
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      },
    });
    expect(connectorPolicyIds(template).length).toBeGreaterThan(0);
    const [ingress] = ingressFunction(template);
    expect(ingress?.Properties.Environment.Variables).toMatchObject({
      STATE_TABLE_NAME: { Ref: expect.stringMatching(/^StateTable/) },
      WEBHOOK_MAX_AGE_SECONDS: "7200",
      WEBHOOK_MAX_FUTURE_SECONDS: "60",
    });
    const dynamoStatements = Object.entries(template.findResources("AWS::IAM::Policy")).flatMap(([id, p]) =>
      (
        p as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Condition?: unknown }> } } }
      ).Properties.PolicyDocument.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith("dynamodb:"))).map((s) => ({
        id: id.replace(/[0-9A-F]{8}$/, ""),
        actions: [s.Action].flat(),
        condition: s.Condition,
      })),
    );
    // The ingress: webhook# claims only; the notifier: alert# leases (UpdateItem) only; each connector: its run ledger (run# items: put, update, the re-count's Query).
    expect(dynamoStatements.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      ...connectorPolicyIds(template).map((id) => ({
        id,
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["run#*"] } },
      })),
      {
        id: "NotifierHandlerRoleDefaultPolicy",
        actions: ["dynamodb:UpdateItem"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["alert#*"] } },
      },
      {
        id: "WebhookIngressHandlerRoleDefaultPolicy",
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["webhook#*"] } },
      },
    ]);
  });

  it("lets only the named role assume the Oro producer role, and only with the external id", () => {
    const template = synth(base({ oroProducerPrincipalArn: "arn:aws:iam::123456789012:role/oro-app", oroProducerExternalId: "oro-shop-7f3a" }));
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::123456789012:role/oro-app" },
            Condition: { StringEquals: { "sts:ExternalId": "oro-shop-7f3a" } },
          },
        ],
      },
    });
  });

  it("refuses an account root or user as the producer principal, and a principal without an external id", () => {
    const problems = (config: DeployConfig) => {
      try {
        loadDeployConfig(config, fixtureRegistry);
        return [];
      } catch (error) {
        return (error as DeployConfigError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    };
    expect(problems(base({ oroProducerPrincipalArn: "arn:aws:iam::123456789012:root", oroProducerExternalId: "x-1" }))).toEqual([
      "oroProducerPrincipalArn: an IAM role ARN, e.g. arn:aws:iam::123456789012:role/oro-app (an account or user is not accepted)",
    ]);
    expect(problems(base({ oroProducerPrincipalArn: "arn:aws:iam::123456789012:user/ci", oroProducerExternalId: "x-1" }))).toHaveLength(1);
    expect(problems(base({ oroProducerPrincipalArn: "arn:aws:iam::123456789012:role/oro-app" }))).toEqual([
      "oroProducerExternalId: oroProducerPrincipalArn and oroProducerExternalId go together: the producer role is assumed with an sts:ExternalId condition",
    ]);
    expect(problems(base({}, { reservedConcurrency: 0 }))).toHaveLength(1);
  });
});
