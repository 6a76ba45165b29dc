/**
 * bench:async — a 10,000-product initial load (a backfill window) through the real connector, as
 * bench:sync runs it (fauxqs, local Secrets Manager, both sandboxes at 50 ms per request, Oro
 * capped at 4 requests at once, the event source mapping emulator: 5 invocations of 5 messages),
 * once through sync batches (`oroAsyncBatch: "never"`) and once through Oro's asynchronous batch
 * API (`auto`: each invocation's 5 pages = 500 products go as one request, polled), with the ESM's
 * batching window as deploy.config.json deploys it for akeneo-products (2 s) and once more without
 * a window (0 s), the number the decision to deploy the window rests on (docs/architecture.md "Big
 * loads"). Counts every Oro request (token, families, lookups by SKU, writes, polls, error lists)
 * per product and checks every product landed.
 *
 * The sandbox's asynchronous processing is modelled on Oro's chunking (sandboxes/oro/README.md
 * "Async batch timing"): chunks of 100 items, each taking as long as the sync requests that would
 * carry its items at Oro's sync limits (100 products x 3 included items = 7 requests: 6 of 16
 * products and one of 4 -> 7 x 50 ms = 350 ms), processed by 4 consumers at once (the same parallelism the sync path gets
 * from Oro's cap of 4). Last line: `async initial load Oro calls/product: <x>`.
 */
import { join } from "node:path";
import { generateCatalog } from "../sandboxes/akeneo";
import { chunkItems } from "../shared/oro";
import { SYNC_BATCH_MAX_INCLUDED, SYNC_BATCH_MAX_ITEMS } from "../shared/oro/constants";
import { createProductConverter } from "../functions/akeneo-products/mapping";
import { connectors } from "../functions/registry";
import { loadDeployConfig, REPO_ROOT, resolveConnectorSettings } from "../infra/config";
import { SANDBOX_SETTINGS, startHarness } from "../test/akeneo-harness";

process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
process.env.AWS_REGION ??= "us-east-1";
process.env.AWS_ACCESS_KEY_ID ??= "local";
process.env.AWS_SECRET_ACCESS_KEY ??= "local";

const RECORDS = Number(process.env.ASYNC_BENCH_RECORDS ?? 10_000);
const LATENCY_MS = 50;
const ORO_CAP = 4;
const CONSUMERS = ORO_CAP;
// The batching window akeneo-products is deployed with (deploy.config.json), not one of the bench's own.
const deployed = resolveConnectorSettings(loadDeployConfig(join(REPO_ROOT, "deploy.config.json"), { connectors }), { connectors }).find(
  (c) => c.connector === "akeneo-products",
);
if (!deployed) throw new Error("akeneo-products is not in deploy.config.json");
const DEPLOYED_WINDOW_MS = deployed.batchingWindowSeconds * 1000;
const ESM = { batchSize: 5, maxConcurrency: 5, timeoutMs: 120_000, batchingWindowMs: DEPLOYED_WINDOW_MS };
const RUN_LIMIT_MS = 300_000;
const CATALOG = { updatedAt: "2024-01-01T00:00:00Z" };

// A chunk of 100 takes as long as the sync requests that would carry it.
const sample = generateCatalog({ count: 100, ...CATALOG });
const converter = createProductConverter(SANDBOX_SETTINGS);
const families = new Map(sample.map((p) => [String(p.family), "1"]));
const syncRequestsPerChunk = chunkItems(
  sample.map((p) => converter.convert(p, { lookups: { attributeFamilies: families } })),
  SYNC_BATCH_MAX_ITEMS,
  SYNC_BATCH_MAX_INCLUDED,
).length;
const CHUNK_MS = syncRequestsPerChunk * LATENCY_MS;

interface Row {
  path: string;
  seconds: number;
  oroCalls: number;
  writes: number;
  polls: number;
  errorLists: number;
  lookups: number;
}

const run = async (path: string, settings: Record<string, unknown>, batchingWindowMs = DEPLOYED_WINDOW_MS): Promise<Row> => {
  const h = await startHarness({
    catalog: { count: RECORDS, ...CATALOG },
    akeneoLatencyMs: LATENCY_MS,
    oroLatencyMs: LATENCY_MS,
    oroMaxConcurrent: ORO_CAP,
    oroAsync: { chunkMs: CHUNK_MS, consumers: CONSUMERS },
    settings,
  });
  try {
    const esm = h.startEsm({ ...ESM, batchingWindowMs });
    await h.oro.admin.resetStats();
    const started = performance.now();
    await h.sendBackfill("2023-12-31T00:00:00Z", "2024-01-02T00:00:00Z");
    await esm.idle({ timeoutMs: RUN_LIMIT_MS, settleMs: 0 });
    const seconds = (performance.now() - started) / 1000;
    const landed = h.oro.store.mustTable("products").size;
    if (landed !== RECORDS) throw new Error(`${path}: only ${landed} of ${RECORDS} products landed`);
    const dlq = await h.dlq();
    if (dlq.length > 0) throw new Error(`${path}: ${dlq.length} messages in the DLQ`);
    const stats = await h.oro.admin.stats();
    const route = (r: string) => stats.byRoute[r] ?? 0;
    return {
      path,
      seconds,
      oroCalls: stats.requests,
      writes: route("PATCH /admin/api/products"),
      polls: route("GET /admin/api/asyncoperations/{id}"),
      errorLists: route("GET /admin/api/asyncoperations/{id}/errors"),
      lookups: route("GET /admin/api/products"),
    };
  } finally {
    await h.stop();
  }
};

console.log(
  `bench:async — ${RECORDS} products, initial load; Akeneo and Oro at ${LATENCY_MS} ms/request, Oro capped at ${ORO_CAP}; ESM ${JSON.stringify(ESM)}; ` +
    `async model: chunks of 100, ${CHUNK_MS} ms each (= ${syncRequestsPerChunk} sync requests x ${LATENCY_MS} ms), ${CONSUMERS} consumers`,
);
const rows = [
  await run(`sync, window ${DEPLOYED_WINDOW_MS / 1000} s`, { oroAsyncBatch: "never" }),
  await run(`async, window ${DEPLOYED_WINDOW_MS / 1000} s (deployed)`, { oroAsyncBatch: "auto" }),
  ...(DEPLOYED_WINDOW_MS > 0 ? [await run("async, window 0 s", { oroAsyncBatch: "auto" }, 0)] : []),
];
console.log("| path | seconds | products/s | Oro calls/product | Oro calls | product writes | polls | error lists | lookups by SKU |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.path} | ${r.seconds.toFixed(2)} | ${(RECORDS / r.seconds).toFixed(0)} | ${(r.oroCalls / RECORDS).toFixed(4)} | ${r.oroCalls} | ${r.writes} | ${r.polls} | ${r.errorLists} | ${r.lookups} |`,
  );
}
const asyncRow = rows[1] as Row;
const noWindow = rows[2];
if (noWindow)
  console.log(
    `without the batching window: ${(noWindow.oroCalls / RECORDS).toFixed(4)} Oro calls/product (${(noWindow.oroCalls / asyncRow.oroCalls).toFixed(1)}x the deployed ${DEPLOYED_WINDOW_MS / 1000} s window's), ${noWindow.seconds.toFixed(2)} s vs ${asyncRow.seconds.toFixed(2)} s`,
  );
console.log(`async initial load Oro calls/product: ${(asyncRow.oroCalls / RECORDS).toFixed(4)}`);
