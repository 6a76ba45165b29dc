import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorDemos, formatChecks, runDemo, scheduledRunCheck } from "../local-stack/demo";
import { type LocalStack, startLocalStack } from "../local-stack/stack";
import { status } from "../ops/commands/status";
import { createContext } from "../ops/context";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ ephemeralPorts: true, endpointsFile: false, fireSchedulesAtStart: false, backoffBaseSeconds: 0 });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe("npm start -- --demo", () => {
  it("syncs every connector end to end and shows the bad record in the DLQ with its alert in Oro", async () => {
    const checks = await runDemo(stack, () => undefined);
    // Every check each enabled connector's demo declares (functions/*/demo.ts), in order: no count kept here.
    const declared = (await connectorDemos(stack.connectors.map((c) => c.resolved.connector))).flatMap((d) => d.checks);
    // Then one scheduled run per scheduled connector, succeeded in the run ledger (what `ops status` shows).
    const scheduled = stack.connectors.filter((c) => c.plan.schedule).map((c) => scheduledRunCheck(c.resolved.integration, c.resolved.connector));
    expect(scheduled).toHaveLength(3);
    expect(checks.map((c) => c.check)).toEqual([...declared, ...scheduled]);
    expect(
      checks.filter((c) => !c.ok),
      formatChecks(checks),
    ).toEqual([]);
    // The demo's checks compare real state: the Oro sandbox holds the Akeneo catalog and the ERP the order.
    expect(stack.sandboxes.oro?.store.list("products").some((p) => String(p.attributes.sku).startsWith("DEMO-"))).toBe(true);
    expect((await stack.sandboxes.erp?.admin.orders())?.length).toBe(1);

    // `ops status` on the demo shows the last successful run of every connector.
    const ctx = createContext({ local: stack.endpoints });
    try {
      const result = await status(ctx, { alerts: 0 });
      expect(result.connectors.map((c) => [c.connector, c.runs.available && c.runs.lastSucceeded?.outcome])).toEqual(
        stack.connectors.map((c) => [c.resolved.connector, "succeeded"]),
      );
    } finally {
      ctx.close();
    }
  }, 120_000);
});
