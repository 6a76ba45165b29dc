/**
 * `npm run bench`: runs every benchmark once (runtime, coldstart + first record, sync, async bulk
 * load, cost + memory), then a sweep of sync throughput against Oro's concurrency cap, and writes
 * bench/reports/latest.md (every goal with its measured value, met or not, the machine load) and
 * one SVG chart per benchmark. Each benchmark runs in its own Node 24 process.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "bench", "reports");
const SWEEP_CAPS = (process.env.BENCH_SWEEP_CAPS ?? "1,2,4,8").split(",").map(Number);
const SWEEP_RECORDS = Number(process.env.BENCH_SWEEP_RECORDS ?? 3_000);

const runScript = (script: string, env: Record<string, string> = {}): string => {
  const started = Date.now();
  process.stderr.write(`running ${script} ${Object.keys(env).length ? JSON.stringify(env) : ""}...\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}): ${result.stderr.slice(-2_000)}`);
  process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return result.stdout.trim();
};

const lastNumber = (output: string, label: string): number => {
  const line = output.split("\n").find((l) => l.startsWith(label));
  const value = Number(line?.slice(label.length).trim().split(/\s/)[0]);
  if (!Number.isFinite(value)) throw new Error(`no "${label}" line in:\n${output.slice(-1_000)}`);
  return value;
};
const match = (output: string, pattern: RegExp): string => output.match(pattern)?.[1] ?? "?";

const uptime = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")} (1, 5, 15 min) on ${availableParallelism()} cores`;
const loadBefore = uptime();
const runtime = runScript("bench/runtime.bench.ts");
const coldstart = runScript("bench/coldstart.bench.ts");
const sync = runScript("bench/sync.bench.ts");
const bulk = runScript("bench/async.bench.ts");
const cost = runScript("bench/cost.bench.ts");
const costData = JSON.parse(readFileSync(join(ROOT, ".bench-out", "cost.json"), "utf8")) as {
  rows: Array<{
    name: string;
    memoryMb: number;
    maxRssMb: number;
    headroom: number;
    logBytesPerRecord: number;
    cost: { total: number; lambda: number; sqs: number; secrets: number; logs: number };
  }>;
  prices: Record<string, { label: string; usd: number; per: string; url: string }>;
  pricesAsOf: string;
};

interface SweepPoint {
  cap: number;
  recordsPerSecond: number;
  bound: number;
}
const sweep: SweepPoint[] = SWEEP_CAPS.map((cap) => {
  const output = runScript("bench/sync.bench.ts", {
    SYNC_BENCH_ORO_CAP: String(cap),
    SYNC_BENCH_RECORDS: String(SWEEP_RECORDS),
    SYNC_BENCH_SINGLE_RECORDS: "0",
  });
  const recordsPerSecond = Number(match(output, /= (\d+) records\/s/));
  const ratio = lastNumber(output, "sync throughput/bound:");
  return { cap, recordsPerSecond, bound: recordsPerSecond / ratio };
});

/** A small line chart: measured records/s and the ideal bound against Oro's concurrency cap. */
const chart = (points: SweepPoint[]): string => {
  const width = 640;
  const height = 360;
  const pad = { left: 70, right: 150, top: 30, bottom: 50 };
  const maxX = Math.max(...points.map((p) => p.cap));
  const maxY = Math.max(...points.map((p) => Math.max(p.bound, p.recordsPerSecond))) * 1.1;
  const x = (v: number) => pad.left + (v / maxX) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const line = (values: number[], color: string, dash = "") =>
    `<polyline fill="none" stroke="${color}" stroke-width="2.5" ${dash ? `stroke-dasharray="${dash}"` : ""} points="${points.map((p, i) => `${x(p.cap).toFixed(1)},${y(values[i] as number).toFixed(1)}`).join(" ")}"/>` +
    points.map((p, i) => `<circle cx="${x(p.cap).toFixed(1)}" cy="${y(values[i] as number).toFixed(1)}" r="4" fill="${color}"/>`).join("");
  const ticksY = Array.from({ length: 6 }, (_, i) => (maxY / 5) * i);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2 - 60}" y="18" font-size="14" font-weight="bold">Sync throughput vs Oro concurrency cap</text>
${ticksY.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/><text x="${pad.left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(0)}</text>`).join("\n")}
${points.map((p) => `<text x="${x(p.cap)}" y="${height - pad.bottom + 18}" text-anchor="middle">${p.cap}</text>`).join("\n")}
<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#333"/>
<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#333"/>
<text x="${(pad.left + width - pad.right) / 2}" y="${height - 12}" text-anchor="middle">Oro concurrent request cap (50 ms per request)</text>
<text transform="translate(18 ${height / 2}) rotate(-90)" text-anchor="middle">products / s</text>
${line(
  points.map((p) => p.bound),
  "#999",
  "6 4",
)}
${line(
  points.map((p) => p.recordsPerSecond),
  "#1f77b4",
)}
<text x="${width - pad.right + 10}" y="${pad.top + 20}" fill="#1f77b4">measured</text>
<text x="${width - pad.right + 10}" y="${pad.top + 40}" fill="#777">ideal bound (slowest stage)</text>
</svg>
`;
};

const pick = (output: string, label: string) => output.split("\n").find((l) => l.startsWith(label)) ?? "";

/** A grouped bar chart: one group per label, one bar per series. */
const bars = (
  title: string,
  unit: string,
  labels: string[],
  series: Array<{ name: string; color: string; values: number[] }>,
  goal?: { value: number; text: string },
): string => {
  const width = 680;
  const height = 360;
  const pad = { left: 70, right: 170, top: 36, bottom: 70 };
  const maxY = Math.max(...series.flatMap((s) => s.values), goal?.value ?? 0) * 1.15 || 1;
  const groupW = (width - pad.left - pad.right) / labels.length;
  const barW = (groupW * 0.7) / series.length;
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const ticks = Array.from({ length: 6 }, (_, i) => (maxY / 5) * i);
  const fmt = (v: number) => (maxY < 1 ? v.toFixed(3) : maxY < 10 ? v.toFixed(2) : v.toFixed(0));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad.left}" y="20" font-size="14" font-weight="bold">${title}</text>
${ticks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/><text x="${pad.left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`).join("\n")}
${labels
  .map(
    (label, g) =>
      series
        .map((s, i) => {
          const v = s.values[g] ?? 0;
          const x = pad.left + g * groupW + groupW * 0.15 + i * barW;
          return `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(height - pad.bottom - y(v)).toFixed(1)}" fill="${s.color}"/><text x="${(x + barW / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${fmt(v)}</text>`;
        })
        .join("") + `<text x="${(pad.left + g * groupW + groupW / 2).toFixed(1)}" y="${height - pad.bottom + 18}" text-anchor="middle">${label}</text>`,
  )
  .join("\n")}
${goal ? `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(goal.value).toFixed(1)}" y2="${y(goal.value).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 4"/><text x="${width - pad.right + 10}" y="${(y(goal.value) + 4).toFixed(1)}" fill="#d62728">${goal.text}</text>` : ""}
<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#333"/>
<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#333"/>
<text transform="translate(18 ${height / 2}) rotate(-90)" text-anchor="middle">${unit}</text>
${series.map((s, i) => `<rect x="${width - pad.right + 10}" y="${pad.top + 10 + i * 20}" width="12" height="12" fill="${s.color}"/><text x="${width - pad.right + 28}" y="${pad.top + 20 + i * 20}">${s.name}</text>`).join("\n")}
</svg>
`;
};

/** The rows of a markdown table in a benchmark's output whose first cell is `first`. */
const tableRow = (output: string, first: string): string[] =>
  (output.split("\n").find((l) => l.startsWith(`| ${first} |`)) ?? "")
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());

const runtimeRatio = lastNumber(runtime, "runtime/powertools per-record ratio:");
const overheadRatio = lastNumber(runtime, "runtime/powertools overhead ratio (above the bare parse + validation loop, batch 10):");
const cpuOverheadRatio = lastNumber(runtime, "runtime/powertools overhead ratio, CPU time (batch 10):");
const coldRatio = lastNumber(coldstart, "coldstart/naive import ratio (worst function):");
const worstFirstLine = pick(coldstart, "worst function (first record, as deployed):");
const worstFirstName = match(worstFirstLine, /as deployed\): ([^;]+);/);
const worstFirstCpu = Number(match(worstFirstLine, /CPU ratio to naive: ([\d.]+)/));
const firstRatio = lastNumber(coldstart, "coldstart/naive first-record ratio (worst function):");
const noLedgerLine = pick(coldstart, "without the run ledger (the naive's work):");
const noLedgerName = match(noLedgerLine, /worst ([^,]+),/);
const noLedgerRatio = Number(match(noLedgerLine, /first-record ratio ([\d.]+)/));
const noLedgerCpu = Number(match(noLedgerLine, /CPU ratio ([\d.]+)/));
const floorLine = pick(coldstart, "floor as deployed (");
const floorRatio = Number(match(floorLine, /nothing run\): first-record ratio ([\d.]+)/));
const floorCpu = Number(match(floorLine, /nothing run\): first-record ratio [\d.]+, CPU ratio ([\d.]+)/));
const sdkFloor = match(floorLine, /alone \(Node's start included\): ([\d.]+ \/ [\d.]+)/);
const syncRatio = lastNumber(sync, "sync throughput/bound:");
const bulkCalls = lastNumber(bulk, "async initial load Oro calls/product:");
const noWindowLine = pick(bulk, "without the batching window:");
const noWindowCalls = Number(match(noWindowLine, /window: ([\d.]+) Oro calls/));
const costOf = (name: string) => costData.rows.find((r) => r.name === name)?.cost.total ?? Number.NaN;
const worstHeadroom = Math.min(...costData.rows.map((r) => r.headroom));
const batchedLine = pick(sync, "batched");
const oroBusy = match(batchedLine, /Oro busy ([\d.]+) of its cap/);
const syncCores = match(batchedLine, /this process used ([\d.]+) cores/);
const syncPerWrite = match(batchedLine, /([\d.]+) products\/write/);
const limitsPerRequest = match(sync, /= ([\d.]+) products\/request/);
const loadAfter = uptime();
const date = new Date().toISOString();
const met = (ok: boolean) => (ok ? "met" : "**not met**");

const firstNames = ["akeneo-products", "erp-stock", "oro-orders-to-erp", "notifier"];
const firstMs = (name: string) => Number(tableRow(coldstart.slice(coldstart.indexOf("first record:")), name)[3]);
const overheadRow = tableRow(runtime, "10");
/** The bench:async row whose path starts with `prefix` ("sync, window", "async, window 2 s (deployed)", ...). */
const bulkRow = (prefix: string) =>
  (bulk.split("\n").find((l) => l.startsWith(`| ${prefix}`)) ?? "")
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());
const bulkLabels = ["sync, window", "async, window", "async, window 0 s"];

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "sync-vs-oro-cap.svg"), chart(sweep));
writeFileSync(
  join(OUT, "runtime-overhead.svg"),
  bars(
    "bench:runtime: per-record time at batch 10",
    "µs per record",
    ["bare loop", "runtime", "Powertools"],
    [{ name: "µs/record (median)", color: "#1f77b4", values: [Number(overheadRow[1]), Number(overheadRow[2]), Number(overheadRow[3])] }],
  ),
);
writeFileSync(
  join(OUT, "first-record.svg"),
  bars(
    "bench:coldstart: first record of a fresh process",
    "ms (median)",
    firstNames,
    [
      { name: "function", color: "#1f77b4", values: firstNames.map(firstMs) },
      { name: "naive bundle", color: "#999", values: firstNames.map(() => firstMs("naive")) },
    ],
    { value: 0.6 * firstMs("naive"), text: "goal 0.6 x naive" },
  ),
);
writeFileSync(
  join(OUT, "async-bulk-load.svg"),
  bars(
    "bench:async: Oro calls per product, initial load",
    "Oro calls per product",
    ["sync batches", "async, deployed window", "async, no window"],
    [{ name: "calls/product", color: "#1f77b4", values: bulkLabels.map((l) => Number(bulkRow(l)[3])) }],
    { value: 0.02, text: "goal 0.02" },
  ),
);
writeFileSync(
  join(OUT, "cost-per-million.svg"),
  bars(
    "bench:cost: USD per 1,000,000 records (INFO logs)",
    "USD",
    costData.rows.map((r) => r.name),
    [
      { name: "Lambda", color: "#1f77b4", values: costData.rows.map((r) => r.cost.lambda) },
      { name: "SQS", color: "#ff7f0e", values: costData.rows.map((r) => r.cost.sqs) },
      { name: "Logs", color: "#2ca02c", values: costData.rows.map((r) => r.cost.logs) },
      { name: "total", color: "#333", values: costData.rows.map((r) => r.cost.total) },
    ],
    { value: 0.5, text: "goal 0.50" },
  ),
);
/** One first-record row's cells: name, import, handler, first record, ratio, CPU ms, CPU ratio. */
const firstRow = (name: string) => tableRow(coldstart.slice(coldstart.indexOf("first record:")), name);
const firstCpuMs = (name: string) => Number(firstRow(name)[5]);
const ledgerCpuMs = firstCpuMs(worstFirstName) - firstCpuMs(`${worstFirstName} (run ledger off)`);
const aboveFloorCpuMs = firstCpuMs(worstFirstName) - firstCpuMs(`${worstFirstName} (floor: import + DynamoDB SDK load only)`);
const limitsNotMet: string[] = [];
if (!(overheadRatio <= 0.5 && cpuOverheadRatio <= 0.5))
  limitsNotMet.push(`- **Runtime overhead.** Per invocation (spread over the batch): Powertools Logger's \`addContext\`
  (Powertools' side pays it too), the EMF line (its layout reused while names and units repeat), the
  batch run; per record: two clock reads (the deadline check and the duration), the record context and
  the promise of processing it (docs/architecture.md "A record pays only for what is on"). At batch
  1000, where per-invocation costs vanish, the ratio is ${tableRow(runtime, "1000")[7] ?? "?"}. Wall and CPU ratios differ because other
  processes' time slices land on either side at random; the CPU row is the steadier read.`);
if (!(firstRatio <= 0.6 && worstFirstCpu <= 0.6))
  limitsNotMet.push(`- **First record.** As deployed every connector has the run ledger, which reaches the state table
  with the real \`@aws-sdk/client-dynamodb\` (docs/ledger.md; the issue that asked for the ledger asked
  for that client). That SDK's load alone, in a fresh process, is ${sdkFloor} of the naive's first
  record (wall / CPU, Node's start included in CPU), and the import of ${worstFirstName} plus that load, with
  nothing else run, is ${floorRatio.toFixed(2)} / ${floorCpu.toFixed(2)} (row "(floor …)"). So 0.6 in CPU time is out of reach as deployed
  while the ledger uses the SDK, and in wall time the floor leaves ${Math.max(0, 0.6 - floorRatio).toFixed(2)} of the naive's first record
  for everything the record does. Above the floor the first record spends ${aboveFloorCpuMs.toFixed(0)} ms CPU: the secret read
  (the Secrets Manager client's first call: middleware stack, endpoint rules, signing), undici's Pool
  and the Oro token, the Oro calls, the run's ledger writes (a one-message run: 6 DynamoDB requests, each
  operation's first use setting up its serde) and its status to Oro (the channel looked up once per
  container, then one write). The ledger's share is the difference to the "(run ledger off)" row: ${ledgerCpuMs.toFixed(0)} ms CPU.
  Without the ledger (the naive's work) the worst is ${noLedgerRatio.toFixed(2)} / ${noLedgerCpu.toFixed(2)}: there the Secrets Manager SDK's load
  is the same kind of floor, which the naive pays too (it bundles both clients). What would move it:
  the Parameters and Secrets Lambda extension for the secret (not done: it needs a strict local double,
  its own cache semantics, and its process starts in the Init phase, which this local probe cannot
  see), a ledger that does not load the SDK, and Oro calls without undici's Pool.`);
if (!(syncRatio >= 0.85))
  limitsNotMet.push(`- **Sync throughput.** The write requests are near the limits (${syncPerWrite} products per write request,
  ${limitsPerRequest} at the limits: the pages an invocation writes at once are packed together; what
  is left is the remainder request of each invocation's pack, ${match(batchedLine, /invocations (\d+)/)} invocations). The other Oro
  calls are one coalesced \`filter[sku]\` lookup per invocation (needed: stock Oro allows no upsert on
  products, docs/reference/oro-writes.md), split only when its encoded query passes 7,000 bytes
  (within nginx's and Apache's 8 KB request line; functions/akeneo-products/related.ts), one
  attribute-family read per new container and the run's status to Oro.
  At Oro's cap those calls alone take calls x latency / cap; the run kept Oro ${oroBusy} busy, the rest
  is the pipeline's fill (the listing's first pages, the first invocations) and drain (the last
  invocations' lookup then writes, with fewer invocations left to overlap them). This process (fauxqs,
  both sandboxes, every handler) used ${syncCores} cores; on a loaded machine it waits for CPU, not for Oro.`);

writeFileSync(
  join(OUT, "latest.md"),
  `# Benchmark report

Generated ${date} by \`npm run bench\` on ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.
Machine load (uptime): before the run ${loadBefore}; after it ${loadAfter}. The machine is shared with
other engineers' test runs, so absolute times are noisy: every ratio below is measured within one
run, both sides interleaved, medians of repeated rounds.

## Goals

| Goal | Measured | Target | |
|---|---:|---:|---|
| Runtime overhead above the bare parse + validation loop vs Powertools' overhead (batch 10), wall time | ${overheadRatio.toFixed(2)} | <= 0.5 | ${met(overheadRatio <= 0.5)} |
| The same in CPU time (not inflated by other processes' time slices) | ${cpuOverheadRatio.toFixed(2)} | <= 0.5 | ${met(cpuOverheadRatio <= 0.5)} |
| (kept) Runtime total per-record time vs Powertools BatchProcessor in middy (batch 10) | ${runtimeRatio.toFixed(2)} | | |
| Cold start: worst function's import + init vs the naive bundle | ${coldRatio.toFixed(2)} | <= 0.6 | ${met(coldRatio <= 0.6)} |
| First record of a fresh process (import, one SQS event, secret, token, Oro calls), worst function vs naive, wall time | ${firstRatio.toFixed(2)} | <= 0.6 | ${met(firstRatio <= 0.6)} |
| The same function's first record in CPU time (${worstFirstName}) | ${worstFirstCpu.toFixed(2)} | <= 0.6 | ${met(worstFirstCpu <= 0.6)} |
| (comparison) First record without the run ledger, the naive's work (worst: ${noLedgerName}), wall / CPU | ${noLedgerRatio.toFixed(2)} / ${noLedgerCpu.toFixed(2)} | | |
| (floor) The same function's import + the DynamoDB SDK's load the run ledger needs, nothing else run, wall / CPU (the SDK alone: ${sdkFloor}) | ${floorRatio.toFixed(2)} / ${floorCpu.toFixed(2)} | | |
| Sync throughput vs the bound from Akeneo paging and Oro's sync batch limits | ${syncRatio.toFixed(2)} | >= 0.85 | ${met(syncRatio >= 0.85)} |
| Oro calls per product, 10,000-product initial load through the async batch API (polling included), batching window as deployed | ${bulkCalls.toFixed(4)} | <= 0.02 | ${met(bulkCalls <= 0.02)} |
| (decision input) the same load without a batching window | ${noWindowCalls.toFixed(4)} | | |
| akeneo-products USD per 1M records at INFO | ${costOf("akeneo-products").toFixed(3)} | < 0.50 | ${met(costOf("akeneo-products") < 0.5)} |
| erp-stock USD per 1M records at INFO | ${costOf("erp-stock").toFixed(3)} | < 0.50 | ${met(costOf("erp-stock") < 0.5)} |
| Every function fits its memory with 2x headroom (worst: memory / peak RSS) | ${worstHeadroom.toFixed(1)}x | >= 2x | ${met(worstHeadroom >= 2)} |
| Oro calls per record (batched sync, 10,000 products) | ${match(batchedLine, /Oro calls\/record ([\d.]+)/)} | | |

## What limits each goal not met

${limitsNotMet.length ? limitsNotMet.join("\n") : "Every goal is met in this run."}

Memory settings: ${costData.rows.map((r) => `${r.name} ${r.memoryMb} MB for a ${r.maxRssMb.toFixed(0)} MB peak (${r.headroom.toFixed(1)}x)`).join("; ")}.
${costData.rows
  .filter((r) => r.headroom >= 4)
  .map(
    (r) =>
      `${r.name} could run at ${Math.max(128, Math.ceil((r.maxRssMb * 2) / 64) * 64)} MB and keep 2x headroom (Lambda CPU scales with memory: check the sync's duration before lowering it).`,
  )
  .join(" ")}
${costData.rows
  .filter((r) => r.headroom < 2)
  .map((r) => `${r.name} must get more memory: at least ${Math.ceil((r.maxRssMb * 2) / 64) * 64} MB.`)
  .join(" ")}

Unit prices (us-east-1, on-demand list prices, no free tier), as of ${costData.pricesAsOf}:
${Object.values(costData.prices)
  .map((p) => `- ${p.label}: ${p.usd} USD per ${p.per} (${p.url})`)
  .join("\n")}

Not counted per record (fixed per month, not per record): secrets storage (0.40 USD per secret), the
event source mapping's idle polling of empty queues, KMS requests of SSE-KMS queues (one data key per
queue per reuse period), CloudWatch custom metrics and alarms, log storage. DynamoDB: the run ledger's
and the notifier's lease requests during the probe, one request unit each (bench/probe/rig.ts).

## bench:runtime

![per-record time at batch 10](runtime-overhead.svg)

\`\`\`
${runtime}
\`\`\`

## bench:coldstart

![first record vs naive](first-record.svg)

${coldstart}

## bench:sync

\`\`\`
${sync}
\`\`\`

### Sync throughput against Oro's concurrency cap

${SWEEP_RECORDS.toLocaleString("en")} products per point, both sandboxes at 50 ms per request.

![sync throughput vs Oro concurrency cap](sync-vs-oro-cap.svg)

| Oro cap | records/s | bound from the limits | ratio |
|---:|---:|---:|---:|
${sweep.map((p) => `| ${p.cap} | ${p.recordsPerSecond.toFixed(0)} | ${p.bound.toFixed(0)} | ${(p.recordsPerSecond / p.bound).toFixed(2)} |`).join("\n")}

The bound is the slower of Akeneo's sequential paging (100 products per 50 ms) and Oro's sync
batches at Oro's limits (100 primary / 50 included items per request, packed from this catalog:
the included items each product needs set the products per request), cap requests at once. Where
the measured line bends away from it at high caps, the limit is this machine: fauxqs, both
sandboxes and every handler share ${availableParallelism()} cores in one process.

## bench:async

![Oro calls per product](async-bulk-load.svg)

\`\`\`
${bulk}
\`\`\`

## bench:cost

![USD per million records](cost-per-million.svg)

${cost}
`,
);
console.log(`wrote ${join("bench", "reports", "latest.md")} and its charts`);
console.log(
  `bench: runtime overhead ${overheadRatio.toFixed(2)} (total ${runtimeRatio.toFixed(2)}), coldstart ${coldRatio.toFixed(2)}, first record ${firstRatio.toFixed(2)}, sync ${syncRatio.toFixed(2)}, async calls/product ${bulkCalls.toFixed(4)}, cost akeneo-products ${costOf("akeneo-products").toFixed(3)} erp-stock ${costOf("erp-stock").toFixed(3)} USD/1M, memory headroom ${worstHeadroom.toFixed(1)}x`,
);
