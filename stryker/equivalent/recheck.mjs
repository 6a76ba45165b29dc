/**
 * Equivalent mutants of the code perf-runtime changed (issue 18: shared/runtime/process-batch.ts,
 * handler.ts, limit.ts, shared/observability/metrics.ts), judged in the mut-recheck work. Form:
 * see the top of ../equivalent.mjs.
 */
const JOIN_ONLY_IN_RUN_ALL =
  "BatchRun is made per invocation (processBatch) and processRecord is private to this file; this.join is set only by runAll, which passes every record its slot 0..n-1. The calls without a slot (runFifo, the pool path of mapWithConcurrency) run in a BatchRun that took another path, where this.join is undefined, so `slot >= 0 && join` is decided by `join` alone and a default slot of +1 stores nothing";
const RUN_ALL_IS_PROMISE_ALL =
  "runAll and mapWithConcurrency's Promise.all path (taken for records.length <= recordConcurrency, limit.ts) both start processRecord on every record at once, in order, and give the outcomes at the records' indexes; processRecord never rejects (its guard), so they end with the same outcomes: the only difference is the promises and microtask ticks runAll saves (bench:runtime), which no test may observe";

const LAYOUT_AGAIN =
  "EmfMetrics' layout is a pure function of the stored names and units (in order) and of the head and dimension members fixed at construction (layoutOf): building it again for a line whose layout could have been reused gives the same text; reusing it only saves the work (bench:runtime)";

export const EQUIVALENT = [
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ConditionalExpression",
    line: 'return count === "1" ? 1 : Number(count ?? "1") || 1;',
    original: 'count === "1"',
    replacement: "false",
    reason: 'the fast path of the first receive: without it "1" goes on to Number("1") || 1, which is 1 as well',
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ConditionalExpression",
    line: ": records.length <= config.recordConcurrency",
    replacement: "false",
    reason: RUN_ALL_IS_PROMISE_ALL,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "EqualityOperator",
    line: ": records.length <= config.recordConcurrency",
    replacement: "records.length < config.recordConcurrency",
    reason: `${RUN_ALL_IS_PROMISE_ALL} (a batch of exactly recordConcurrency records goes the Promise.all way)`,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "UnaryOperator",
    line: "async processRecord(record: SQSRecord, slot = -1)",
    reason: JOIN_ONLY_IN_RUN_ALL,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ConditionalExpression",
    line: "if (slot >= 0 && join) {",
    original: "slot >= 0",
    replacement: "true",
    reason: JOIN_ONLY_IN_RUN_ALL,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ArrayDeclaration",
    line: "this.join = { outcomes: new Array<Outcome>(records.length), left: records.length, resolve };",
    reason:
      "the join resolves only when `left` (records.length) reaches 0, that is after each of the records.length records stored its outcome at its own slot 0..n-1 (every return of processRecord goes through done once), so a presized and an empty array hold the same n outcomes",
  },
  {
    file: "shared/observability/metrics.ts",
    mutator: "ConditionalExpression",
    line: "if (!layout || !sameLayout(layout, this.stored, this.size)) layout = this.layout = this.layoutOf();",
    original: "!layout || !sameLayout(layout, this.stored, this.size)",
    replacement: "true",
    reason: LAYOUT_AGAIN,
  },
  {
    file: "shared/observability/metrics.ts",
    mutator: "ConditionalExpression",
    line: "if (layout.names.length !== size) return false;",
    replacement: "true",
    reason: `sameLayout answering false: ${LAYOUT_AGAIN}`,
  },
  {
    file: "shared/observability/metrics.ts",
    mutator: "ConditionalExpression",
    line: "if (layout.names[i] !== m.name || layout.units[i] !== m.unit) return false;",
    original: "layout.names[i] !== m.name || layout.units[i] !== m.unit",
    replacement: "true",
    reason: `sameLayout answering false as soon as a metric is stored (with none the loop does not run): ${LAYOUT_AGAIN}`,
  },
  {
    file: "shared/observability/metrics.ts",
    mutator: "BooleanLiteral",
    line: "return true;",
    original: "true",
    reason: `sameLayout's last line (the file's only \`return true;\`) answering false: ${LAYOUT_AGAIN}`,
  },
];
