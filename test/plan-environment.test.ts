import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectors } from "../functions/registry";
import { addConnectorsStack, cdkJsonContext } from "../infra";
import { loadDeployConfig, REPO_ROOT } from "../infra/config";
import { FUNCTION_NODE_OPTIONS } from "../infra/constructs/function-defaults";
import { deploymentPlan, SCHEDULED_TIME, scheduledEnvelope } from "../infra/plan";
import { type LocalStack, startLocalStack } from "../local-stack/stack";
import { FIXTURE_HANDLER } from "./fixtures/infra/registry";

/**
 * One plan, rendered twice (infra/plan): for every function, the environment `cdk synth` gives it
 * equals the environment the local stack gives the same handler, queue URLs compared by queue
 * name and the state table as `table:state` (CloudFormation names it on AWS, the plan locally).
 * Values that exist only on AWS are listed in AWS_ONLY; nothing is local-only.
 */
const CONFIG = join(REPO_ROOT, "deploy.config.json");

/** Variables only a deployed function has, by nature. */
const AWS_ONLY: readonly string[] = [
  // NODE_OPTIONS: set on AWS only when FUNCTION_NODE_OPTIONS is (source maps); the local stack runs in this Node process.
  ...(FUNCTION_NODE_OPTIONS ? ["NODE_OPTIONS"] : []),
];

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** CDK's environment with each queue reference (`Ref` of an AWS::SQS::Queue is its URL) as `queue:<name>`. */
const synthesizedEnvironments = (): Map<string, Record<string, string>> => {
  const app = new App({ context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [] } });
  const registry = { connectors, entryOf: () => FIXTURE_HANDLER };
  const stack = addConnectorsStack(app, {
    config: loadDeployConfig(CONFIG, registry),
    registry,
    notifierEntry: FIXTURE_HANDLER,
    webhookIngressEntry: FIXTURE_HANDLER,
    nag: false,
  });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  const token = (value: unknown): string => {
    if (typeof value === "string") return value;
    const v = value as { Ref?: string; "Fn::Join"?: [string, unknown[]] };
    if (v.Ref) {
      const target = resources[v.Ref];
      if (target?.Type === "AWS::DynamoDB::Table") return "table:state";
      if (target?.Type !== "AWS::SQS::Queue") throw new Error(`unexpected Ref to ${target?.Type}`);
      return `queue:${String(target.Properties?.QueueName)}`;
    }
    if (v["Fn::Join"]) return v["Fn::Join"][1].map(token).join(v["Fn::Join"][0]);
    throw new Error(`unexpected token ${JSON.stringify(value)}`);
  };
  const byService = new Map<string, Record<string, string>>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    const variables = ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    const env = Object.fromEntries(
      Object.entries(variables)
        .filter(([k]) => !AWS_ONLY.includes(k))
        .map(([k, v]) => [k, token(v)]),
    );
    byService.set(String(env.POWERTOOLS_SERVICE_NAME), env);
  }
  return byService;
};

/** A local environment with each queue URL as `queue:<name>` (fauxqs URLs end in the queue name). */
const normalizeLocal = (env: Readonly<Record<string, string>>, queueUrls: ReadonlySet<string>): Record<string, string> => {
  const byUrl = (url: string) => (queueUrls.has(url) ? `queue:${url.split("/").pop()}` : url === stack.plan.stateTable.name ? "table:state" : url);
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => {
      if (key === "WEBHOOK_ROUTES" || key === "WEBHOOK_SYNC_ROUTES")
        return [key, JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(value) as Record<string, string>).map(([t, u]) => [t, byUrl(u)])))];
      return [key, byUrl(value)];
    }),
  );
};

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ deployConfigPath: CONFIG, ephemeralPorts: true, endpointsFile: false, fireSchedulesAtStart: false, seedSandboxes: false });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe("the deployment plan, rendered by CDK and by the local stack", () => {
  it("gives every function the same environment in both", () => {
    const synthesized = synthesizedEnvironments();
    const urls = new Set([stack.alerts.queueUrl, stack.alerts.dlqUrl, ...stack.connectors.flatMap((c) => [c.queueUrl, c.dlqUrl])]);
    const local = new Map<string, Record<string, string>>([
      ["notifier", normalizeLocal(stack.alerts.env, urls)],
      ...stack.connectors.map((c) => [c.env.POWERTOOLS_SERVICE_NAME as string, normalizeLocal(c.env, urls)] as [string, Record<string, string>]),
      ...(stack.ingressEnv ? [["webhook-ingress", normalizeLocal(stack.ingressEnv, urls)] as [string, Record<string, string>]] : []),
    ]);
    // deploy.config.json: three connectors, the notifier and the ingress.
    expect([...synthesized.keys()].sort()).toEqual([
      "akeneo-main-akeneo-products",
      "erp-main-erp-stock",
      "erp-main-oro-orders-to-erp",
      "notifier",
      "webhook-ingress",
    ]);
    expect([...local.keys()].sort()).toEqual([...synthesized.keys()].sort());
    for (const [service, env] of synthesized) expect({ service, env: local.get(service) }).toEqual({ service, env });
    // Spot checks that the comparison compares something.
    expect(synthesized.get("erp-main-erp-stock")?.QUEUE_URL).toBe("queue:OroConnectors-erp-main-erp-stock");
    expect(synthesized.get("webhook-ingress")?.STATE_TABLE_NAME).toBe("table:state");
    expect(synthesized.get("notifier")?.STATE_TABLE_NAME).toBe("table:state");
    expect(JSON.parse(synthesized.get("webhook-ingress")?.WEBHOOK_ROUTES ?? "{}")).toEqual({
      "order.created": "queue:OroConnectors-erp-main-oro-orders-to-erp",
    });
  });

  it("sends the schedule's envelope the CDK schedule sends, with the fire time filled in", async () => {
    const plan = deploymentPlan(loadDeployConfig(CONFIG, { connectors }), { connectors });
    const schedule = plan.connectors.find((c) => c.resolved.connector === "erp-stock")?.schedule;
    expect(schedule?.envelope).toEqual({
      version: 1,
      id: SCHEDULED_TIME,
      integration: "erp-main",
      connector: "erp-stock",
      type: "window",
      payload: { scheduledTime: SCHEDULED_TIME },
    });
    expect(scheduledEnvelope(schedule!, "2026-12-01T10:00:00Z")).toEqual({
      version: 1,
      id: "2026-12-01T10:00:00Z",
      integration: "erp-main",
      connector: "erp-stock",
      type: "window",
      payload: { scheduledTime: "2026-12-01T10:00:00Z" },
    });
  });
});
