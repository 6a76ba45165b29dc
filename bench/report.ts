/**
 * `npm run bench`: runs every benchmark, then a sweep of sync throughput against Oro's
 * concurrency cap, and writes bench/reports/latest.md with the numbers and ratios and
 * bench/reports/sync-vs-oro-cap.svg. Each benchmark runs in its own Node 24 process.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "bench", "reports");
const SWEEP_CAPS = (process.env.BENCH_SWEEP_CAPS ?? "1,2,4,8").split(",").map(Number);
const SWEEP_RECORDS = Number(process.env.BENCH_SWEEP_RECORDS ?? 3_000);

const runScript = (script: string, env: Record<string, string> = {}): string => {
  const started = Date.now();
  process.stderr.write(`running ${script} ${Object.keys(env).length ? JSON.stringify(env) : ""}...\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
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

const runtime = runScript("bench/runtime.bench.ts");
const coldstart = runScript("bench/coldstart.bench.ts");
const sync = runScript("bench/sync.bench.ts");

interface SweepPoint {
  cap: number;
  recordsPerSecond: number;
  bound: number;
}
const sweep: SweepPoint[] = SWEEP_CAPS.map((cap) => {
  const output = runScript("bench/sync.bench.ts", { SYNC_BENCH_ORO_CAP: String(cap), SYNC_BENCH_RECORDS: String(SWEEP_RECORDS), SYNC_BENCH_SINGLE_RECORDS: "0" });
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
${line(points.map((p) => p.bound), "#999", "6 4")}
${line(points.map((p) => p.recordsPerSecond), "#1f77b4")}
<text x="${width - pad.right + 10}" y="${pad.top + 20}" fill="#1f77b4">measured</text>
<text x="${width - pad.right + 10}" y="${pad.top + 40}" fill="#777">ideal bound (slowest stage)</text>
</svg>
`;
};

const pick = (output: string, label: string) => output.split("\n").find((l) => l.startsWith(label)) ?? "";
const runtimeRatio = lastNumber(runtime, "runtime/powertools per-record ratio:");
const coldRatio = lastNumber(coldstart, "coldstart/naive import ratio (worst function):");
const syncRatio = lastNumber(sync, "sync throughput/bound:");
const batchedLine = pick(sync, "batched");
const date = new Date().toISOString();

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "sync-vs-oro-cap.svg"), chart(sweep));
writeFileSync(
  join(OUT, "latest.md"),
  `# Benchmark report

Generated ${date} by \`npm run bench\` on ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.
Medians and ratios come from one run of each benchmark; the machine is shared and noisy, so compare ratios, not absolute times.

## Summary

| What | Ratio | Goal |
|---|---:|---:|
| Runtime per-record time vs Powertools BatchProcessor in middy (batch 10) | ${runtimeRatio.toFixed(2)} | <= 0.5 |
| Cold start: worst function's import + init vs a naive bundle | ${coldRatio.toFixed(2)} | <= 0.6 |
| Sync throughput vs the slowest stage's ideal rate | ${syncRatio.toFixed(2)} | >= 0.85 |
| Oro calls per record (batched sync) | ${match(batchedLine, /Oro calls\/record ([\d.]+)/)} | |
| Peak RSS of the sync benchmark process (fauxqs, sandboxes and handlers together) | ${match(batchedLine, /peak RSS \(whole process\) (\d+) MB/)} MB | |

## Sync throughput against Oro's concurrency cap

${SWEEP_RECORDS.toLocaleString("en")} products per point, both sandboxes at 50 ms per request.

![sync throughput vs Oro concurrency cap](sync-vs-oro-cap.svg)

| Oro cap | records/s | ideal bound | ratio |
|---:|---:|---:|---:|
${sweep.map((p) => `| ${p.cap} | ${p.recordsPerSecond.toFixed(0)} | ${p.bound.toFixed(0)} | ${(p.recordsPerSecond / p.bound).toFixed(2)} |`).join("\n")}

The bound is the slower of Akeneo's sequential paging (100 products per 50 ms) and Oro's writes
(cap x products per write request per 50 ms). Where the measured line bends away from it at high
caps, the limit is this machine, not the pipeline: fauxqs, both sandboxes and every handler share
${availableParallelism()} cores in one process.

## bench:runtime

\`\`\`
${runtime}
\`\`\`

## bench:coldstart

${coldstart}

## bench:sync

\`\`\`
${sync}
\`\`\`
`,
);
console.log(`wrote ${join("bench", "reports", "latest.md")} and ${join("bench", "reports", "sync-vs-oro-cap.svg")}`);
console.log(`bench: runtime ${runtimeRatio.toFixed(2)}, coldstart ${coldRatio.toFixed(2)}, sync ${syncRatio.toFixed(2)}`);
