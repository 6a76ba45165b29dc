import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorDemos, formatChecks, runDemo } from "../local-stack/demo";
import { type LocalStack, startLocalStack } from "../local-stack/stack";

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
    expect(checks.map((c) => c.check)).toEqual(declared);
    expect(checks.filter((c) => !c.ok), formatChecks(checks)).toEqual([]);
    // The demo's checks compare real state: the Oro sandbox holds the Akeneo catalog and the ERP the order.
    expect(stack.sandboxes.oro?.store.list("products").some((p) => String(p.attributes.sku).startsWith("DEMO-"))).toBe(true);
    expect((await stack.sandboxes.erp?.admin.orders())?.length).toBe(1);
  }, 120_000);
});
