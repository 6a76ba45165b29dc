// Equivalent survivors of "shared/observability" (metrics.ts after perf's EmfMetrics), judged by mut-base (issue 16).
// (The fragment cache's entries went with the cache in perf-runtime's reused layout; its survivors are in recheck.mjs.)
export const EQUIVALENT = [
  {
    file: "shared/observability/metrics.ts",
    mutator: "EqualityOperator",
    line: "if (this.durationCount === 1 || ms > this.durationMax)",
    original: "ms > this.durationMax",
    reason: "when ms equals the maximum, assigning it again leaves the same maximum",
  },
];
