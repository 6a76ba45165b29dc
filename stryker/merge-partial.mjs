#!/usr/bin/env node
// `node stryker/merge-partial.mjs "<module>"`: folds a partial re-check (MUTATE_FILES, see
// stryker.config.mjs) into the module's full mutation.json. A mutant of the full run takes the
// partial run's status when the partial run has the same mutant (file, mutator, replacement, and
// its source text, so lines shifted by an edit still match). Mutants the partial run did not cover
// keep the full run's status (--whole: the partial's files replace the full run's). Then `npm run mutate -- --report-only` rewrites the report.
// A file whose source changed since the full run (an edit merged after it) is rebased onto the
// partial's source: run it with the same MUTATE_FILES in the environment, with ranges that cover
// every changed line and every mutant spanning one (the enclosing statement or function). The
// full run's mutants on unchanged lines outside the ranges move to their new lines; the ones on
// changed lines are dropped (that code is gone or was re-run); the partial's mutants are taken
// as they are, so the report never keeps a status measured on code that has changed since.
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

/** MUTATE_FILES' line ranges per file ("file.ts:10-20,file.ts:30-40,other.ts"; no range: the whole file). */
const rangesOf = (spec) => {
  const ranges = new Map();
  for (const part of (spec ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(.*?):(\d+)-(\d+)$/.exec(part);
    const [file, from, to] = match ? [match[1], Number(match[2]), Number(match[3])] : [part, 1, Number.MAX_SAFE_INTEGER];
    ranges.set(file, [...(ranges.get(file) ?? []), [from, to]]);
  }
  return ranges;
};
const ranges = rangesOf(process.env.MUTATE_FILES);

/** Old line (1-based) -> new line for the lines a longest common subsequence keeps; changed lines are absent. */
const lineMap = (before, after) => {
  const a = before.split("\n");
  const b = after.split("\n");
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
  const map = new Map();
  const changedNew = new Set(b.map((_, j) => j + 1));
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      map.set(i + 1, j + 1);
      changedNew.delete(j + 1);
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) i++;
    else j++;
  }
  return { map, changedNew };
};

let updated = 0;
let added = 0;
let rebased = 0;
const stamp = Date.now().toString(36);
// A file of MUTATE_FILES the re-check found no mutant in (its ranges hold comments or types only)
// is not in partial.json: its current source, with no mutant in the ranges, is what Stryker saw.
for (const file of ranges.keys())
  if (!part.files[file] && full.files[file] && existsSync(file)) {
    const source = readFileSync(file, "utf8");
    if (source !== full.files[file].source) part.files[file] = { ...full.files[file], source, mutants: [] };
  }

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
  if (target.source !== f.source) {
    const own = ranges.get(file);
    if (!own) throw new Error(`${file} changed since the full run: run merge-partial with the MUTATE_FILES of the re-check in the environment`);
    const inRanges = (from, to) => own.some(([a, b]) => a <= from && to <= b);
    const { map, changedNew } = lineMap(target.source, f.source);
    const lines = f.source.split("\n");
    // A changed line outside the ranges would keep no status at all: the re-check must cover it.
    // (Comments and imports hold no mutant.)
    const uncovered = [...changedNew].filter((l) => !/^(\/\/|\/\*|\*|import\s|$)/.test((lines[l - 1] ?? "").trim()) && !inRanges(l, l));
    if (uncovered.length > 0) throw new Error(`${file}: changed lines outside MUTATE_FILES' ranges: ${uncovered.join(", ")}`);
    const matched = new Set();
    const kept = [];
    let dropped = 0;
    for (const m of target.mutants) {
      const candidates = (byKey.get(keyOf(file, target.source, m)) ?? []).filter((c) => !matched.has(c));
      const { start, end } = m.location;
      let unchanged = true;
      for (let l = start.line; l <= end.line; l++) if (map.get(l) !== map.get(start.line) + (l - start.line)) unchanged = false;
      const to = unchanged ? map.get(start.line) : undefined;
      if (to !== undefined && inRanges(to, to + (end.line - start.line))) {
        // Inside the re-checked ranges: the partial run's mutant (if any) stands for it.
        const same = candidates.find((c) => c.location.start.line === to) ?? candidates[0];
        if (same) matched.add(same);
        else dropped += 1;
      } else if (to !== undefined) {
        const moved = { ...m, location: { start: { ...start, line: to }, end: { ...end, line: to + (end.line - start.line) } } };
        // The same text at the new place, or it is not the same mutant.
        if (originalOf(f.source, moved.location) !== originalOf(target.source, m.location))
          throw new Error(`${file}:${start.line}: moved to ${to} but the text differs`);
        kept.push(moved);
      } else {
        // Its code changed: the partial run's mutants of the new code stand for it.
        dropped += 1;
        // Where its span is now (its first and last lines, or the unchanged lines around them): a
        // mutant there that reaches past the ranges was not re-run (Stryker takes a mutant whole or not at all).
        let first = start.line;
        while (first > 1 && !map.has(first)) first--;
        let last = end.line;
        while (last < target.source.split("\n").length && !map.has(last)) last++;
        const [newFrom, newTo] = [
          map.has(first) ? map.get(first) + (first === start.line ? 0 : 1) : 1,
          map.has(last) ? map.get(last) - (last === end.line ? 0 : 1) : lines.length,
        ];
        if (!inRanges(newFrom, Math.max(newFrom, newTo))) {
          const text = originalOf(target.source, m.location).split("\n")[0].trim().slice(0, 60);
          console.warn(
            `merge-partial: ${file}:${start.line} ${m.mutatorName} \`${text}\` (now about lines ${newFrom}-${newTo}) reaches past the ranges: widen them`,
          );
        }
      }
    }
    const fresh = f.mutants.filter((c) => !matched.has(c));
    rebased += 1;
    // Ids of the full run and of each partial run are separate counters: keep them apart.
    full.files[file] = { ...f, mutants: [...kept, ...f.mutants.map((c) => ({ ...c, id: `recheck-${stamp}-${c.id}` }))] };
    console.log(
      `merge-partial: ${file} changed since the full run: ${kept.length} mutant(s) moved onto the new source, ${dropped} dropped with their changed code, ${f.mutants.length} from the re-check (${fresh.length} new)`,
    );
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
console.log(
  `merge-partial: ${updated} mutant(s) ${whole ? "replaced" : "changed status"}, ${added} added from files the full run did not have, ${rebased} file(s) rebased onto their new source`,
);
