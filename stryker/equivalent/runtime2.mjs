/**
 * Equivalent mutants of the group "shared/runtime: batch processing" judged in the mut-runtime2
 * work (issue 16), with the reason. Form: see the top of ../equivalent.mjs.
 */
const LAST_ERRORS_ONLY_READ_AT_LAST_RECEIVE =
  "BatchRun.lastErrors is per invocation and read only by settleLastAttempts, which run() calls only when deps.runs is set, and which skips every record with receiveCount(record) < maxReceiveCount before it reads the map; `attempt` here is receiveCount(record) of the same record (processRecord), so an entry stored for an earlier attempt, or without a ledger, is never read: the only difference is a Map entry discarded with the invocation";

export const EQUIVALENT = [
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ConditionalExpression",
    line: "if (this.deps.runs && attempt >= config.maxReceiveCount)",
    original: "this.deps.runs && attempt >= config.maxReceiveCount",
    replacement: "true",
    reason: LAST_ERRORS_ONLY_READ_AT_LAST_RECEIVE,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "LogicalOperator",
    line: "if (this.deps.runs && attempt >= config.maxReceiveCount)",
    original: "this.deps.runs && attempt >= config.maxReceiveCount",
    replacement: "this.deps.runs || attempt >= config.maxReceiveCount",
    reason: LAST_ERRORS_ONLY_READ_AT_LAST_RECEIVE,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ConditionalExpression",
    line: "if (this.deps.runs && attempt >= config.maxReceiveCount)",
    original: "attempt >= config.maxReceiveCount",
    replacement: "true",
    reason: LAST_ERRORS_ONLY_READ_AT_LAST_RECEIVE,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "EqualityOperator",
    line: "for (let i = 0; i < records.length; i++) {",
    original: "i < records.length",
    replacement: "i <= records.length",
    reason:
      'settleLastAttempts: `outcomes` has exactly records.length entries (mapWithConcurrency\'s results, or runFifo\'s array filled at every index), so the extra pass at i = records.length sees outcomes[i] === undefined, for which `outcomes[i] !== "retry" && outcomes[i] !== "skip"` is true: it continues before reading records[i], with no call and no throw',
  },
];
