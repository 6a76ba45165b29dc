import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { resolveServiceName } from "./service-name";

/**
 * Counters kept per invocation and published once as CloudWatch EMF: adding to a plain map per
 * record is far cheaper than a Powertools `addMetric` call per record, and one EMF blob per
 * invocation is what CloudWatch bills and parses.
 */
export class InvocationMetrics {
  private readonly counts = new Map<string, number>();
  private readonly durations: number[] = [];

  constructor(private readonly metrics: Metrics) {}

  count(name: string, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  duration(ms: number): void {
    this.durations.push(ms);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** Writes the invocation's metrics (EMF) and clears them. */
  publish(): void {
    // Zero counts are left out: CloudWatch treats a missing datapoint as zero for sums, and a
    // clean invocation then writes three metrics instead of seven.
    for (const [name, value] of this.counts) if (value !== 0) this.metrics.addMetric(name, MetricUnit.Count, value);
    if (this.durations.length > 0) {
      const total = this.durations.reduce((a, b) => a + b, 0);
      this.metrics.addMetric("RecordDurationAvg", MetricUnit.Milliseconds, total / this.durations.length);
      this.metrics.addMetric("RecordDurationMax", MetricUnit.Milliseconds, Math.max(...this.durations));
    }
    if (this.counts.size > 0 || this.durations.length > 0) this.metrics.publishStoredMetrics();
    this.counts.clear();
    this.durations.length = 0;
  }
}

export const createMetrics = (options: { namespace?: string; serviceName?: string; dimensions?: Record<string, string> }): Metrics => {
  const serviceName = resolveServiceName(options.serviceName);
  return new Metrics({
    namespace: options.namespace ?? process.env.POWERTOOLS_METRICS_NAMESPACE ?? "OroConnectors",
    ...(serviceName ? { serviceName } : {}),
    ...(options.dimensions ? { defaultDimensions: options.dimensions } : {}),
  });
};
