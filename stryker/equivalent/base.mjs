// Equivalent survivors of "shared/observability" (metrics.ts after perf's EmfMetrics), judged by mut-base (issue 16).
const FRAGMENT_CACHE =
  "the fragment cache key only has to tell (name, unit) pairs apart: metric names hold no NUL, so a key with the unit always, or on the other units than Count, is as unique, and the cached fragment is a pure function of name and unit";

export const EQUIVALENT = [
  {
    file: "shared/observability/metrics.ts",
    mutator: "ConditionalExpression",
    line: 'const key = m.unit === "Count" ? m.name',
    replacement: "false",
    reason: FRAGMENT_CACHE,
  },
  { file: "shared/observability/metrics.ts", mutator: "EqualityOperator", line: 'const key = m.unit === "Count" ? m.name', reason: FRAGMENT_CACHE },
  {
    file: "shared/observability/metrics.ts",
    mutator: "ConditionalExpression",
    line: "if (fragment === undefined)",
    replacement: "true",
    reason: "the fragment is JSON.stringify of the name and unit: building it again on every line gives the same text (the cache only saves the work)",
  },
  {
    file: "shared/observability/metrics.ts",
    mutator: "EqualityOperator",
    line: "if (this.durationCount === 1 || ms > this.durationMax)",
    original: "ms > this.durationMax",
    reason: "when ms equals the maximum, assigning it again leaves the same maximum",
  },
];
