import type { EmfMetrics as Metrics } from "../shared/observability";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../shared/errors";
import { createMetrics, createRootLogger, InvocationMetrics, registerSecretValues, withKeys } from "../shared/observability";

/**
 * Observability with exact values (issue 16, mutation testing): what one invocation publishes, and
 * what a log line carries (keys, redaction, error shape and its depth).
 */
const fakeMetrics = () => {
  const added: Array<[string, string, number]> = [];
  let published = 0;
  const metrics = {
    addMetric: (name: string, unit: string, value: number) => void added.push([name, unit, value]),
    publishStoredMetrics: () => void published++,
  } as unknown as Metrics;
  return { metrics, added, published: () => published };
};

describe("Class: InvocationMetrics", () => {
  it("publishes the non-zero counts and the average and maximum record duration once, then starts over", () => {
    const f = fakeMetrics();
    const m = new InvocationMetrics(f.metrics);
    m.count("A");
    m.count("A", 2);
    m.count("Zero", 0);
    m.count("B", 5);
    m.count("B", -5);
    m.duration(10);
    m.duration(30);
    m.duration(20);
    expect([m.get("A"), m.get("B"), m.get("Missing")]).toEqual([3, 0, 0]);

    m.publish();

    expect(f.added).toEqual([
      ["A", "Count", 3],
      ["RecordDurationAvg", "Milliseconds", 20],
      ["RecordDurationMax", "Milliseconds", 30],
    ]);
    expect(f.published()).toBe(1);
    expect(m.get("A")).toBe(0);
    m.publish();
    expect(f.published()).toBe(1);
  });

  it("publishes durations alone, and zero counts alone (an EMF blob with no metric is not written)", () => {
    const f = fakeMetrics();
    const m = new InvocationMetrics(f.metrics);
    m.duration(7);
    m.publish();
    expect(f.added).toEqual([
      ["RecordDurationAvg", "Milliseconds", 7],
      ["RecordDurationMax", "Milliseconds", 7],
    ]);
    m.count("Zero", 0);
    m.publish();
    expect(f.added).toHaveLength(2);
    expect(f.published()).toBe(2);
  });

  it("creates Powertools metrics in the configured namespace with service and dimensions", () => {
    const previous = process.env.POWERTOOLS_METRICS_NAMESPACE;
    delete process.env.POWERTOOLS_METRICS_NAMESPACE;
    try {
      const emf = (metrics: Metrics) => {
        metrics.addMetric("X", "Count", 1);
        return metrics.serializeMetrics() as unknown as { _aws: { CloudWatchMetrics: Array<{ Namespace: string }> } } & Record<string, unknown>;
      };
      const given = emf(createMetrics({ serviceName: "svc", dimensions: { integration: "erp-main" } }));
      expect(given._aws.CloudWatchMetrics[0]?.Namespace).toBe("OroConnectors");
      expect([given.service, given.integration]).toEqual(["svc", "erp-main"]);
      process.env.POWERTOOLS_METRICS_NAMESPACE = "FromEnv";
      expect(emf(createMetrics({}))._aws.CloudWatchMetrics[0]?.Namespace).toBe("FromEnv");
      expect(emf(createMetrics({ namespace: "Given" }))._aws.CloudWatchMetrics[0]?.Namespace).toBe("Given");
    } finally {
      if (previous === undefined) delete process.env.POWERTOOLS_METRICS_NAMESPACE;
      else process.env.POWERTOOLS_METRICS_NAMESPACE = previous;
    }
  });
});

/** Log lines written while `work` runs (Powertools writes JSON lines to stdout/stderr). */
const logged = (work: () => void): Array<Record<string, unknown>> => {
  const lines: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  const previous = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
  try {
    work();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.env.POWERTOOLS_LOG_LEVEL = previous;
  }
  return lines
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe("Function: createRootLogger / withKeys", () => {
  it("adds the fixed keys at every level, the call's extra keys winning", () => {
    const lines = logged(() => {
      const log = withKeys(createRootLogger("keys-test"), { envelopeId: "e-1", connector: "c" });
      log.debug("d", { a: 1 });
      log.info("i", { connector: "override" });
      log.warn("w");
      log.error("e", { b: 2 });
    });
    expect(lines.map((l) => [l.level, l.message, l.envelopeId, l.connector, l.a ?? l.b ?? null, l.service])).toEqual([
      ["DEBUG", "d", "e-1", "c", 1, "keys-test"],
      ["INFO", "i", "e-1", "override", null, "keys-test"],
      ["WARN", "w", "e-1", "c", null, "keys-test"],
      ["ERROR", "e", "e-1", "c", 2, "keys-test"],
    ]);
  });

  it("redacts every string, writes bigints as text, keeps an error's code and two levels of cause", () => {
    registerSecretValues({ apiKey: "sk-observe-0000-secret" });
    const deep = new Error("level 3 sk-observe-0000-secret");
    const chain = new Error("level 0", { cause: new Error("level 1", { cause: new Error("level 2", { cause: deep }) }) });
    const [line] = logged(() =>
      createRootLogger("redact-test").error("oops sk-observe-0000-secret", {
        n: 12n,
        nested: { token: "x sk-observe-0000-secret" },
        error: chain,
        typed: new ConfigurationError("bad config"),
      }),
    );

    expect(line?.message).toBe("oops ***");
    expect(line?.n).toBe("12");
    expect(line?.nested).toEqual({ token: "x ***" });
    const error = line?.error as Record<string, unknown>;
    expect(error.name).toBe("Error");
    expect(String(error.stack)).toMatch(/^at .*observability\.test\.ts.*( \| at .*){0,7}$/);
    expect(String(error.stack).split(" | ").length).toBeLessThanOrEqual(8);
    const cause1 = error.cause as Record<string, unknown>;
    const cause2 = cause1.cause as Record<string, unknown>;
    expect([cause1.message, cause2.message, cause2.cause]).toEqual(["level 1", "level 2", undefined]);
    expect(line?.typed).toEqual({ name: "ConfigurationError", message: "bad config", code: "CONFIGURATION" });
    expect(JSON.stringify(line)).not.toContain("sk-observe-0000-secret");
  });

  it("logs without a service name when none is given", () => {
    const [line] = logged(() => createRootLogger().info("plain"));
    expect(line?.message).toBe("plain");
    expect(line?.service).not.toBe("undefined");
  });
});
