/**
 * bench:coldstart — builds every function bundle as it is deployed (the CDK stack's esbuild
 * options: ESM, minified, Node 24 target, the createRequire banner, source maps and NODE_OPTIONS
 * as infra/constructs/function-defaults.ts sets them) and a naive bundle of the card's packages,
 * then measures import + init time of each in fresh Node 24 processes (median of interleaved
 * runs), the time of the first `Error.stack` after import, and the bundle sizes. Then what a user
 * waits for: a fresh process imports the bundle, receives one SQS event and finishes its first
 * record against local endpoints on 127.0.0.1 (SDK load, the secret from the local Secrets
 * Manager, the Oro token, its Oro calls; bench/probe/rig.ts), each SQS-fed function against the
 * naive bundle doing the same (secret, token, one Oro call), interleaved. Last lines: the worst
 * function's import ratio and first-record ratio to naive.
 *
 * `COLDSTART_SOURCE_MAPS=on|off` overrides the deployed choice for the function bundles (linked
 * `.map` files read through `NODE_OPTIONS=--enable-source-maps`, or neither); the naive bundle
 * never has them, so its time is the same yardstick in both runs and the ratios compare.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BUNDLING, FUNCTION_NODE_OPTIONS } from "../infra/constructs/function-defaults";
import { buildBundles, OTHER_SDK_SUFFIX, ROOT } from "./probe/build";
import { type ProbeSpec, startProbeRig } from "./probe/rig";
import { RuntimeEnv } from "../shared/runtime";

const OUT = join(ROOT, ".bench-out", "coldstart");
const BUNDLING_SDK = BUNDLING.bundleAwsSDK ? "bundled" : "external, as the Node 24 runtime provides it";
const RUNS = Number(process.env.COLDSTART_RUNS ?? 25);
const deployedSourceMaps = FUNCTION_NODE_OPTIONS.includes("--enable-source-maps");
const mode = process.env.COLDSTART_SOURCE_MAPS;
if (mode !== undefined && mode !== "on" && mode !== "off") throw new Error("COLDSTART_SOURCE_MAPS must be on or off");
const sourceMaps = mode === undefined ? deployedSourceMaps : mode === "on";

const bundles = await buildBundles({ sourceMaps, outDir: OUT, otherSdkWay: true });
const isOtherWay = (name: string) => name.endsWith(OTHER_SDK_SUFFIX);
const deployedBundles = Object.keys(bundles).filter((n) => !isOtherWay(n));

// One fresh process per run: import the bundle (module init included) and report the time,
// then the time of the first Error.stack (what a failing record pays once per container; with
// source maps on it maps every frame through the bundle's .map).
const probe = (file: string, nodeOptions: string) => {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});const i=performance.now()-t;const s=performance.now();void new Error("probe").stack;process.stdout.write(i+" "+(performance.now()-s));`;
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "x",
      POWERTOOLS_LOG_LEVEL: "WARN",
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`import of ${file} failed: ${result.stderr}`);
  const [importMs, stackMs] = result.stdout.split(" ").map(Number);
  return { importMs: importMs as number, stackMs: stackMs as number, wallMs: performance.now() - started };
};

const samples: Record<string, { importMs: number[]; stackMs: number[]; wallMs: number[] }> = Object.fromEntries(
  deployedBundles.map((n) => [n, { importMs: [], stackMs: [], wallMs: [] }]),
);
for (let run = 0; run < RUNS + 2; run++) {
  for (const name of deployedBundles) {
    const sample = probe((bundles[name] as { file: string }).file, sourceMaps && name !== "naive" ? "--enable-source-maps" : "");
    if (run < 2) continue; // warm the page cache first
    samples[name]?.importMs.push(sample.importMs);
    samples[name]?.stackMs.push(sample.stackMs);
    samples[name]?.wallMs.push(sample.wallMs);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

console.log(
  `node ${process.version}, ${RUNS} interleaved runs per bundle (medians); function bundles with source maps: ${sourceMaps ? "on (linked .map, NODE_OPTIONS=--enable-source-maps)" : "off"}${mode === undefined ? " (as deployed)" : ` (COLDSTART_SOURCE_MAPS=${mode})`}`,
);
console.log("| bundle | bytes | gzip | import+init ms | first Error.stack ms | process wall ms | import ratio to naive |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
const naiveImport = median(samples.naive?.importMs ?? []);
let worst = { name: "", ratio: 0 };
for (const [name, bundle] of Object.entries(bundles).filter(([n]) => !isOtherWay(n))) {
  const importMs = median(samples[name]?.importMs ?? []);
  const ratio = importMs / naiveImport;
  if (name !== "naive" && ratio > worst.ratio) worst = { name, ratio };
  console.log(
    `| ${name} | ${bundle.bytes.toLocaleString("en")} | ${bundle.gzip.toLocaleString("en")} | ${importMs.toFixed(1)} | ${median(samples[name]?.stackMs ?? []).toFixed(2)} | ${median(samples[name]?.wallMs ?? []).toFixed(1)} | ${ratio.toFixed(2)} |`,
  );
}
console.log(`worst function: ${worst.name}`);
console.log(`coldstart/naive import ratio (worst function): ${worst.ratio.toFixed(2)}`);

// First record: fresh container, one SQS event, against the local endpoints.
const FIRST_RUNS = Number(process.env.COLDSTART_FIRST_RUNS ?? 9);
/**
 * Suffix of a connector run without its run ledger: the work the naive bundle does too. As
 * deployed every connector has the state table (infra/plan/plan.ts), so its first record also
 * loads the DynamoDB client and opens and settles its run.
 */
const LEDGER_OFF = " (run ledger off)";
const withoutLedger = (spec: ProbeSpec): ProbeSpec => ({
  ...spec,
  name: `${spec.name}${LEDGER_OFF}`,
  env: Object.fromEntries(Object.entries(spec.env).filter(([key]) => key !== RuntimeEnv.STATE_TABLE_NAME)),
});
const isVariant = (name: string) => isOtherWay(name) || name.endsWith(LEDGER_OFF) || name.endsWith(FLOOR) || name === SDK_FLOOR;

/**
 * The floor of a first record as deployed: a fresh process that imports a function bundle and then
 * loads the DynamoDB SDK the run ledger must use (the ledger reaches the state table with the real
 * `@aws-sdk/client-dynamodb`, docs/ledger.md) and makes its client, and does nothing else: no
 * secret, no token, no request. Any first record of that bundle with the ledger on costs at least
 * this; measured as the first record is (wall from before the import, CPU of the whole process).
 * With `bundle` undefined: the SDK alone, what no bundle of ours can go below.
 */
const FLOOR = " (floor: import + DynamoDB SDK load only)";
const SDK_FLOOR = "DynamoDB SDK load only";
const floorProbe = (bundle: string | undefined) => {
  const script =
    `const t=performance.now();${bundle ? `await import(${JSON.stringify(`file://${bundle}`)});` : ""}` +
    `const i=performance.now()-t;const m=await import("@aws-sdk/client-dynamodb");new m.DynamoDBClient({});` +
    `const w=performance.now()-t;const c=process.cpuUsage();process.stdout.write(i+" "+w+" "+(c.user+c.system)/1000);`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", POWERTOOLS_LOG_LEVEL: "WARN" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`floor probe failed: ${result.stderr}`);
  const [importMs, totalMs, cpuMs] = result.stdout.split(" ").map(Number) as [number, number, number];
  return { importMs, handlerMs: totalMs - importMs, totalMs, cpuMs };
};
/** Per-request latency of the sandboxes for the first records with network waits (0 skips them). */
const FIRST_LATENCY_MS = Number(process.env.COLDSTART_FIRST_LATENCY_MS ?? 20);
const LATENCY_RUNS = Number(process.env.COLDSTART_LATENCY_RUNS ?? 5);
/** First-record samples by bundle name: each run's wall, import, handler and CPU ms. */
type FirstSamples = Record<string, { total: number[]; importMs: number[]; handlerMs: number[]; cpuMs: number[] }>;
const withLatency: FirstSamples = {};
const addSample = (into: FirstSamples, name: string, sample: { totalMs: number; importMs: number; handlerMs: number; cpuMs: number }) => {
  const s = (into[name] ??= { total: [], importMs: [], handlerMs: [], cpuMs: [] });
  s.total.push(sample.totalMs);
  s.importMs.push(sample.importMs);
  s.handlerMs.push(sample.handlerMs);
  s.cpuMs.push(sample.cpuMs);
};
const fromProbe = (r: { first: { firstRecordMs: number; importMs: number; handlerMs: number; cpuMs: number } }) => ({
  ...r.first,
  totalMs: r.first.firstRecordMs,
});
const rig = await startProbeRig();
const first: FirstSamples = {};
try {
  const specs = [...rig.specs, rig.naive];
  for (let run = 0; run < FIRST_RUNS + 1; run++) {
    for (const spec of specs) {
      // As deployed, then built the other way round (SDK bundled vs external), then (connectors)
      // as deployed without the run ledger, interleaved.
      const variants: Array<{ name: string; bundle: string; spec: ProbeSpec }> = [spec.name, `${spec.name}${OTHER_SDK_SUFFIX}`].flatMap((name) =>
        bundles[name] ? [{ name, bundle: name, spec }] : [],
      );
      if (spec.env[RuntimeEnv.CONNECTOR_TYPE]) variants.push({ name: `${spec.name}${LEDGER_OFF}`, bundle: spec.name, spec: withoutLedger(spec) });
      for (const { name, bundle: bundleName, spec: probed } of variants) {
        const bundle = bundles[bundleName];
        if (!bundle) continue;
        const r = await rig.probe(probed, bundle.file, false);
        if (run === 0) continue; // warm the page cache first
        addSample(first, name, fromProbe(r));
      }
      // The floor of this function's first record, in the same round (the naive's turn: the SDK alone).
      if (spec.name === rig.naive.name || spec.env[RuntimeEnv.CONNECTOR_TYPE]) {
        const bundle = spec.name === rig.naive.name ? undefined : bundles[spec.name]?.file;
        const f = floorProbe(bundle);
        if (run === 0) continue;
        addSample(first, bundle ? `${spec.name}${FLOOR}` : SDK_FLOOR, f);
      }
    }
  }
  // The same first records with network waits: each Oro, Akeneo and ERP request answered after
  // FIRST_LATENCY_MS (the local Secrets Manager and DynamoDB stay immediate), as deployed vs naive.
  if (FIRST_LATENCY_MS > 0) {
    for (let run = 0; run < LATENCY_RUNS + 1; run++) {
      for (const spec of specs) {
        const bundle = bundles[spec.name];
        if (!bundle || !(spec.name === rig.naive.name || spec.env[RuntimeEnv.CONNECTOR_TYPE])) continue;
        const r = await rig.probe(spec, bundle.file, false, { latencyMs: FIRST_LATENCY_MS });
        if (run === 0) continue;
        addSample(withLatency, spec.name, fromProbe(r));
      }
    }
  }
} finally {
  await rig.stop();
}
console.log("");
console.log(
  `first record: ${FIRST_RUNS} interleaved fresh processes per bundle (medians); import + the first SQS event's handler, sandboxes at no added latency; ` +
    `each function as deployed (AWS SDK ${BUNDLING_SDK}) and built the other way${OTHER_SDK_SUFFIX}; CPU = the container process's user + system time until its first record finished (Node's own start included)`,
);
const FIRST_HEADER =
  "| bundle | import ms | first event handler ms | first record ms | ratio to naive | CPU ms | CPU ratio to naive |\n|---|---:|---:|---:|---:|---:|---:|";
/** One first-record table row: the medians and the two ratios to the naive. */
const firstRow = (name: string, s: FirstSamples[string], ratio: number, cpu: number) =>
  `| ${name} | ${median(s.importMs).toFixed(1)} | ${median(s.handlerMs).toFixed(1)} | ${median(s.total).toFixed(1)} | ${ratio.toFixed(2)} | ${median(s.cpuMs).toFixed(1)} | ${cpu.toFixed(2)} |`;
console.log(FIRST_HEADER);
const naiveFirst = median(first.naive?.total ?? []);
const naiveCpu = median(first.naive?.cpuMs ?? []);
let worstFirst = { name: "", ratio: 0, cpu: 0 };
let worstWithoutLedger = { name: "", ratio: 0, cpu: 0 };
for (const [name, s] of Object.entries(first)) {
  const ratio = median(s.total) / naiveFirst;
  const cpu = median(s.cpuMs) / naiveCpu;
  if (name !== "naive" && !isVariant(name) && ratio > worstFirst.ratio) worstFirst = { name, ratio, cpu };
  if (name.endsWith(LEDGER_OFF) && ratio > worstWithoutLedger.ratio) worstWithoutLedger = { name, ratio, cpu };
  console.log(firstRow(name, s, ratio, cpu));
}
console.log(
  `without the run ledger (the naive's work): worst ${worstWithoutLedger.name}, first-record ratio ${worstWithoutLedger.ratio.toFixed(2)}, CPU ratio ${worstWithoutLedger.cpu.toFixed(2)}`,
);
const floorOf = (name: string) => {
  const s = first[name];
  return s ? { ratio: median(s.total) / naiveFirst, cpu: median(s.cpuMs) / naiveCpu } : { ratio: NaN, cpu: NaN };
};
const worstFloor = floorOf(`${worstFirst.name}${FLOOR}`);
const sdkFloor = floorOf(SDK_FLOOR);
console.log(
  `floor as deployed (${worstFirst.name}: its import + the DynamoDB SDK's load, nothing run): first-record ratio ${worstFloor.ratio.toFixed(2)}, CPU ratio ${worstFloor.cpu.toFixed(2)}; ` +
    `the SDK's load alone (Node's start included): ${sdkFloor.ratio.toFixed(2)} / ${sdkFloor.cpu.toFixed(2)}`,
);
if (FIRST_LATENCY_MS > 0) {
  console.log("");
  console.log(
    `first record with network waits: Oro, Akeneo and ERP at ${FIRST_LATENCY_MS} ms per request (Secrets Manager and DynamoDB local, immediate), ${LATENCY_RUNS} interleaved fresh processes per bundle (medians), as deployed`,
  );
  console.log(FIRST_HEADER);
  const naiveSlow = withLatency[rig.naive.name];
  for (const [name, s] of Object.entries(withLatency)) {
    const ratio = median(s.total) / median(naiveSlow?.total ?? []);
    const cpu = median(s.cpuMs) / median(naiveSlow?.cpuMs ?? []);
    console.log(firstRow(name, s, ratio, cpu));
  }
}
console.log(`worst function (first record, as deployed): ${worstFirst.name}; its CPU ratio to naive: ${worstFirst.cpu.toFixed(2)}`);
console.log(`coldstart/naive first-record ratio (worst function): ${worstFirst.ratio.toFixed(2)}`);
