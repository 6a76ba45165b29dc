/**
 * Surviving mutants that are equivalent (no test can tell them from the original), with the
 * reason. `scripts/mutate.mjs` lists them apart in reports/mutation/latest.md and reports the
 * score with them excluded next to Stryker's raw score. Match: file, mutator, the original source
 * snippet (`original`, a substring of the mutated range) and, when needed, the replacement.
 */
export const EQUIVALENT_MUTANTS = [];
