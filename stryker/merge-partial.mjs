#!/usr/bin/env node
// `node stryker/merge-partial.mjs "<module>"`: folds a partial re-check (MUTATE_FILES, see
// stryker.config.mjs) into the module's full mutation.json. A mutant of the full run takes the
// partial run's status when the partial run has the same mutant (file, mutator, replacement, and
// its source text, so lines shifted by an edit still match). Mutants the partial run did not cover
// keep the full run's status (--whole: the partial's files replace the full run's). Then `npm run mutate -- --report-only` rewrites the report.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { originalOf } from "./mutants.mjs";

const name = process.argv[2];
// --whole: the partial run mutated its files whole (MUTATE_FILES without line ranges), e.g. after
// a refactor rewrote them: its entries replace the full run's for those files.
const whole = process.argv.includes("--whole");
if (!name) throw new Error('usage: node stryker/merge-partial.mjs "<module>" [--whole]');
const dir = join("reports/mutation", name.replace(/[^a-z0-9]+/gi, "-"));
const full = JSON.parse(readFileSync(join(dir, "mutation.json"), "utf8"));
if (!existsSync(join(dir, "partial.json"))) throw new Error(`no ${join(dir, "partial.json")}: run with MUTATE_FILES first`);
const part = JSON.parse(readFileSync(join(dir, "partial.json"), "utf8"));

const keyOf = (file, source, m) =>
  `${file}\u0000${m.mutatorName}\u0000${m.replacement}\u0000${originalOf(source, m.location)}\u0000${(source.split("\n")[m.location.start.line - 1] ?? "").trim()}`;

let updated = 0;
let added = 0;
for (const [file, f] of Object.entries(part.files)) {
  const target = full.files[file];
  const byKey = new Map();
  for (const m of f.mutants) {
    const k = keyOf(file, f.source, m);
    byKey.set(k, [...(byKey.get(k) ?? []), m]);
  }
  if (!target || whole) {
    if (target) updated += target.mutants.length;
    else added += f.mutants.length;
    full.files[file] = f;
    continue;
  }
  // The partial run saw the current source: its mutants replace the full run's where they match.
  for (const m of target.mutants) {
    // Two lines with the same text give the same key: take the candidate on the same line first.
    const candidates = byKey.get(keyOf(file, target.source, m)) ?? [];
    const onLine = candidates.findIndex((c) => c.location.start.line === m.location.start.line);
    const same = candidates.splice(onLine >= 0 ? onLine : 0, 1)[0];
    if (same && same.status !== m.status) {
      Object.assign(m, { status: same.status, killedBy: same.killedBy, coveredBy: same.coveredBy });
      updated += 1;
    }
  }
}
writeFileSync(join(dir, "mutation.json"), JSON.stringify(full));
console.log(`merge-partial: ${updated} mutant(s) ${whole ? "replaced" : "changed status"}, ${added} added from files the full run did not have`);
