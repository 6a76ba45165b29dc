/**
 * bench:sync — Akeneo products into Oro through the real connector: fauxqs, the local Secrets
 * Manager, the Akeneo and Oro sandboxes at 50 ms per request (Oro capped at 4 requests at once),
 * the real handler behind the event source mapping emulator (5 concurrent invocations of 5
 * messages, 10 records at once each). After a warm-up sync of 300 other products (module load,
 * JIT, token caches: warm containers), one window message of 10,000 changed products, timed from
 * the send until every product is in Oro and the queue is empty. Then the same with one product
 * per Oro request, on fewer products (that run is ~12x slower per record).
 *
 * Prints records/s, Oro calls per record, peak RSS of the process (everything runs in this one
 * process: sandboxes, queue, handlers), and last `sync throughput/bound: <x>`. The bound comes from
 * the limits the pipeline must live within, never from what the run achieved: the slower of
 * Akeneo's sequential paging (100 products per request, one request at a time, at the sandbox
 * latency) and Oro's sync batches at Oro's documented limits (at most 100 primary and 50 included
 * items per request, docs/reference/oro-api.md §5.2) packed from this catalog's converted products
 * (so the included items each product needs set the products per request), `cap` requests at once
 * at the sandbox latency.
 */
import { chunkItems } from "../shared/oro";
import { SYNC_BATCH_MAX_INCLUDED, SYNC_BATCH_MAX_ITEMS } from "../shared/oro/constants";
import { generateCatalog } from "../sandboxes/akeneo";
import type { AkeneoProduct } from "../sandboxes/akeneo";
import { createProductConverter } from "../functions/akeneo-products/mapping";
import { SANDBOX_SETTINGS, startHarness } from "../test/akeneo-harness";

process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
process.env.AWS_REGION ??= "us-east-1";
// fauxqs and the local Secrets Manager take any credentials; the SDK only needs some.
process.env.AWS_ACCESS_KEY_ID ??= "local";
process.env.AWS_SECRET_ACCESS_KEY ??= "local";

const RECORDS = Number(process.env.SYNC_BENCH_RECORDS ?? 10_000);
const SINGLE_RECORDS = Number(process.env.SYNC_BENCH_SINGLE_RECORDS ?? 500);
const WARMUP_RECORDS = 300;
const LATENCY_MS = 50;
const ORO_CAP = Number(process.env.SYNC_BENCH_ORO_CAP ?? 4);
const ESM = { batchSize: 5, maxConcurrency: 5, timeoutMs: 60_000 };
const RUN_LIMIT_MS = 180_000;
const AKENEO_PAGE = 100;
/** `SYNC_BENCH_LEDGER=off` runs the connector without the run ledger (docs/ledger.md: its effect on throughput). */
const LEDGER = process.env.SYNC_BENCH_LEDGER !== "off";
const LEDGER_TABLE = "bench-state";
const CATALOG = { updatedAt: "2024-01-01T00:00:00Z" };

/**
 * Oro's limits applied to the catalog being synced: the fewest sync batch requests that can carry
 * these products (the connector's own converter, so the included items per product are the real
 * ones), packed in order up to 100 primary / 50 included items per request.
 */
const oroLimitsFor = (products: AkeneoProduct[]) => {
  const converter = createProductConverter(SANDBOX_SETTINGS);
  const families = new Map(products.map((p) => [String(p.family), "1"]));
  const items = products.map((p) => converter.convert(p, { lookups: { attributeFamilies: families } }));
  const included = items.reduce((n, item) => n + (item.included?.length ?? 0), 0);
  const requests = chunkItems(items, SYNC_BATCH_MAX_ITEMS, SYNC_BATCH_MAX_INCLUDED).length;
  return { includedPerProduct: included / items.length, requests, productsPerRequest: items.length / requests };
};

interface RunResult {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  oroCalls: number;
  oroWrites: number;
  akeneoCalls: number;
  peakRssMb: number;
  invocations: number;
  peakOroConcurrency: number;
  /** CPU time of this process during the timed run, in cores (1.0 = one core busy all along). */
  cpuCores: number;
  /** DynamoDB requests of the run ledger during the timed run. */
  ledgerRequests: number;
  /** Oro calls other than the product writes, by route. */
  otherOroCalls: Record<string, number>;
  /** Where Oro's cap sat unused (diagnostics: pipeline fill, middle, drain). */
  oroIdle: OroIdle;
}

/**
 * Oro's unused capacity over the run, from its in-flight requests sampled every 5 ms: the
 * seconds until the cap is first full (fill), after it is last full (drain), and the cap-seconds
 * left unused before, between and after.
 */
interface OroIdle {
  firstFullS: number;
  lastFullS: number;
  idleFillCapS: number;
  idleMiddleCapS: number;
  idleDrainCapS: number;
}

const sampleOroIdle = (inFlight: () => number, cap: number) => {
  const samples: Array<{ at: number; n: number }> = [];
  const started = performance.now();
  const timer = setInterval(() => samples.push({ at: performance.now() - started, n: inFlight() }), 5);
  return (endMs: number): OroIdle => {
    clearInterval(timer);
    const full = samples.filter((s) => s.n >= cap);
    const first = full[0]?.at ?? endMs;
    const last = full[full.length - 1]?.at ?? endMs;
    const idle = { fill: 0, middle: 0, drain: 0 };
    samples.forEach((s, i) => {
      const dt = ((samples[i + 1]?.at ?? endMs) - s.at) / 1000;
      const unused = (cap - Math.min(cap, s.n)) * dt;
      if (s.at < first) idle.fill += unused;
      else if (s.at > last) idle.drain += unused;
      else idle.middle += unused;
    });
    return { firstFullS: first / 1000, lastFullS: last / 1000, idleFillCapS: idle.fill, idleMiddleCapS: idle.middle, idleDrainCapS: idle.drain };
  };
};

const run = async (records: number, settings: Record<string, unknown>): Promise<RunResult> => {
  const h = await startHarness({
    catalog: { count: records, ...CATALOG },
    akeneoLatencyMs: LATENCY_MS,
    oroLatencyMs: LATENCY_MS,
    oroMaxConcurrent: ORO_CAP,
    settings,
    runtime: { recordConcurrency: 10, stateTableName: LEDGER ? LEDGER_TABLE : undefined },
  });
  try {
    if (LEDGER) await h.aws.dynamodb.createStateTable(LEDGER_TABLE);
    const esm = h.startEsm(ESM);
    // Warm-up outside the timing: a small sync of other products loads modules, JIT-compiles the
    // path and fills the token caches, as in warm Lambda containers; the timed run then measures
    // the pipeline, not this process's start.
    await h.akeneo.admin.putProducts(generateCatalog({ count: WARMUP_RECORDS, prefix: "WARM-", updatedAt: "2023-06-01T00:00:00Z" }));
    await h.sendBackfill("2023-05-31T00:00:00Z", "2023-06-02T00:00:00Z");
    await esm.idle({ timeoutMs: RUN_LIMIT_MS, settleMs: 0 });
    await h.akeneo.admin.resetStats();
    await h.oro.admin.resetStats();
    const ledgerBefore = h.aws.dynamodb.requests();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const idleOf = sampleOroIdle(() => h.oro.controls.semaphore.inFlight, ORO_CAP);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await h.sendBackfill("2023-12-31T00:00:00Z", "2024-01-02T00:00:00Z");
    await esm.idle({ timeoutMs: RUN_LIMIT_MS, settleMs: 0 });
    const seconds = (performance.now() - started) / 1000;
    const oroIdle = idleOf(seconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const landed = h.oro.store.mustTable("products").size - WARMUP_RECORDS;
    if (landed !== records) throw new Error(`only ${landed} of ${records} products landed`);
    const oro = await h.oro.admin.stats();
    const akeneo = await h.akeneo.admin.stats();
    const ledgerAfter = h.aws.dynamodb.requests();
    const ledgerRequests = Object.entries(ledgerAfter).reduce((n, [op, count]) => n + count - (ledgerBefore[op] ?? 0), 0);
    return {
      ledgerRequests,
      records,
      seconds,
      recordsPerSecond: records / seconds,
      oroCalls: oro.requests,
      oroWrites: oro.byRoute["PATCH /admin/api/products"] ?? 0,
      akeneoCalls: akeneo.requests,
      peakRssMb: peakRss / 1024 / 1024,
      invocations: esm.stats.invocations,
      peakOroConcurrency: oro.maxConcurrencyObserved,
      cpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
      otherOroCalls: Object.fromEntries(Object.entries(oro.byRoute).filter(([route]) => route !== "PATCH /admin/api/products")),
      oroIdle,
    };
  } finally {
    await h.stop();
  }
};

const describe = (label: string, r: RunResult) => {
  const perWrite = r.records / Math.max(1, r.oroWrites);
  console.log(
    `${label}: ${r.records} products in ${r.seconds.toFixed(2)} s = ${r.recordsPerSecond.toFixed(0)} records/s; ` +
      `Oro calls/record ${(r.oroCalls / r.records).toFixed(3)} (${r.oroWrites} writes, ${perWrite.toFixed(1)} products/write, peak ${r.peakOroConcurrency} in flight); ` +
      `Akeneo calls ${r.akeneoCalls}; invocations ${r.invocations}; run ledger ${LEDGER ? `on, ${r.ledgerRequests} DynamoDB requests` : "off"}; peak RSS (whole process) ${r.peakRssMb.toFixed(0)} MB; ` +
      // Oro busy: its requests x latency over what the cap allows in the run's time (1.0 = cap full all along).
      `Oro busy ${((r.oroCalls * LATENCY_MS) / 1000 / (ORO_CAP * r.seconds)).toFixed(2)} of its cap; this process used ${r.cpuCores.toFixed(2)} cores`,
  );
  const idle = r.oroIdle;
  console.log(
    `  other Oro calls ${JSON.stringify(r.otherOroCalls)}; Oro cap first full at ${idle.firstFullS.toFixed(2)} s, last full at ${idle.lastFullS.toFixed(2)} s of ${r.seconds.toFixed(2)} s; ` +
      `unused cap-seconds: fill ${idle.idleFillCapS.toFixed(2)}, middle ${idle.idleMiddleCapS.toFixed(2)}, drain ${idle.idleDrainCapS.toFixed(2)} (cap x run = ${(ORO_CAP * r.seconds).toFixed(2)})`,
  );
  return perWrite;
};

console.log(
  `bench:sync — Akeneo and Oro at ${LATENCY_MS} ms/request, Oro capped at ${ORO_CAP} concurrent; ESM ${JSON.stringify(ESM)}, 10 records at once per invocation`,
);
// This benchmark measures the sync batch path: the async bulk path has its own (bench:async).
const batched = await run(RECORDS, { oroAsyncBatch: "never" });
describe("batched (sync batch, up to 100 per request)", batched);
// SYNC_BENCH_SINGLE_RECORDS=0 skips the comparison run (the report's concurrency sweep does).
if (SINGLE_RECORDS > 0) {
  const single = await run(SINGLE_RECORDS, { oroBatchSize: 1, oroAsyncBatch: "never" });
  describe("one product per Oro request", single);
  console.log(
    `speed-up of batching: ${(batched.recordsPerSecond / single.recordsPerSecond).toFixed(1)}x records/s, ${(single.oroCalls / single.records / (batched.oroCalls / batched.records)).toFixed(1)}x fewer Oro calls per record`,
  );
}

const limits = oroLimitsFor(generateCatalog({ count: RECORDS, ...CATALOG }));
const seconds = LATENCY_MS / 1000;
const akeneoBound = AKENEO_PAGE / seconds;
const oroBound = (ORO_CAP * limits.productsPerRequest) / seconds;
const bound = Math.min(akeneoBound, oroBound);
console.log(
  `bound inputs: latency ${LATENCY_MS} ms, Oro cap ${ORO_CAP}, Akeneo page ${AKENEO_PAGE}, Oro sync limits ${SYNC_BATCH_MAX_ITEMS} primary / ${SYNC_BATCH_MAX_INCLUDED} included per request, ` +
    `catalog ${RECORDS} products x ${limits.includedPerProduct.toFixed(2)} included each -> ${limits.requests} requests at the limits = ${limits.productsPerRequest.toFixed(2)} products/request`,
);
console.log(
  `bound = min(Akeneo ${AKENEO_PAGE} / ${seconds} s = ${akeneoBound.toFixed(0)}/s, Oro ${ORO_CAP} x ${limits.productsPerRequest.toFixed(2)} / ${seconds} s = ${oroBound.toFixed(0)}/s) = ${bound.toFixed(0)} products/s; ` +
    `measured ${batched.recordsPerSecond.toFixed(0)}/s with ${(batched.records / Math.max(1, batched.oroWrites)).toFixed(1)} products per write request and ${batched.oroCalls - batched.oroWrites} other Oro calls (lookups by SKU, families)`,
);
console.log(`sync throughput/bound: ${(batched.recordsPerSecond / bound).toFixed(2)}`);
