// What the report, the survivors list and merge-partial read from a mutant of a Stryker mutation.json.
import { EQUIVALENT_MUTANTS } from "./equivalent.mjs";

/** The source text a mutant replaced (its location is 1-based lines, 1-based columns). */
export const originalOf = (source, { start, end }) => {
  const lines = source.split("\n");
  if (start.line === end.line) return (lines[start.line - 1] ?? "").slice(start.column - 1, end.column - 1);
  return [
    (lines[start.line - 1] ?? "").slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    (lines[end.line - 1] ?? "").slice(0, end.column - 1),
  ].join("\n");
};

/**
 * The entry of stryker/equivalent*.mjs a mutant of `file` matches (file, mutator, a piece of its
 * source line, optionally the replaced text and the replacement), or undefined.
 */
export const equivalentOf = (file, mutant, source) => {
  const replaced = originalOf(source, mutant.location).replace(/\s+/g, " ").slice(0, 120);
  const line = source.split("\n")[mutant.location.start.line - 1] ?? "";
  return EQUIVALENT_MUTANTS.find(
    (e) =>
      file.endsWith(e.file) &&
      e.mutator === mutant.mutatorName &&
      line.includes(e.line) &&
      (e.original === undefined || replaced.includes(e.original)) &&
      (e.replacement === undefined || e.replacement === mutant.replacement),
  );
};
