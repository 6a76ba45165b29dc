import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badCategories, erpStockTarget } from "../proof/fuzz/generate";
import { formatReport, type FuzzResult, runFuzz } from "../proof/fuzz/run";

/**
 * The fuzz proof, reduced for CI: a few hundred bad bodies (every category, the size-limit and
 * deepest-nesting bodies included) and a hundred good erp-stock messages through the runtime on
 * fauxqs via the event source mapping, with the Oro sandbox and the notifier.
 */
let result: FuzzResult;
const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;

beforeAll(async () => {
  // Logs on, so the secret scan has the runtime's lines to read (vitest's env silences them).
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  result = await runFuzz({ seed: 7, bad: 340, good: 100, timeoutMs: 90_000 });
}, 120_000);
afterAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
});

describe("fuzz (CI size)", () => {
  it("represents every category, and both sides of the SQS size limit", () => {
    for (const category of [...Object.keys(badCategories(erpStockTarget())), "size", "good"])
      expect(result.categories.get(category)?.generated, category).toBeGreaterThan(0);
    const size = result.categories.get("size");
    expect(size?.refused).toBeGreaterThan(0);
    expect(size?.outcomes["dlq-with-reason"]).toBeGreaterThan(0);
  });

  it("crashes no batch, dead-letters every bad body that entered the queue with its reason, and processes every good one exactly once", () => {
    const report = formatReport(result).join("\n");
    expect(result.timedOut, report).toBe(false);
    expect(result.crashes, report).toEqual([]);
    expect(result.bad.eligible).toBeGreaterThan(300);
    expect(result.bad.withReason, report).toBe(result.bad.eligible);
    expect(result.good.processedOnce, report).toBe(100);
    expect(result.unattributedDlq).toBe(0);
    expect(result.alertsDlq, report).toBe(0);
    expect(result.summary).toBe(`fuzz: batch crashes 0, bad in DLQ with reason ${result.bad.eligible}/${result.bad.eligible}, good processed 100/100`);
  });

  it("pollutes no prototype and leaks no secret into logs, DLQ messages, alert events or Oro alerts", () => {
    expect(result.pollution).toEqual([]);
    // The scan only means something if there was plenty to scan.
    expect(result.secrets.counts.lines).toBeGreaterThan(300);
    expect(result.secrets.counts.messages).toBeGreaterThan(300);
    expect(result.secrets.counts.alerts + result.secrets.counts.notificationAlerts).toBeGreaterThan(300);
    expect(result.secretHits).toEqual([]);
  });
});
