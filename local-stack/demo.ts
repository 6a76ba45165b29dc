import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { REPO_ROOT } from "../infra/config";
import { RunLedger } from "../shared/ledger";
import { createEnvelope } from "../shared/messages";
import { windowUntilNow } from "../shared/sync";
import type { ConnectorDemo, DemoContext } from "./demo-types";
import type { LocalStack } from "./stack";

export type { ConnectorDemo, DemoContext } from "./demo-types";
export { DEMO_BAD_SKU } from "../functions/erp-stock/demo";

/** When the demo's source rows changed: a fixed past time, so no window end can fall in the same millisecond. */
const DEMO_SEEDED_AT = "2026-01-01T00:00:00.000Z";

export interface DemoCheck {
  check: string;
  expected: string;
  actual: string;
  ok: boolean;
}

/** The demos the connectors declare: `export const demo` of functions/<connector>/demo.ts, for every enabled connector. */
export const connectorDemos = async (enabled: readonly string[]): Promise<ConnectorDemo[]> => {
  const root = join(REPO_ROOT, "functions");
  const demos: ConnectorDemo[] = [];
  for (const name of readdirSync(root).sort()) {
    const file = join(root, name, "demo.ts");
    if (!existsSync(file) || !enabled.includes(name)) continue;
    const loaded = (await import(file)) as { demo?: ConnectorDemo };
    if (!loaded.demo || loaded.demo.connector !== name)
      throw new Error(`functions/${name}/demo.ts must export \`demo\`, a ConnectorDemo of connector "${name}" (local-stack/demo-types.ts)`);
    demos.push(loaded.demo);
  }
  return demos;
};

/**
 * One full cycle of every enabled connector that declares a demo (functions/<connector>/demo.ts),
 * then a comparison of what the sandboxes hold with the source data: every demo seeds, then every
 * demo starts, then, once the stack is idle, every demo verifies (each check it declared, in order).
 */
export const runDemo = async (stack: LocalStack, log: (line: string) => void): Promise<DemoCheck[]> => {
  const { oro, akeneo, erp } = stack.sandboxes;
  if (!oro || !akeneo || !erp) throw new Error("the demo needs the Oro, Akeneo and ERP sandboxes (local-stack/local.json: sandboxes.*.enabled)");
  const demos = await connectorDemos(stack.connectors.map((c) => c.resolved.connector));
  const checks: DemoCheck[] = [];
  const window = windowUntilNow(new Date("2000-01-01T00:00:00Z"));
  const context = (demo: ConnectorDemo): DemoContext => ({
    stack,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    seededAt: DEMO_SEEDED_AT,
    log,
    async send(connector, type, id, payload) {
      const target = stack.connectors.find((c) => c.resolved.connector === connector);
      if (!target) throw new Error(`the deploy config does not enable ${connector}`);
      await stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: target.queueUrl,
          MessageBody: JSON.stringify(createEnvelope({ id, integration: target.resolved.integration, connector, type, payload })),
        }),
      );
    },
    check(name, expected, actual) {
      if (!demo.checks.includes(name)) throw new Error(`${demo.connector} demo: check "${name}" is not among its declared checks`);
      checks.push({ check: name, expected: String(expected), actual: String(actual), ok: String(expected) === String(actual) });
    },
  });
  const contexts = demos.map((demo) => [demo, context(demo)] as const);

  log(`seeding: ${demos.map((d) => d.connector).join(", ")}`);
  for (const [demo, ctx] of contexts) await demo.seed?.(ctx);
  log("running");
  for (const [demo, ctx] of contexts) await demo.start(ctx);
  await stack.idle(180_000);
  log("comparing the sandboxes with the source data");
  for (const [demo, ctx] of contexts) await demo.verify(ctx);
  checks.push(...(await scheduledRunChecks(stack, log)));
  return checks;
};

/** The check of each connector's scheduled run (what `ops status` reads as its last successful run). */
export const scheduledRunCheck = (integration: string, connector: string): string => `${integration}/${connector}: scheduled run succeeded (run ledger)`;

/**
 * Fires every schedule once (the envelope the schedule sends) and checks, in the run ledger, that
 * each connector's scheduled run succeeded: after the demo, `ops status` and the progress table
 * show the last successful run of every scheduled connector (the demo's own windows may end partly
 * failed on purpose, with their bad record).
 */
const scheduledRunChecks = async (stack: LocalStack, log: (line: string) => void): Promise<DemoCheck[]> => {
  const at = new Date();
  const scheduled = stack.connectors.filter((c) => c.plan.schedule);
  log(`firing the schedule of ${scheduled.map((c) => c.resolved.connector).join(", ")} once`);
  await stack.fireSchedules((c) => scheduled.includes(c), at);
  await stack.idle(120_000);
  const ledger = new RunLedger({ tableName: stack.plan.stateTable.name, client: async () => stack.dynamodb.client });
  const runId = `${at.toISOString().slice(0, 19)}Z`;
  const checks: DemoCheck[] = [];
  for (const c of scheduled) {
    const runs = await ledger.recentRuns(c.resolved.integration, c.resolved.connector, 20);
    const found = runs.find((r) => r.runId === runId);
    checks.push({
      check: scheduledRunCheck(c.resolved.integration, c.resolved.connector),
      expected: "succeeded",
      actual: found?.outcome ?? "(no run)",
      ok: found?.outcome === "succeeded",
    });
  }
  return checks;
};

/** A fixed-width table of the checks. */
export const formatChecks = (checks: DemoCheck[]): string => {
  const rows = [["check", "expected", "actual", ""], ...checks.map((c) => [c.check, c.expected, c.actual, c.ok ? "ok" : "FAIL"])];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")).join("\n");
};
