/** The run ledger (docs/ledger.md): every run tracked start to finish in the state table, exact under at-least-once delivery. */
export {
  DEFAULT_RUN_RETENTION_DAYS,
  deltaOf,
  isSettled,
  mayMove,
  NO_RECORDS,
  outcomeOf,
  RUN_KIND,
  RUN_SK,
  runIndexPk,
  runIndexSk,
  runPk,
  tally,
  unitSk,
} from "./model";
export type { RecordCounts, RunOutcome, RunSummary, UnitCounts, UnitKind, UnitRecord, UnitState } from "./model";
export { RunLedger, summaryOf } from "./run-ledger";
export type { RunFinishedListener, RunLedgerOptions, RunRef, RunWindow, UnitRef } from "./run-ledger";
export { runStatusOf } from "./run-status";
export type { RunStatus } from "./run-status";
