/**
 * bench:cost — what a million records cost on AWS, and whether each function fits its memory.
 *
 * Each function runs as deployed (bench/probe/build.ts bundles) in its own fresh Node process
 * (bench/probe/child.mjs: one Lambda container) with the environment and log level the stack
 * gives it (deploy.config.json through infra/config), against the local endpoints on 127.0.0.1
 * (bench/probe/rig.ts). After its first record, the sandboxes answer at 50 ms per request (as in
 * bench:sync) and the container polls its queue at its configured batch size until the warm load
 * is done: akeneo-products one backfill window over 2,000 products (listing + fan-out + pages),
 * erp-stock a 2,000-level window plus ten pushed `stock.changed` messages of 100 levels,
 * oro-orders-to-erp 50 `order.created` webhooks, the notifier 200 failure events.
 *
 * Measured there: each invocation's duration (billed GB-seconds at the configured memory on
 * arm64), invocations, SQS requests as billed (a counting proxy: each 64 KB of payload is one
 * request), Secrets Manager reads, log bytes written (stdout = CloudWatch Logs) plus Lambda's own
 * START/END/REPORT lines, and the container's peak RSS and heap. Costs use the unit prices in
 * bench/cost-model.ts. Last line: `cost per 1M records at <level> (USD): ...`.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildBundles, ROOT } from "./probe/build";
import { startProbeRig } from "./probe/rig";
import { costPerMillion, PRICES, PRICES_AS_OF, type UsagePerRecord } from "./cost-model";

const ONLY = process.env.COST_FUNCTIONS?.split(",");
const LATENCY_MS = 50;
/** Lambda writes START, END and REPORT lines per invocation in text format: about 270 bytes. */
const PLATFORM_LOG_BYTES_PER_INVOCATION = 270;

const bundles = await buildBundles({ sourceMaps: false, outDir: join(ROOT, ".bench-out", "cost") });
const rig = await startProbeRig({ warmLatencyMs: LATENCY_MS });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export interface CostRow {
  name: string;
  memoryMb: number;
  batchSize: number;
  records: number;
  invocations: number;
  medianInvocationMs: number;
  gbSecondsPerRecord: number;
  usage: UsagePerRecord;
  logBytesPerRecord: number;
  maxRssMb: number;
  heapPeakMb: number;
  heapDeltaMb: number;
  headroom: number;
  cost: ReturnType<typeof costPerMillion>;
}
const rows: CostRow[] = [];
try {
  for (const spec of rig.specs.filter((s) => !ONLY || ONLY.includes(s.name))) {
    const bundle = bundles[spec.name];
    if (!bundle) throw new Error(`no bundle for ${spec.name}`);
    const r = await rig.probe(spec, bundle.file, true);
    const warm = r.warm;
    if (!warm || !r.sqs) throw new Error(`${spec.name}: no warm report`);
    const failures = warm.invocations.reduce((n, i) => n + i.failures, 0);
    if (failures > 0) throw new Error(`${spec.name}: ${failures} records failed in the warm phase`);
    if (spec.name === "akeneo-products") {
      const landed = r.oroProductsAdded;
      if (landed !== r.records) throw new Error(`akeneo-products: ${landed} of ${r.records} products landed`);
    }
    // Lambda bills each invocation's duration rounded up to the millisecond.
    const gbSeconds = warm.invocations.reduce((s, i) => s + (Math.ceil(i.ms) / 1000) * (spec.memoryMb / 1024), 0);
    const logBytes = r.warmLogBytes + warm.invocations.length * PLATFORM_LOG_BYTES_PER_INVOCATION;
    const usage: UsagePerRecord = {
      gbSeconds: gbSeconds / r.records,
      invocations: warm.invocations.length / r.records,
      sqsRequests: r.sqs.billed / r.records,
      secretReads: r.secretReads / r.records,
      // The run ledger's and the leases' requests, one request unit each (items are far below 1 KB / 4 KB).
      dynamoWrites: r.dynamo.writes / r.records,
      dynamoReads: r.dynamo.reads / r.records,
      logBytes: logBytes / r.records,
    };
    rows.push({
      name: spec.name,
      memoryMb: spec.memoryMb,
      batchSize: spec.batchSize,
      records: r.records,
      invocations: warm.invocations.length,
      medianInvocationMs: median(warm.invocations.map((i) => i.ms)),
      gbSecondsPerRecord: usage.gbSeconds,
      usage,
      logBytesPerRecord: r.warmLogBytes / r.records,
      maxRssMb: warm.maxRssMb,
      heapPeakMb: warm.heapPeakMb,
      heapDeltaMb: warm.heapPeakMb - warm.heapBaseMb,
      headroom: spec.memoryMb / warm.maxRssMb,
      cost: costPerMillion(usage),
    });
  }
} finally {
  await rig.stop();
}

const usd = (v: number) => (v < 0.01 ? v.toFixed(4) : v.toFixed(3));
console.log(
  `node ${process.version}; one fresh container per function, sandboxes at ${LATENCY_MS} ms per request during the warm load; log level ${rig.logLevel} (deploy.config.json)`,
);
console.log(
  `unit prices (us-east-1, as of ${PRICES_AS_OF}): ${Object.values(PRICES)
    .map((p) => `${p.label} ${p.usd} USD per ${p.per}`)
    .join("; ")}`,
);
console.log("");
console.log(
  "| function | memory MB | batch | records | invocations | median invocation ms | GB-s / 1M records | SQS requests / record | secret reads / 1M | log bytes / record (app) | USD / 1M records | of which Lambda | SQS | Logs |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.memoryMb} | ${r.batchSize} | ${r.records} | ${r.invocations} | ${r.medianInvocationMs.toFixed(0)} | ${(r.gbSecondsPerRecord * 1e6).toFixed(0)} | ${r.usage.sqsRequests.toFixed(4)} | ${(r.usage.secretReads * 1e6).toFixed(0)} | ${r.logBytesPerRecord.toFixed(1)} | ${usd(r.cost.total)} | ${usd(r.cost.lambda)} | ${usd(r.cost.sqs)} | ${usd(r.cost.logs)} |`,
  );
}
console.log("");
console.log(
  "| function | memory MB | peak RSS MB (container) | heap peak MB | heap growth in the warm load MB | headroom (memory / peak RSS) | fits with 2x |",
);
console.log("|---|---:|---:|---:|---:|---:|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.memoryMb} | ${r.maxRssMb.toFixed(0)} | ${r.heapPeakMb.toFixed(1)} | ${r.heapDeltaMb.toFixed(1)} | ${r.headroom.toFixed(1)}x | ${r.headroom >= 2 ? "yes" : "NO"} |`,
  );
}
mkdirSync(join(ROOT, ".bench-out"), { recursive: true });
writeFileSync(join(ROOT, ".bench-out", "cost.json"), JSON.stringify({ rows, prices: PRICES, pricesAsOf: PRICES_AS_OF }, null, 2));
const pick = (name: string) => rows.find((r) => r.name === name);
const worst = [...rows].sort((a, b) => a.headroom - b.headroom)[0];
console.log(`worst memory headroom: ${worst ? `${worst.headroom.toFixed(1)}x (${worst.name})` : "n/a"}`);
console.log(
  `cost per 1M records at ${rig.logLevel} (USD): akeneo-products ${usd(pick("akeneo-products")?.cost.total ?? NaN)}, erp-stock ${usd(pick("erp-stock")?.cost.total ?? NaN)}`,
);
