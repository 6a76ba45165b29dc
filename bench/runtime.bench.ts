/**
 * bench:runtime — per-record overhead of the connector runtime against Powertools' BatchProcessor
 * inside middy doing the same per-record work (JSON parse, the same zod envelope and payload
 * validation, a no-op handler). 10,000 records, batch sizes 10 and 1,000, alternating rounds in
 * one process. Log output of both sides is swallowed during timing (its formatting still runs).
 * A third side, a bare loop doing only that shared parse + validation, is the yardstick: each
 * side's overhead is its time above the bare loop's, and the last line compares the overheads.
 * Each round is timed twice: wall time, and this process's CPU time (user + system), which other
 * processes on a shared machine do not inflate (wall time there includes their time slices).
 */
import { join } from "node:path";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { build } from "esbuild";
import { BUNDLING } from "../infra/constructs/function-defaults";
import { createEnvelope } from "../shared/messages";
import { lambdaContext } from "../local-stack/event-source";
import type * as Handlers from "./fixtures/runtime-handlers";

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
process.env.AWS_REGION ??= "us-east-1";

const RECORDS = 10_000;
const ROUNDS = Number(process.env.RUNTIME_BENCH_ROUNDS ?? 9);

// Both handlers run as deployed code: bundled and minified with the stack's esbuild options.
const outfile = join(import.meta.dirname, "..", ".bench-out", "runtime", "handlers.mjs");
await build({
  entryPoints: [join(import.meta.dirname, "fixtures", "runtime-handlers.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: BUNDLING.target ?? "node24",
  // BENCH_MINIFY=0 keeps names readable in a --cpu-prof profile.
  minify: process.env.BENCH_MINIFY !== "0",
  mainFields: ["module", "main"],
  banner: { js: BUNDLING.banner ?? "" },
  logLevel: "error",
});
const { owner, runtimeHandler: ours, powertoolsHandler: powertools, bareHandler: bare } = (await import(outfile)) as typeof Handlers;

const records: SQSRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  messageId: `m-${i}`,
  receiptHandle: `rh-${i}`,
  body: JSON.stringify(
    createEnvelope({
      id: `e-${i}`,
      ...owner,
      type: "item",
      payload: {
        sku: `SKU-${i}`,
        quantity: i % 50,
        names: [
          { locale: "en", value: `Product ${i}` },
          { locale: "de", value: `Produkt ${i}` },
        ],
      },
    }),
  ),
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "bench", ApproximateFirstReceiveTimestamp: "0" },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:noop",
  awsRegion: "us-east-1",
}));

const batches = (size: number): SQSEvent[] =>
  Array.from({ length: Math.ceil(RECORDS / size) }, (_, i) => ({ Records: records.slice(i * size, (i + 1) * size) }));

type Handler = (event: SQSEvent, context: Context) => Promise<unknown>;
const run = async (handler: Handler, events: SQSEvent[]): Promise<{ wall: number; cpu: number }> => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  // Lambda hands both the same context object; building it is the harness's cost, not theirs.
  const context = lambdaContext(600_000, "bench");
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    for (const event of events) {
      const result = (await handler(event, context)) as { batchItemFailures?: unknown[] } | undefined;
      if (result?.batchItemFailures?.length) throw new Error(`unexpected failures: ${JSON.stringify(result.batchItemFailures.slice(0, 2))}`);
    }
  } finally {
    process.stdout.write = write;
  }
  const cpu = process.cpuUsage(cpuBefore);
  // µs per record
  return { wall: ((performance.now() - started) * 1000) / RECORDS, cpu: (cpu.user + cpu.system) / RECORDS };
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

console.log(
  `node ${process.version}, ${RECORDS.toLocaleString("en")} records per round, ${ROUNDS} alternating rounds (after 2 warm-up rounds); bare = JSON.parse + the same validation only`,
);
console.log(
  "| batch size | bare µs/record | runtime µs/record | powertools µs/record | total ratio | runtime overhead µs | powertools overhead µs | overhead ratio |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
const results: Record<number, { total: number; overhead: number; cpuOverhead: number }> = {};
const cpuRows: string[] = [];
for (const size of (process.env.RUNTIME_BENCH_SIZES ?? "1000,10").split(",").map(Number)) {
  const events = batches(size);
  const times = { bare: [] as number[], ours: [] as number[], powertools: [] as number[] };
  const cpu = { bare: [] as number[], ours: [] as number[], powertools: [] as number[] };
  for (let round = 0; round < ROUNDS + 2; round++) {
    // Interleaved, order rotated per round so no side always runs right after the same one.
    const order = (["bare", "ours", "powertools"] as const).map((_, i, all) => all[(i + round) % all.length] as keyof typeof times);
    for (const side of order) {
      const t = await run(({ bare, ours, powertools } as Record<string, Handler>)[side] as Handler, events);
      if (round >= 2) {
        times[side].push(t.wall);
        cpu[side].push(t.cpu);
      }
    }
  }
  const m = { bare: median(times.bare), ours: median(times.ours), powertools: median(times.powertools) };
  // Per-round overheads (same round, same machine state), then their median.
  const oursOver = median(times.ours.map((t, i) => t - (times.bare[i] as number)));
  const ptOver = median(times.powertools.map((t, i) => t - (times.bare[i] as number)));
  const oursCpu = median(cpu.ours.map((t, i) => t - (cpu.bare[i] as number)));
  const ptCpu = median(cpu.powertools.map((t, i) => t - (cpu.bare[i] as number)));
  results[size] = { total: m.ours / m.powertools, overhead: oursOver / ptOver, cpuOverhead: oursCpu / ptCpu };
  console.log(
    `| ${size} | ${m.bare.toFixed(2)} | ${m.ours.toFixed(2)} | ${m.powertools.toFixed(2)} | ${(m.ours / m.powertools).toFixed(2)} | ${oursOver.toFixed(2)} | ${ptOver.toFixed(2)} | ${(oursOver / ptOver).toFixed(2)} |`,
  );
  cpuRows.push(
    `| ${size} | ${median(cpu.bare).toFixed(2)} | ${median(cpu.ours).toFixed(2)} | ${median(cpu.powertools).toFixed(2)} | ${oursCpu.toFixed(2)} | ${ptCpu.toFixed(2)} | ${(oursCpu / ptCpu).toFixed(2)} |`,
  );
}
console.log("");
console.log("CPU time of the same rounds (process user + system, µs per record):");
console.log("| batch size | bare | runtime | powertools | runtime overhead | powertools overhead | overhead ratio |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const row of cpuRows) console.log(row);
const at10 = results[10];
if (at10 !== undefined) {
  console.log(`runtime/powertools per-record ratio: ${at10.total.toFixed(2)}`);
  console.log(`runtime/powertools overhead ratio, CPU time (batch 10): ${at10.cpuOverhead.toFixed(2)}`);
  console.log(`runtime/powertools overhead ratio (above the bare parse + validation loop, batch 10): ${at10.overhead.toFixed(2)}`);
}
