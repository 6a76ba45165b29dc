// Stryker for `npm run mutate` (scripts/mutate.mjs sets MUTATE_MODULE; one module per run).
import { MUTATION_MODULES } from "./stryker/modules.mjs";

const name = process.env.MUTATE_MODULE ?? "shared/secrets";
const module = MUTATION_MODULES[name];
if (!module) throw new Error(`MUTATE_MODULE "${name}" is not one of: ${Object.keys(MUTATION_MODULES).join(", ")}`);
const slug = name.replace(/[^a-z0-9]+/gi, "-");
// MUTATE_FILES="file.ts:10-20,other.ts": re-check a part of the module (e.g. after new tests) into
// partial.json; `node stryker/merge-partial.mjs <module>` folds it into the module's mutation.json.
const partial = process.env.MUTATE_FILES?.split(",")
  .map((f) => f.trim())
  .filter(Boolean);
const jsonName = partial?.length ? "partial.json" : "mutation.json";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // The test files of this module only (stryker/vitest.config.ts reads MUTATE_MODULE too).
  vitest: { configFile: "stryker/vitest.config.ts", related: false },
  checkers: ["typescript"],
  // The sources only (not infra/, test/): a full-project check per mutant is what makes a run slow.
  tsconfigFile: "stryker/tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: partial?.length ? partial : [...module.mutate, "!**/index.ts"],
  // Each mutant runs only the tests that cover it; static mutants (module-level constants) would need them all.
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  // 2 cores shared by the whole team.
  concurrency: 1,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  // One temp dir per module, so two modules can run side by side.
  tempDirName: `.stryker-tmp/${slug}`,
  // Not the other modules' sandboxes next to it.
  ignorePatterns: ["/.stryker-tmp"],
  cleanTempDir: "always",
  reporters: ["json", "html", "clear-text", "progress-append-only"],
  jsonReporter: { fileName: `reports/mutation/${slug}/${jsonName}` },
  htmlReporter: { fileName: `reports/mutation/${slug}/${partial?.length ? "partial" : "index"}.html` },
  thresholds: { high: 90, low: 80, break: null },
  incremental: false,
  disableTypeChecks: "{functions,shared,proof}/**/*.ts",
};
