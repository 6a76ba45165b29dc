import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { type OutageResult, outagePassed } from "../proof/outage/run";
import { deadRecords, landedAfterRedrive } from "../proof/outage/verify";
import { ErpState } from "../sandboxes/erp";
import type { ErpOrderRecord } from "../sandboxes/erp";
import { ORO_RESOURCES, OroStore } from "../sandboxes/oro";

/**
 * The outage checker (proof/outage/verify.ts and outagePassed) on hand-made states: which
 * dead-lettered records were not in their target when Oro came back, how many landed after the
 * redrive, and when the run counts as passed (issue 16, gap 1).
 */

const page = (skus: string[]): Message => ({
  Body: JSON.stringify({
    type: "page",
    payload: { products: skus.map((sku) => ({ identifier: sku, values: { sku: [{ locale: null, scope: null, data: sku }] } })) },
  }),
});
const order = (id: string): Message => ({ Body: JSON.stringify({ topic: "order.created", eventData: { data: { type: "orders", id } } }) });

describe("Function: deadRecords", () => {
  it("keeps the products of a dead page not in Oro (case-insensitively) and the orders not in the ERP", () => {
    const oro = { store: new OroStore(ORO_RESOURCES) };
    oro.store.mustTable("products").put({ type: "products", id: "1", attributes: { sku: "out-00001" }, relationships: {} });
    const erp = new ErpState();
    erp.orders.set("ERP-1", { orderNumber: "ERP-1", order: { source: { system: "oro", orderId: "11" } } } as unknown as ErpOrderRecord);
    const dlq = [
      { connector: "akeneo-products", message: page(["OUT-00001", "OUT-00002", "OUT-00003"]) },
      // A redelivered page: the same records once.
      { connector: "akeneo-products", message: page(["OUT-00003"]) },
      { connector: "oro-orders-to-erp", message: order("11") },
      { connector: "oro-orders-to-erp", message: order("12") },
      { connector: "oro-orders-to-erp", message: order("12") },
    ];

    const dead = deadRecords(dlq, oro, { state: erp });

    expect([...dead.products]).toEqual(["OUT-00002", "OUT-00003"]);
    expect([...dead.orders]).toEqual(["12"]);
  });
});

describe("Function: landedAfterRedrive", () => {
  it("counts the dead records the checks no longer report missing, orders by their identifier", () => {
    const dead = { products: new Set(["P-1", "P-2", "P-3"]), orders: new Set(["12", "13", "14"]) };
    const identifierOf = new Map([
      ["12", "OUT-O-12"],
      ["13", "OUT-O-13"],
    ]);

    // P-2 and order 13 still missing; order 14 has no identifier (counted by its id, not missing).
    expect(landedAfterRedrive(dead, { missing: ["P-2"] }, { missing: ["OUT-O-13"] }, identifierOf)).toBe(4);
    expect(landedAfterRedrive(dead, { missing: [] }, { missing: ["14"] }, identifierOf)).toBe(5);
    expect(landedAfterRedrive(dead, { missing: ["P-1", "P-2", "P-3"] }, { missing: ["OUT-O-12", "OUT-O-13", "14"] }, identifierOf)).toBe(0);
  });
});

describe("Function: outagePassed", () => {
  const passing = {
    timedOut: false,
    outage: { lost: 0, duplicated: 0, inDlq: 7, landedAfterRedrive: 7, alertsCreated: 2, alertsResolved: 2, leftInDlq: 0 },
    rotation: { lastingFailures: 0 },
    secrets: { hits: [] },
  } as unknown as OutageResult;

  it("passes only when the outage dead-lettered something, everything landed after the redrive, alerts were raised and resolved, and the rotation lost nothing", () => {
    expect(outagePassed(passing)).toBe(true);
    const outage = (over: Partial<OutageResult["outage"]>) => ({ outage: { ...passing.outage, ...over } });
    for (const over of [
      { timedOut: true },
      outage({ lost: 1 }),
      outage({ duplicated: 1 }),
      // Oro was never really down: nothing to prove.
      outage({ inDlq: 0, landedAfterRedrive: 0 }),
      outage({ landedAfterRedrive: 6 }),
      outage({ alertsCreated: 0, alertsResolved: 0 }),
      outage({ alertsResolved: 1 }),
      outage({ leftInDlq: 1 }),
      { rotation: { lastingFailures: 1 } },
      { secrets: { hits: [{}] } },
    ]) {
      expect(outagePassed({ ...passing, ...over } as OutageResult), JSON.stringify(over)).toBe(false);
    }
  });
});
