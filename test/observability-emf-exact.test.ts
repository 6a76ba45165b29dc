import { describe, expect, it } from "vitest";
import { createMetrics, EmfMetrics, InvocationMetrics } from "../shared/observability";

/**
 * Exact EMF output of shared/observability/metrics.ts where test/emf-metrics.test.ts leaves a case
 * open (issue 16, mutation survivors): no dimensions, a name published with two units, a value that
 * is not finite, the first duration, a namespace variable with spaces.
 */
const lines = (): { out: string[]; write: (line: string) => void } => {
  const out: string[] = [];
  return { out, write: (line) => void out.push(line) };
};

describe("EmfMetrics: exact documents", () => {
  it("serializeMetrics without dimensions has an empty Dimensions list, as the line has", () => {
    const m = new EmfMetrics({ namespace: "N", dimensions: {}, disabled: false }, () => undefined);
    m.addMetric("A", "Count", 1);
    const expected = { _aws: { Timestamp: 7, CloudWatchMetrics: [{ Namespace: "N", Dimensions: [], Metrics: [{ Name: "A", Unit: "Count" }] }] }, A: 1 };
    expect(m.serializeMetrics(7)).toEqual(expected);
    expect(JSON.parse(m.line(7))).toEqual(expected);
  });

  it("a name published as Count, then as Milliseconds, carries the unit of each publish", () => {
    const { out, write } = lines();
    const m = new EmfMetrics({ namespace: "N", dimensions: { service: "s" }, disabled: false }, write);
    m.addMetric("X", "Count", 1);
    m.publishStoredMetrics();
    m.addMetric("X", "Milliseconds", 2.5);
    m.publishStoredMetrics();
    const units = out.map((l) => (JSON.parse(l) as { _aws: { CloudWatchMetrics: Array<{ Metrics: unknown[] }> } })._aws.CloudWatchMetrics[0]!.Metrics);
    expect(units).toEqual([[{ Name: "X", Unit: "Count" }], [{ Name: "X", Unit: "Milliseconds" }]]);
    expect(out.map((l) => (JSON.parse(l) as { X: number }).X)).toEqual([1, 2.5]);
  });

  it("writes NaN and Infinity as JSON null, as JSON.stringify does", () => {
    const { out, write } = lines();
    const m = new EmfMetrics({ namespace: "N", dimensions: {}, disabled: false }, write);
    m.addMetric("A", "Count", Number.NaN);
    m.addMetric("B", "Milliseconds", Number.POSITIVE_INFINITY);
    m.publishStoredMetrics();
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]!) as Record<string, unknown>;
    expect([doc.A, doc.B]).toEqual([null, null]);
  });

  it("takes POWERTOOLS_METRICS_NAMESPACE without its surrounding spaces", () => {
    expect(createMetrics({}, { POWERTOOLS_METRICS_NAMESPACE: "  FromEnv \n" } as NodeJS.ProcessEnv).namespace).toBe("FromEnv");
    expect(createMetrics({}, { POWERTOOLS_METRICS_NAMESPACE: "   " } as NodeJS.ProcessEnv).namespace).toBe("OroConnectors");
  });
});

describe("InvocationMetrics: the maximum duration", () => {
  it("is the first duration when every later one is smaller, even below zero (a clock step back), and starts over after a publish", () => {
    const { out, write } = lines();
    const m = new InvocationMetrics(new EmfMetrics({ namespace: "N", dimensions: {}, disabled: false }, write));
    m.duration(-2);
    m.duration(-5);
    m.publish();
    m.duration(3);
    m.publish();
    const docs = out.map((l) => JSON.parse(l) as { RecordDurationAvg: number; RecordDurationMax: number });
    expect(docs.map((d) => [d.RecordDurationAvg, d.RecordDurationMax])).toEqual([
      [-3.5, -2],
      [3, 3],
    ]);
  });
});
