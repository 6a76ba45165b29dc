/**
 * bench:runtime — per-record overhead of the connector runtime against Powertools' BatchProcessor
 * inside middy doing the same per-record work (JSON parse, the same zod envelope and payload
 * validation, a no-op handler). 10,000 records, batch sizes 10 and 1,000, alternating rounds in
 * one process. Log output of both sides is swallowed during timing (its formatting still runs).
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
const { owner, runtimeHandler: ours, powertoolsHandler: powertools } = (await import(outfile)) as typeof Handlers;

const records: SQSRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  messageId: `m-${i}`,
  receiptHandle: `rh-${i}`,
  body: JSON.stringify(createEnvelope({ id: `e-${i}`, ...owner, type: "item", payload: { sku: `SKU-${i}`, quantity: i % 50, names: [{ locale: "en", value: `Product ${i}` }, { locale: "de", value: `Produkt ${i}` }] } })),
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "bench", ApproximateFirstReceiveTimestamp: "0" },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:noop",
  awsRegion: "us-east-1",
}));

const batches = (size: number): SQSEvent[] => Array.from({ length: Math.ceil(RECORDS / size) }, (_, i) => ({ Records: records.slice(i * size, (i + 1) * size) }));

type Handler = (event: SQSEvent, context: Context) => Promise<unknown>;
const run = async (handler: Handler, events: SQSEvent[]): Promise<number> => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  // Lambda hands both the same context object; building it is the harness's cost, not theirs.
  const context = lambdaContext(600_000, "bench");
  const started = performance.now();
  try {
    for (const event of events) {
      const result = (await handler(event, context)) as { batchItemFailures?: unknown[] } | undefined;
      if (result?.batchItemFailures?.length) throw new Error(`unexpected failures: ${JSON.stringify(result.batchItemFailures.slice(0, 2))}`);
    }
  } finally {
    process.stdout.write = write;
  }
  return ((performance.now() - started) * 1000) / RECORDS; // µs per record
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

console.log(`node ${process.version}, ${RECORDS.toLocaleString("en")} records per round, ${ROUNDS} alternating rounds (after 2 warm-up rounds)`);
console.log("| batch size | runtime µs/record | powertools µs/record | ratio |");
console.log("|---:|---:|---:|---:|");
const ratios: Record<number, number> = {};
for (const size of (process.env.RUNTIME_BENCH_SIZES ?? "1000,10").split(",").map(Number)) {
  const events = batches(size);
  const timesOurs: number[] = [];
  const timesPowertools: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const a = await run(ours as Handler, events);
    const b = await run(powertools as Handler, events);
    if (round >= 2) {
      timesOurs.push(a);
      timesPowertools.push(b);
    }
  }
  ratios[size] = median(timesOurs) / median(timesPowertools);
  console.log(`| ${size} | ${median(timesOurs).toFixed(2)} | ${median(timesPowertools).toFixed(2)} | ${(ratios[size] as number).toFixed(2)} |`);
}
if (ratios[10] !== undefined) console.log(`runtime/powertools per-record ratio: ${ratios[10].toFixed(2)}`);
