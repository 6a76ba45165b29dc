import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { connectors } from "../functions/registry";
import { REPO_ROOT, addConnectorsStack, loadDeployConfig } from "../infra";

describe("RecursiveLoop in the synthesized template", () => {
  it("is Allow on exactly the functions whose connectors chain through their own queue, each with its reason in code", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const config = loadDeployConfig(join(REPO_ROOT, "deploy.config.json"), { connectors });
    const template = Template.fromStack(addConnectorsStack(app, { config, registry: { connectors }, nag: false }));
    const functions = Object.entries(template.findResources("AWS::Lambda::Function")) as [string, { Properties: { RecursiveLoop?: string } }][];
    const allowed = functions
      .filter(([, f]) => f.Properties.RecursiveLoop !== undefined)
      .map(([id, f]) => [id.replace(/ConsumerHandler.*$/, ""), f.Properties.RecursiveLoop]);
    expect(allowed.sort()).toEqual([
      ["AkeneoMainAkeneoProducts", "Allow"],
      ["ErpMainErpStock", "Allow"],
    ]);
    // The other three (orders-to-ERP, notifier, ingress) keep Lambda's default, Terminate.
    expect(functions).toHaveLength(5);
    expect(
      connectors
        .filter((c) => c.recursiveLoop)
        .map((c) => [c.type, (c.recursiveLoop?.reason.length ?? 0) > 40])
        .sort(),
    ).toEqual([
      ["akeneo-products", true],
      ["erp-stock", true],
    ]);
  });
});
