import { describe, expect, it } from "vitest";
import { createMetrics, EmfMetrics, InvocationMetrics } from "../shared/observability";

/**
 * Exact EMF output of shared/observability/metrics.ts where test/emf-metrics.test.ts leaves a case
 * open (issue 16, mutation survivors): no dimensions, a name published with two units, a value that
 * is not finite, the first duration, a namespace variable with spaces, a line whose names are a
 * prefix of the last line's or differ from them under the same unit (the reused layout, mut-recheck).
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

  it("each line is the text of serializeMetrics, whether its names and units repeat the last line's, change order, shrink, grow or change unit", () => {
    const { out, write } = lines();
    const m = new EmfMetrics({ namespace: "N", dimensions: { service: "s", connector: "c" }, disabled: false }, write);
    const publishes: Array<Array<[string, "Count" | "Milliseconds", number]>> = [
      [
        ["A", "Count", 1],
        ["B", "Milliseconds", 2.5],
      ],
      [
        ["A", "Count", 3],
        ["B", "Milliseconds", 4],
      ],
      [
        ["B", "Milliseconds", 5],
        ["A", "Count", 6],
      ],
      [["A", "Count", 7]],
      [
        ["A", "Count", 8],
        ["B", "Milliseconds", 9],
        ["C", "Count", 10],
      ],
      [
        ["A", "Milliseconds", 11],
        ["B", "Milliseconds", 12],
        ["C", "Count", 13],
      ],
      [["C", "Count", 14]],
    ];
    const expected: string[] = [];
    for (const [i, metrics] of publishes.entries()) {
      for (const [name, unit, value] of metrics) m.addMetric(name, unit, value);
      const text = m.line(100 + i);
      expect(text).toBe(JSON.stringify(m.serializeMetrics(100 + i)));
      expected.push(text);
      m.publishStoredMetrics();
    }
    expect(
      out
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .map(({ _aws, ...values }) => [(_aws as { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }).CloudWatchMetrics[0]!.Metrics, values]),
    ).toEqual([
      [
        [
          { Name: "A", Unit: "Count" },
          { Name: "B", Unit: "Milliseconds" },
        ],
        { service: "s", connector: "c", A: 1, B: 2.5 },
      ],
      [
        [
          { Name: "A", Unit: "Count" },
          { Name: "B", Unit: "Milliseconds" },
        ],
        { service: "s", connector: "c", A: 3, B: 4 },
      ],
      [
        [
          { Name: "B", Unit: "Milliseconds" },
          { Name: "A", Unit: "Count" },
        ],
        { service: "s", connector: "c", B: 5, A: 6 },
      ],
      [[{ Name: "A", Unit: "Count" }], { service: "s", connector: "c", A: 7 }],
      [
        [
          { Name: "A", Unit: "Count" },
          { Name: "B", Unit: "Milliseconds" },
          { Name: "C", Unit: "Count" },
        ],
        { service: "s", connector: "c", A: 8, B: 9, C: 10 },
      ],
      [
        [
          { Name: "A", Unit: "Milliseconds" },
          { Name: "B", Unit: "Milliseconds" },
          { Name: "C", Unit: "Count" },
        ],
        { service: "s", connector: "c", A: 11, B: 12, C: 13 },
      ],
      [[{ Name: "C", Unit: "Count" }], { service: "s", connector: "c", C: 14 }],
    ]);
    // What was written is the line text the publish built, with its newline.
    expect(out.map((l) => l.replace(/"Timestamp":\d+/, '"Timestamp":0'))).toEqual(expected.map((l) => `${l.replace(/"Timestamp":\d+/, '"Timestamp":0')}\n`));
  });

  it("a line with only the first of the last line's metrics, or another name under the same unit, has its own definitions (the last layout is not reused)", () => {
    const { out, write } = lines();
    const m = new EmfMetrics({ namespace: "N", dimensions: {}, disabled: false }, write);
    m.addMetric("A", "Count", 1);
    m.addMetric("B", "Count", 2);
    m.publishStoredMetrics();
    // The names of the last line's prefix: same first name and unit, one metric fewer.
    m.addMetric("A", "Count", 3);
    m.publishStoredMetrics();
    // As many metrics, of the same unit, under another name.
    m.addMetric("C", "Count", 4);
    m.publishStoredMetrics();
    const head = '{"_aws":{"Timestamp":0,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[],"Metrics":[';
    expect(out.map((l) => l.replace(/"Timestamp":\d+/, '"Timestamp":0'))).toEqual([
      `${head}{"Name":"A","Unit":"Count"},{"Name":"B","Unit":"Count"}]}]},"A":1,"B":2}\n`,
      `${head}{"Name":"A","Unit":"Count"}]}]},"A":3}\n`,
      `${head}{"Name":"C","Unit":"Count"}]}]},"C":4}\n`,
    ]);
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
