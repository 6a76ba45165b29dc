#!/usr/bin/env node
// `node stryker/survivors.mjs "<module>" [partial]`: the surviving and uncovered mutants of a
// module's last run (mutation.json, or partial.json), one a line, equivalent ones marked, then
// the equivalent entries of its files that match no survivor (stale: remove or fix them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EQUIVALENT_MUTANTS } from "./equivalent.mjs";
import { equivalentOf } from "./mutants.mjs";

const [name, which] = process.argv.slice(2);
const file = join("reports/mutation", name.replace(/[^a-z0-9]+/gi, "-"), which === "partial" ? "partial.json" : "mutation.json");
const report = JSON.parse(readFileSync(file, "utf8"));
const used = new Set();
for (const [path, f] of Object.entries(report.files)) {
  const lines = f.source.split("\n");
  for (const m of f.mutants) {
    if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
    const line = lines[m.location.start.line - 1] ?? "";
    const { start, end } = m.location;
    const original = start.line === end.line ? line.slice(start.column - 1, end.column - 1) : `${line.slice(start.column - 1)}…`;
    const entry = equivalentOf(path, m, f.source);
    if (entry) used.add(entry);
    const eq = entry !== undefined;
    console.log(
      `${eq ? "EQ " : ""}${path}:${start.line} ${m.mutatorName} ${m.status === "NoCoverage" ? "(no coverage) " : ""}${JSON.stringify(original.slice(0, 80))} -> ${JSON.stringify(String(m.replacement).slice(0, 80))} | ${line.trim().slice(0, 110)}`,
    );
  }
}
// Entries for this module's files that match no surviving mutant (killed since, or their line changed): remove or fix them.
const files = Object.keys(report.files);
if (which !== "partial")
  for (const e of EQUIVALENT_MUTANTS)
    if (!used.has(e) && files.some((f) => f.endsWith(e.file)))
      console.log(`STALE equivalent entry (matches no survivor): ${e.file} ${e.mutator} ${JSON.stringify(e.line)}`);
