import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatOutageReport, type OutageResult, runOutage } from "../proof/outage/run";

/**
 * The outage proof, reduced for CI: Oro down mid-sync until every record not yet written sits in
 * a DLQ (maxReceiveCount 3 here), back, the notifier catches up, the DLQs are redriven with the ops
 * CLI's function, everything lands and the alerts are resolved; then the Oro client secret and
 * the Akeneo password rotate mid-sync on a fresh stack.
 */
let result: OutageResult;
const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  result = await runOutage({ seed: 5, products: 200, orders: 10, rotationProducts: 200, rotationOrders: 10, maxReceiveCount: 3, timeoutMs: 90_000 });
}, 150_000);
afterAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
});

describe("outage (CI size)", () => {
  it("dead-letters what Oro could not take, lands all of it after the redrive, and resolves the alerts it created", () => {
    const report = formatOutageReport(result).join("\n");
    expect(result.timedOut, report).toBe(false);
    expect(result.outage.inDlq, report).toBeGreaterThan(10);
    expect(result.outage.landedAfterRedrive, report).toBe(result.outage.inDlq);
    expect(result.outage.lost, report).toBe(0);
    expect(result.outage.duplicated, report).toBe(0);
    expect(result.outage.leftInDlq, report).toBe(0);
    expect(
      result.outage.redrives.every((r) => r.failed === 0 && r.notDeleted === 0),
      report,
    ).toBe(true);
    expect(result.outage.alertsCreated, report).toBeGreaterThan(0);
    expect(result.outage.alertsResolved, report).toBe(result.outage.alertsCreated);
  });

  it("leaves no lasting failure after the secrets rotate mid-sync", () => {
    const report = formatOutageReport(result).join("\n");
    // The rotation fell inside the sync: part of the products landed with the new secrets.
    expect(result.rotation.landedAtRotation, report).toBeGreaterThanOrEqual(40);
    expect(result.rotation.landedAtRotation, report).toBeLessThan(200);
    expect(result.rotation.missing, report).toEqual([]);
    expect(result.rotation.dlqMessages, report).toBe(0);
    expect(result.rotation.openAlerts, report).toEqual([]);
    expect(result.summary).toBe(
      `outage: lost 0, landed after redrive ${result.outage.inDlq}/${result.outage.inDlq}, alerts created ${result.outage.alertsCreated}, resolved ${result.outage.alertsCreated}/${result.outage.alertsCreated}; rotation: lasting failures 0`,
    );
  });

  it("leaks no secret, rotated ones included", () => {
    expect(result.secrets.counts.secrets).toBeGreaterThanOrEqual(6);
    expect(result.secrets.counts.lines).toBeGreaterThan(50);
    expect(result.secretHits).toEqual([]);
  });
});
