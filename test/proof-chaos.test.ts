import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChaosResult, formatChaosReport, runChaos } from "../proof/chaos/run";

/**
 * The chaos proof, reduced for CI: a few hundred Akeneo products and a hundred Oro orders through
 * the whole local stack with the same fault mix (20% of Oro and ERP requests: 5xx, 429 with
 * Retry-After, connection resets, slow bodies), 2% poison records, duplicate delivery, and 20% of
 * Oro's webhook deliveries lost to a 500 or a timeout (never retried, as in Oro): those orders
 * reach the ERP through the orders connector's reconciliation window, exactly once.
 */
let result: ChaosResult;
const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;

beforeAll(async () => {
  // Logs on, so the secret scan has the runtime's lines to read (vitest's env silences them).
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  result = await runChaos({
    seed: 11,
    products: 400,
    orders: 100,
    poisonRate: 0.02,
    faultRate: 0.2,
    duplicateRate: 0.2,
    lostWebhookRate: 0.2,
    webhookTimeoutMs: 5_000,
    timeoutMs: 150_000,
  });
}, 180_000); // bounds for a loaded 2-core machine; an idle one finishes in about 25 s
afterAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
});

describe("chaos (CI size)", () => {
  it("injected every kind of fault and redelivered messages", () => {
    const report = formatChaosReport(result).join("\n");
    for (const kind of ["serverError", "throttle", "connectionReset", "slowBody"]) {
      expect(result.faults.oro[kind], report).toBeGreaterThan(0);
      expect(result.faults.erp[kind], report).toBeGreaterThan(0);
    }
    expect(result.redelivered, report).toBeGreaterThan(0);
  });

  it("lost webhooks to 500s and timeouts, none retried", () => {
    const report = formatChaosReport(result).join("\n");
    if (!result.webhooks) throw new Error(`the chaos result has no webhook summary:\n${report}`);
    const { receiver, lost500, lostTimeout, outcomes, deliveries } = result.webhooks;
    expect(receiver.answered500, report).toBeGreaterThan(0);
    expect(receiver.heldUntilTimeout, report).toBeGreaterThan(0);
    // Every loss the receiver caused is one failed attempt in Oro's log, and none was tried again.
    expect(lost500, report).toBe(receiver.answered500);
    // A forwarded delivery the ingress answered after Oro's timeout is a timeout in Oro's log too.
    expect(lostTimeout, report).toBe(receiver.heldUntilTimeout + receiver.forwardedTooLate);
    expect(outcomes.retrying ?? 0, report).toBe(0);
    expect(deliveries, report).toBe(receiver.forwarded + receiver.answered500 + receiver.heldUntilTimeout);
  });

  it("loses and duplicates nothing; every poison record is in a DLQ with its reason and has an alert", () => {
    const report = formatChaosReport(result).join("\n");
    expect(result.timedOut, report).toBe(false);
    expect(result.poisonTotal).toBe(8 + 2);
    expect(result.lost, report).toBe(0);
    expect(result.duplicated, report).toBe(0);
    expect(result.products.poisonLanded, report).toEqual([]);
    expect(result.orders.poisonLanded, report).toEqual([]);
    expect(result.dlq.unexpected, report).toEqual([]);
    expect(result.alerts.otherOpen, report).toEqual([]);
    expect(result.notifierCrashes, report).toEqual([]);
    expect(result.summary).toBe(
      `chaos: lost 0, duplicated 0, poison in DLQ ${result.poisonTotal}/${result.poisonTotal}, alerts ${result.poisonTotal}/${result.poisonTotal}`,
    );
  });

  it("leaks no secret into logs, DLQ messages, alert events or Oro alerts", () => {
    expect(result.secrets.counts.lines).toBeGreaterThan(50);
    expect(result.secrets.counts.messages).toBeGreaterThanOrEqual(result.poisonTotal);
    expect(result.secrets.counts.alerts + result.secrets.counts.notificationAlerts).toBeGreaterThan(result.poisonTotal);
    expect(result.secretHits).toEqual([]);
  });
});
