import { resolveServiceName } from "./service-name";

/** The units this project publishes (EMF `Unit`, a CloudWatch StandardUnit). */
export type MetricUnitName = "Count" | "Milliseconds";

/** What {@link InvocationMetrics} publishes through: {@link EmfMetrics}, or a fake in a unit test. */
export interface MetricsSink {
  addMetric(name: string, unit: MetricUnitName, value: number): void;
  publishStoredMetrics(): void;
}

/** Default namespace when neither the options nor `POWERTOOLS_METRICS_NAMESPACE` name one. */
export const DEFAULT_METRICS_NAMESPACE = "OroConnectors";
/** Metrics per document: Powertools flushes at 100 (MAX_METRICS_SIZE, docs/reference/aws.md §1.5), and so does this. */
export const EMF_MAX_METRICS = 100;

const truthy = new Set(["1", "y", "yes", "t", "true", "on"]);
const falsy = new Set(["0", "n", "no", "f", "false", "off"]);
const flag = (value: string | undefined): boolean | undefined => {
  const v = value?.trim().toLowerCase();
  return v === undefined ? undefined : truthy.has(v) ? true : falsy.has(v) ? false : undefined;
};

/**
 * One CloudWatch EMF document per publish, written as one line to stdout (what the Lambda runtime
 * ships to CloudWatch Logs, which extracts the metrics; docs/reference/aws.md §1.5). The output is
 * the document Powertools Metrics writes for the same metrics (namespace, one dimension set of
 * `service` plus the default dimensions, their values and the metric values at the root), with
 * its switches: `POWERTOOLS_METRICS_DISABLED` wins, else `POWERTOOLS_DEV` turns output off.
 *
 * Why not Powertools Metrics itself: its `addMetric`/`publishStoredMetrics` read several
 * environment variables per call (its invocation-scoped stores), which made the metrics publish
 * half of the runtime's own per-invocation cost in bench:runtime (reports in bench/reports/).
 * Everything here is resolved once, at construction.
 */
export class EmfMetrics implements MetricsSink {
  readonly namespace: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly disabled: boolean;
  private readonly dimensionKeys: string[];
  /**
   * The stored metrics are the first `size` entries; an entry is reused by the next publish (an
   * invocation adds the same few metrics each time: no object per metric per invocation).
   */
  private readonly stored: StoredMetric[] = [];
  private size = 0;
  /** The document's fixed JSON around the metrics, built once (publish joins strings, no object). */
  private readonly head: string;
  private readonly dimensionMembers: string;
  /** The last line's layout: reused while the next one has the same names and units in the same order. */
  private layout: Layout | undefined;

  constructor(
    options: { namespace: string; dimensions: Record<string, string>; disabled: boolean },
    private readonly write: (line: string) => void = (line) => void process.stdout.write(line),
  ) {
    this.namespace = options.namespace;
    this.dimensions = { ...options.dimensions };
    this.dimensionKeys = Object.keys(this.dimensions);
    this.disabled = options.disabled;
    this.head = `,"CloudWatchMetrics":[{"Namespace":${JSON.stringify(this.namespace)},"Dimensions":${JSON.stringify(this.dimensionKeys.length > 0 ? [this.dimensionKeys] : [])},"Metrics":[`;
    this.dimensionMembers = this.dimensionKeys.map((k) => `,${JSON.stringify(k)}:${JSON.stringify(this.dimensions[k])}`).join("");
  }

  addMetric(name: string, unit: MetricUnitName, value: number): void {
    // A name added twice keeps the last value (one value per name in an EMF document).
    for (let i = 0; i < this.size; i++) {
      const existing = this.stored[i] as StoredMetric;
      if (existing.name === name) {
        existing.unit = unit;
        existing.value = value;
        return;
      }
    }
    if (this.size >= EMF_MAX_METRICS) this.publishStoredMetrics();
    const free = this.stored[this.size];
    if (free) {
      free.name = name;
      free.unit = unit;
      free.value = value;
    } else this.stored.push({ name, unit, value });
    this.size++;
  }

  /** The EMF document of the stored metrics (without writing or clearing them). */
  serializeMetrics(timestamp = Date.now()): Record<string, unknown> {
    const stored = this.stored.slice(0, this.size);
    const doc: Record<string, unknown> = {
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: this.dimensionKeys.length > 0 ? [this.dimensionKeys] : [],
            Metrics: stored.map((m) => ({ Name: m.name, Unit: m.unit })),
          },
        ],
      },
      ...this.dimensions,
    };
    for (const m of stored) doc[m.name] = m.value;
    return doc;
  }

  /** {@link serializeMetrics} as JSON text, from the prebuilt fragments (test/emf-metrics.test.ts: the same document). */
  line(timestamp: number): string {
    let layout = this.layout;
    if (!layout || !sameLayout(layout, this.stored, this.size)) layout = this.layout = this.layoutOf();
    let values = "";
    for (let i = 0; i < this.size; i++) {
      const value = (this.stored[i] as StoredMetric).value;
      // A finite number's JSON is its String(); NaN and Infinity are JSON null, as JSON.stringify writes them.
      values += (layout.members[i] as string) + (Number.isFinite(value) ? String(value) : "null");
    }
    return `{"_aws":{"Timestamp":${timestamp}${layout.middle}${values}}`;
  }

  /** The JSON between the timestamp and the values for the stored names and units. */
  private layoutOf(): Layout {
    const stored = this.stored.slice(0, this.size);
    const defs = stored.map((m) => JSON.stringify({ Name: m.name, Unit: m.unit })).join(",");
    return {
      names: stored.map((m) => m.name),
      units: stored.map((m) => m.unit),
      middle: `${this.head}${defs}]}]}${this.dimensionMembers}`,
      members: stored.map((m) => `,${JSON.stringify(m.name)}:`),
    };
  }

  /** Writes the stored metrics as one EMF line (none stored: nothing is written) and clears them. */
  publishStoredMetrics(): void {
    if (this.size === 0) return;
    try {
      if (!this.disabled) this.write(`${this.line(Date.now())}\n`);
    } finally {
      this.size = 0;
    }
  }
}

interface StoredMetric {
  name: string;
  unit: MetricUnitName;
  value: number;
}

/** The JSON of a line that depends on its metrics' names and units only. */
interface Layout {
  names: string[];
  units: MetricUnitName[];
  middle: string;
  members: string[];
}

const sameLayout = (layout: Layout, stored: readonly StoredMetric[], size: number): boolean => {
  if (layout.names.length !== size) return false;
  for (let i = 0; i < size; i++) {
    const m = stored[i] as StoredMetric;
    if (layout.names[i] !== m.name || layout.units[i] !== m.unit) return false;
  }
  return true;
};

/**
 * Counters kept per invocation and published once as CloudWatch EMF: adding to a plain map per
 * record is far cheaper than an `addMetric` call per record, and one EMF document per invocation
 * is what CloudWatch bills and parses.
 */
export class InvocationMetrics {
  private readonly counts = new Map<string, number>();
  private durationCount = 0;
  private durationTotal = 0;
  private durationMax = 0;

  constructor(private readonly metrics: MetricsSink) {}

  count(name: string, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  duration(ms: number): void {
    this.durationCount += 1;
    this.durationTotal += ms;
    if (this.durationCount === 1 || ms > this.durationMax) this.durationMax = ms;
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** Writes the invocation's metrics (EMF) and clears them. */
  publish(): void {
    // Zero counts are left out: CloudWatch treats a missing datapoint as zero for sums, and a
    // clean invocation then writes three metrics instead of seven.
    for (const [name, value] of this.counts) if (value !== 0) this.metrics.addMetric(name, "Count", value);
    if (this.durationCount > 0) {
      this.metrics.addMetric("RecordDurationAvg", "Milliseconds", this.durationTotal / this.durationCount);
      this.metrics.addMetric("RecordDurationMax", "Milliseconds", this.durationMax);
    }
    if (this.counts.size > 0 || this.durationCount > 0) this.metrics.publishStoredMetrics();
    this.counts.clear();
    this.durationCount = 0;
    this.durationTotal = 0;
    this.durationMax = 0;
  }
}

/**
 * The metrics of one function: namespace from the options, else `POWERTOOLS_METRICS_NAMESPACE`,
 * else {@link DEFAULT_METRICS_NAMESPACE}; dimensions `service` (resolveServiceName) plus the given
 * ones; output off when `POWERTOOLS_METRICS_DISABLED` is true, or it is unset and `POWERTOOLS_DEV` is.
 */
export const createMetrics = (
  options: { namespace?: string; serviceName?: string; dimensions?: Record<string, string> },
  env: NodeJS.ProcessEnv = process.env,
): EmfMetrics => {
  const serviceName = resolveServiceName(options.serviceName, env) || "service_undefined";
  const disabled = flag(env.POWERTOOLS_METRICS_DISABLED) ?? flag(env.POWERTOOLS_DEV) ?? false;
  return new EmfMetrics({
    namespace: options.namespace || env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE,
    dimensions: { service: serviceName, ...options.dimensions },
    disabled,
  });
};
