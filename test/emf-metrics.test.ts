import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMetrics, EmfMetrics, InvocationMetrics } from "../shared/observability";
import { EMF_MAX_METRICS } from "../shared/observability/metrics";

/**
 * The runtime's own EMF writer (shared/observability/metrics.ts) against the document Powertools
 * Metrics writes for the same metrics, and its switches (docs/reference/aws.md §1.5).
 */
const captureStdout = () => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("EmfMetrics", () => {
  it("writes one stdout line equal to Powertools' EMF document for the same namespace, service, dimensions and metrics", () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    vi.stubEnv("POWERTOOLS_SERVICE_NAME", "erp-main-erp-stock");
    const dimensions = { connector: "erp-stock", integration: "erp-main" };
    // Powertools gets the name resolveServiceName picks (the stack's variable wins over the code's).
    const powertools = new Metrics({ namespace: "OroConnectors", serviceName: "erp-main-erp-stock", defaultDimensions: dimensions });
    const ours = createMetrics({ serviceName: "erp-stock", dimensions }, process.env);
    const lines = captureStdout();
    for (const m of [powertools, ours] as const) {
      m.addMetric("RecordsOk", MetricUnit.Count, 10);
      m.addMetric("RecordDurationAvg", MetricUnit.Milliseconds, 1.5);
      m.addMetric("RecordDurationMax", MetricUnit.Milliseconds, 4);
      m.publishStoredMetrics();
    }
    vi.restoreAllMocks();
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith("\n") && l.indexOf("\n") === l.length - 1)).toBe(true);
    const [theirs, mine] = lines.map((l) => JSON.parse(l) as { _aws: { Timestamp: number } });
    expect(typeof mine!._aws.Timestamp).toBe("number");
    mine!._aws.Timestamp = theirs!._aws.Timestamp;
    expect(mine).toEqual(theirs);
    expect(mine).toEqual({
      _aws: {
        Timestamp: theirs!._aws.Timestamp,
        CloudWatchMetrics: [
          {
            Namespace: "OroConnectors",
            Dimensions: [["service", "connector", "integration"]],
            Metrics: [
              { Name: "RecordsOk", Unit: "Count" },
              { Name: "RecordDurationAvg", Unit: "Milliseconds" },
              { Name: "RecordDurationMax", Unit: "Milliseconds" },
            ],
          },
        ],
      },
      service: "erp-main-erp-stock",
      connector: "erp-stock",
      integration: "erp-main",
      RecordsOk: 10,
      RecordDurationAvg: 1.5,
      RecordDurationMax: 4,
    });
  });

  it("writes nothing without metrics, clears after a publish, and keeps the last value of a name added twice", () => {
    const lines: string[] = [];
    const m = new EmfMetrics({ namespace: "N", dimensions: { service: "s" }, disabled: false }, (line) => lines.push(line));
    m.publishStoredMetrics();
    expect(lines).toEqual([]);
    m.addMetric("A", "Count", 1);
    m.addMetric("A", "Count", 3);
    m.publishStoredMetrics();
    m.publishStoredMetrics();
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Metrics: unknown[] }> } };
    expect(doc.A).toBe(3);
    expect(doc._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: "A", Unit: "Count" }]);
  });

  it("builds the same document as text as serializeMetrics builds as an object, names that need escaping included", () => {
    const m = new EmfMetrics({ namespace: 'Name "space"', dimensions: { service: "s\u00e9rvice", "di\\m": "v\n" }, disabled: false }, () => undefined);
    m.addMetric('Quote"d', "Count", 2);
    m.addMetric("Dur", "Milliseconds", 0.25);
    expect(JSON.parse(m.line(1234))).toEqual(m.serializeMetrics(1234));
    const none = new EmfMetrics({ namespace: "N", dimensions: {}, disabled: false }, () => undefined);
    none.addMetric("A", "Count", 1);
    expect(JSON.parse(none.line(1))).toEqual({
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: "N", Dimensions: [], Metrics: [{ Name: "A", Unit: "Count" }] }] },
      A: 1,
    });
  });

  it(`flushes at ${EMF_MAX_METRICS} metric definitions per document, as Powertools does`, () => {
    const lines: string[] = [];
    const m = new EmfMetrics({ namespace: "N", dimensions: { service: "s" }, disabled: false }, (line) => lines.push(line));
    for (let i = 0; i < EMF_MAX_METRICS + 1; i++) m.addMetric(`M${i}`, "Count", i);
    expect(lines).toHaveLength(1);
    m.publishStoredMetrics();
    const docs = lines.map((l) => JSON.parse(l) as { _aws: { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }; M100?: number });
    expect(docs.map((d) => d._aws.CloudWatchMetrics[0]!.Metrics.length)).toEqual([EMF_MAX_METRICS, 1]);
    expect(docs[1]!.M100).toBe(100);
  });

  it("resolves namespace, service and the off switches as Powertools does: POWERTOOLS_METRICS_DISABLED wins over POWERTOOLS_DEV", () => {
    const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;
    expect(createMetrics({}, env({})).namespace).toBe("OroConnectors");
    expect(createMetrics({}, env({ POWERTOOLS_METRICS_NAMESPACE: "FromEnv" })).namespace).toBe("FromEnv");
    expect(createMetrics({ namespace: "Given" }, env({ POWERTOOLS_METRICS_NAMESPACE: "FromEnv" })).namespace).toBe("Given");
    expect(createMetrics({}, env({})).dimensions).toEqual({ service: "service_undefined" });
    expect(createMetrics({ serviceName: "code" }, env({ POWERTOOLS_SERVICE_NAME: "stack" })).dimensions).toEqual({ service: "stack" });
    expect(createMetrics({}, env({})).disabled).toBe(false);
    expect(createMetrics({}, env({ POWERTOOLS_DEV: "true" })).disabled).toBe(true);
    expect(createMetrics({}, env({ POWERTOOLS_DEV: "true", POWERTOOLS_METRICS_DISABLED: "false" })).disabled).toBe(false);
    expect(createMetrics({}, env({ POWERTOOLS_METRICS_DISABLED: "1" })).disabled).toBe(true);
    const lines: string[] = [];
    const off = new EmfMetrics({ namespace: "N", dimensions: {}, disabled: true }, (line) => lines.push(line));
    off.addMetric("A", "Count", 1);
    off.publishStoredMetrics();
    off.publishStoredMetrics();
    expect(lines).toEqual([]);
  });

  it("InvocationMetrics publishes counts, then the average and maximum duration, through one EMF line", () => {
    const lines: string[] = [];
    const m = new InvocationMetrics(new EmfMetrics({ namespace: "N", dimensions: { service: "s" }, disabled: false }, (line) => lines.push(line)));
    m.count("RecordsOk", 2);
    m.duration(5);
    m.duration(1);
    m.publish();
    m.publish();
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect([doc.RecordsOk, doc.RecordDurationAvg, doc.RecordDurationMax]).toEqual([2, 3, 5]);
  });
});
