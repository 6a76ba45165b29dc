/**
 * bench:coldstart — builds every function bundle as it is deployed (the CDK stack's esbuild
 * options: ESM, minified, Node 24 target, the createRequire banner) and a naive bundle of the
 * card's packages, then measures import + init time of each in fresh Node 24 processes (median
 * of interleaved runs) and the bundle sizes. Last line: the worst function's ratio to naive.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BUNDLING } from "../infra/constructs/function-defaults";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, ".bench-out", "coldstart");
const RUNS = Number(process.env.COLDSTART_RUNS ?? 25);

const entries: Record<string, string> = {};
for (const name of readdirSync(join(ROOT, "functions"))) {
  const entry = join(ROOT, "functions", name, "handler.ts");
  if (existsSync(entry)) entries[name] = entry;
}
entries["naive"] = join(ROOT, "bench", "fixtures", "naive-handler.ts");

mkdirSync(OUT, { recursive: true });
const bundles: Record<string, { file: string; bytes: number; gzip: number }> = {};
for (const [name, entry] of Object.entries(entries)) {
  const file = join(OUT, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: BUNDLING.target ?? "node24",
    minify: BUNDLING.minify ?? true,
    mainFields: BUNDLING.mainFields ?? ["module", "main"],
    banner: { js: BUNDLING.banner ?? "" },
    // As deployed: the AWS SDK stays external (loaded from the Lambda runtime) unless the stack bundles it.
    external: name === "naive" || BUNDLING.bundleAwsSDK ? [...(BUNDLING.externalModules ?? [])] : ["@aws-sdk/*", ...(BUNDLING.externalModules ?? [])],
    logLevel: "error",
  });
  const content = readFileSync(file);
  bundles[name] = { file, bytes: content.length, gzip: gzipSync(content).length };
}

// One fresh process per run: import the bundle (module init included) and report the time.
const probe = (file: string) => {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", POWERTOOLS_LOG_LEVEL: "WARN" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`import of ${file} failed: ${result.stderr}`);
  return { importMs: Number(result.stdout), wallMs: performance.now() - started };
};

const samples: Record<string, { importMs: number[]; wallMs: number[] }> = Object.fromEntries(Object.keys(bundles).map((n) => [n, { importMs: [], wallMs: [] }]));
for (let run = 0; run < RUNS + 2; run++) {
  for (const name of Object.keys(bundles)) {
    const sample = probe((bundles[name] as { file: string }).file);
    if (run < 2) continue; // warm the page cache first
    samples[name]?.importMs.push(sample.importMs);
    samples[name]?.wallMs.push(sample.wallMs);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

console.log(`node ${process.version}, ${RUNS} interleaved runs per bundle (medians)`);
console.log("| bundle | bytes | gzip | import+init ms | process wall ms | import ratio to naive |");
console.log("|---|---:|---:|---:|---:|---:|");
const naiveImport = median(samples.naive?.importMs ?? []);
let worst = { name: "", ratio: 0 };
for (const [name, bundle] of Object.entries(bundles)) {
  const importMs = median(samples[name]?.importMs ?? []);
  const ratio = importMs / naiveImport;
  if (name !== "naive" && ratio > worst.ratio) worst = { name, ratio };
  console.log(`| ${name} | ${bundle.bytes.toLocaleString("en")} | ${bundle.gzip.toLocaleString("en")} | ${importMs.toFixed(1)} | ${median(samples[name]?.wallMs ?? []).toFixed(1)} | ${ratio.toFixed(2)} |`);
}
console.log(`worst function: ${worst.name}`);
console.log(`coldstart/naive import ratio (worst function): ${worst.ratio.toFixed(2)}`);
