import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectors } from "../functions/registry";
import { REPO_ROOT, addConnectorsStack, loadDeployConfig } from "../infra";
import { cdkJsonContext } from "../infra/cdk-context";
import type { ConnectorRegistry } from "../infra/config";
import { REFERENCE_CONFIG, fixtureEntries, fixtureRegistry } from "./fixtures/infra/registry";

/**
 * cfn-lint (AWS's CloudFormation linter, pip package `cfn-lint`, docs/reference/aws-deploy.md
 * section 1) on the templates the stack synthesizes: the shipped deploy.config.json, the
 * reference config, and the reference config with every option on (VPC, KMS keys). No errors;
 * each warning is either fixed or listed below with why it stays. The machines this runs on
 * (these and CI) have cfn-lint 1.51 installed; where it is missing the test says so and skips.
 */

/** Warnings that stay, each with the reason. A warning not matched here fails the test. */
const ACCEPTED_WARNINGS: readonly { rule: string; message: RegExp; reason: string }[] = [
  {
    rule: "W3005",
    message: /^'(\w+)HandlerRole\w+' dependency already enforced by a 'GetAtt' at 'Resources\/\1HandlerFunction\w+\/Properties\/Role'$/,
    reason:
      "CDK's lambda.Function adds a construct dependency on its role so the role's DefaultPolicy exists before the function (Lambda checks the role's SQS/EC2 grants when the function or its event source mapping is created); the Role half of that DependsOn repeats the GetAtt. Harmless, and removing it means editing CDK's rendered DependsOn.",
  },
];

interface Finding {
  Level: "Error" | "Warning" | "Informational";
  Message: string;
  Filename: string;
  Rule: { Id: string };
}

const cfnLintVersion = (() => {
  const result = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
})();
const MISSING =
  "cfn-lint is not on PATH: install it with `pip install cfn-lint` (or pipx) on a machine that reaches the Python package index; there is no npm build, and tests install nothing from outside";

const out = mkdtempSync(join(tmpdir(), "cfn-lint-"));
const synthTemplate = (name: string, config: unknown, registry: ConnectorRegistry, entries = {}) => {
  const app = new App({ outdir: join(out, name), context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [] } });
  const stack = addConnectorsStack(app, { config: loadDeployConfig(config, registry), registry, ...entries });
  return app.synth().getStackByName(stack.stackName).templateFullPath;
};

let templates: string[] = [];
let findings: Finding[] = [];
beforeAll(() => {
  if (!cfnLintVersion) {
    // Skipped tests show no note in the default reporter: say it where the run's output shows it.
    console.warn(`infra.cfn-lint.test.ts skipped: ${MISSING}`);
    return;
  }
  const withOptions = JSON.parse(readFileSync(REFERENCE_CONFIG, "utf8")) as { integrations: { name: string }[]; secretsKmsKeyArns?: string[] };
  withOptions.secretsKmsKeyArns = ["arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"];
  withOptions.integrations = withOptions.integrations.map((i) =>
    i.name === "erp-main" ? { ...i, vpc: { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] } } : i,
  );
  templates = [
    synthTemplate("shipped", join(REPO_ROOT, "deploy.config.json"), { connectors }),
    synthTemplate("reference", REFERENCE_CONFIG, fixtureRegistry, fixtureEntries),
    synthTemplate("options", withOptions, fixtureRegistry, fixtureEntries),
  ];
  // One run for all three (cfn-lint's start-up is most of its time); exit code 0/2/4/... encodes levels.
  const result = spawnSync("cfn-lint", ["--format", "json", "--", ...templates], { encoding: "utf8", timeout: 120_000 });
  if (result.error) throw result.error;
  findings = JSON.parse(result.stdout || "[]") as Finding[];
}, 240_000); // three synths with cdk-nag and one cfn-lint run: ~15 s alone, far more on a busy shared machine
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("cfn-lint on the synthesized templates", () => {
  it("reports no errors", (ctx) => {
    if (!cfnLintVersion) ctx.skip(MISSING);
    expect(templates).toHaveLength(3);
    expect(findings.filter((f) => f.Level === "Error").map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
  });

  it("reports only the warnings listed with their reason: one W3005 per function", (ctx) => {
    if (!cfnLintVersion) ctx.skip(MISSING);
    const warnings = findings.filter((f) => f.Level !== "Error");
    const unexplained = warnings.filter((w) => !ACCEPTED_WARNINGS.some((a) => a.rule === w.Rule.Id && a.message.test(w.Message)));
    expect(unexplained.map((w) => `${w.Rule.Id} ${w.Message}`)).toEqual([]);
    // Every function carries the redundant role DependsOn: 5 functions in each template
    // (shipped: 3 connectors + notifier + ingress; reference and options likewise).
    const perTemplate = templates.map((t) => warnings.filter((w) => w.Filename === t).length);
    expect(perTemplate).toEqual([5, 5, 5]);
  });
});
