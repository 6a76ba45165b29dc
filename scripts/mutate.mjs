#!/usr/bin/env node
// `npm run mutate [-- <module> ...]`: Stryker per module (stryker/modules.mjs), one after another
// under `nice`, then reports/mutation/latest.md from every module's last mutation.json.
// On demand only (not in CI): a module takes minutes to an hour on 2 shared cores.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { equivalentOf, originalOf } from "../stryker/mutants.mjs";
import { MUTATION_MODULES } from "../stryker/modules.mjs";

const args = process.argv.slice(2);
const reportOnly = args.includes("--report-only");
const selected = args.filter((a) => !a.startsWith("--"));
for (const name of selected) if (!MUTATION_MODULES[name]) throw new Error(`unknown module "${name}"; modules: ${Object.keys(MUTATION_MODULES).join(", ")}`);
const modules = selected.length > 0 ? selected : Object.keys(MUTATION_MODULES);
const slug = (name) => name.replace(/[^a-z0-9]+/gi, "-");
const dir = "reports/mutation";
mkdirSync(dir, { recursive: true });

/** The commit the mutated sources are at (a dirty tree is marked), for the report. */
const headCommit = () => {
  const rev = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "shared", "functions", "proof", "test"], { encoding: "utf8" }).stdout.trim() !== "";
  return `${rev}${dirty ? "+dirty" : ""}`;
};

/** The previous report's table row and section per module, kept for modules without a mutation.json here (run elsewhere). */
const previous = (() => {
  const file = join("reports/mutation", "latest.md");
  if (!existsSync(file)) return { rows: new Map(), sections: new Map() };
  const text = readFileSync(file, "utf8");
  const rows = new Map();
  for (const line of text.split("\n")) {
    const name = /^\| ([^|]+?) \| /.exec(line)?.[1];
    if (name && !line.includes("**not run**")) rows.set(name, line);
  }
  const sections = new Map();
  for (const part of text.split(/^### /m).slice(1)) sections.set(part.slice(0, part.indexOf("\n")), `### ${part.trimEnd()}`);
  return { rows, sections };
})();

const runs = existsSync(join(dir, "runs.json")) ? JSON.parse(readFileSync(join(dir, "runs.json"), "utf8")) : {};
if (!reportOnly) {
  for (const name of modules) {
    const started = Date.now();
    console.log(`mutate: ${name} ...`);
    const result = spawnSync("nice", ["-n", "15", "npx", "stryker", "run", "stryker.config.mjs"], {
      stdio: "inherit",
      env: { ...process.env, MUTATE_MODULE: name },
    });
    // Read again: another `npm run mutate` (another module) may have written meanwhile.
    const latest = existsSync(join(dir, "runs.json")) ? JSON.parse(readFileSync(join(dir, "runs.json"), "utf8")) : {};
    Object.assign(runs, latest, {
      [name]: { at: new Date().toISOString(), minutes: Math.round((Date.now() - started) / 6_000) / 10, exitCode: result.status, commit: headCommit() },
    });
    writeFileSync(join(dir, "runs.json"), `${JSON.stringify(runs, null, 2)}\n`);
  }
}

const pct = (n) => (Number.isFinite(n) ? `${n.toFixed(1)}%` : "n/a");
const rows = [];
const details = [];
for (const name of Object.keys(MUTATION_MODULES)) {
  const file = join(dir, slug(name), "mutation.json");
  if (!existsSync(file)) {
    const kept = previous.rows.get(name);
    if (kept) {
      // Measured in an earlier session (its mutation.json is not committed): carried over as it was.
      const cells = kept
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      // A row of the older 9-column table: add the mutant count (killed + timeout + survived + equivalent).
      if (cells.length === 9) cells.splice(3, 0, String([3, 4, 5, 6].reduce((n, i) => n + Number(cells[i]), 0)));
      const last = cells.length - 1;
      if (!cells[last]?.includes("carried over")) cells[last] = `${cells[last]} (carried over from an earlier report)`;
      rows.push(`| ${cells.join(" | ")} |`);
      const section = previous.sections.get(name);
      if (section) details.push(section, "");
    } else rows.push(`| ${name} | **not run** | | | | | | | | |`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  const t = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  const survivors = [];
  const equivalent = [];
  const perFile = [];
  for (const [path, f] of Object.entries(report.files)) {
    const c = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0 };
    for (const m of f.mutants) {
      t[m.status] = (t[m.status] ?? 0) + 1;
      if (m.status in c) c[m.status]++;
      if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
      const source = originalOf(f.source, m.location).replace(/\s+/g, " ").slice(0, 120);
      const line = `\`${path}:${m.location.start.line}\` ${m.mutatorName} ${m.status === "NoCoverage" ? "(no coverage) " : ""}\`${source}\` -> \`${String(
        m.replacement ?? "",
      )
        .replace(/\s+/g, " ")
        .slice(0, 120)}\``;
      const eq = equivalentOf(path, m, f.source);
      if (eq) equivalent.push(`${line}: ${eq.reason}`);
      else survivors.push(line);
    }
    const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage;
    perFile.push(`  - \`${path}\`: ${pct(((c.Killed + c.Timeout) / valid) * 100)} (${c.Killed + c.Timeout}/${valid})`);
  }
  const detected = t.Killed + t.Timeout;
  const valid = detected + t.Survived + t.NoCoverage;
  const score = (detected / valid) * 100;
  const scoreExcl = (detected / (valid - equivalent.length)) * 100;
  const run = runs[name];
  rows.push(
    `| ${name} | ${pct(score)} | ${pct(scoreExcl)} | ${valid} | ${t.Killed} | ${t.Timeout} | ${t.Survived + t.NoCoverage - equivalent.length} | ${equivalent.length} | ${t.CompileError} | ${run ? `${run.at.slice(0, 16)}Z, ${run.minutes} min${run.commit ? `, commit ${run.commit}` : ""}${run.rechecked ? `; re-checked: ${run.rechecked}` : ""}${run.exitCode === 0 ? "" : ` (that run failed: exit ${run.exitCode}; these counts are from the one before)`}` : ""} |`,
  );
  details.push(`### ${name}`, "", "Per file:", ...perFile, "");
  details.push(`Surviving mutants (${survivors.length}):`, ...(survivors.length ? survivors.map((s) => `- ${s}`) : ["- none"]), "");
  if (equivalent.length) details.push(`Equivalent (${equivalent.length}):`, ...equivalent.map((s) => `- ${s}`), "");
}

const text = [
  "# Mutation testing: latest results",
  "",
  "Written by `npm run mutate` (scripts/mutate.mjs, Stryker with the vitest runner and the TypeScript checker; config in",
  "stryker.config.mjs, modules and their test files in stryker/modules.mjs, equivalent mutants in stryker/equivalent.mjs).",
  "Score = (killed + timeout) / (killed + timeout + survived + no coverage); compile errors (mutants the TypeScript",
  "checker rejects) and static mutants are not counted. Stryker's html/json per module is in reports/mutation/<module>/ (not committed).",
  "",
  "| module | score | score without equivalents | mutants (valid) | killed | timeout | survived | equivalent | compile errors | run |",
  "|---|---|---|---|---|---|---|---|---|---|",
  ...rows,
  "",
  // Hand-written context of the last session (what was measured when, before which refactor).
  ...(existsSync(join(dir, "notes.md")) ? [readFileSync(join(dir, "notes.md"), "utf8").trimEnd(), ""] : []),
  // One note per piece of work (reports/mutation/notes/*.md), so two groups' notes never edit one file.
  ...(existsSync(join(dir, "notes"))
    ? readdirSync(join(dir, "notes"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .flatMap((f) => [readFileSync(join(dir, "notes", f), "utf8").trimEnd(), ""])
    : []),
  ...details,
].join("\n");
writeFileSync(join(dir, "latest.md"), `${text}\n`);
console.log(rows.join("\n"));
