/**
 * The run ledger's model (docs/ledger.md): what a run is, how its state is derived from its units,
 * and the key scheme in the state table (shared/state). Pure: no DynamoDB here.
 *
 * A run is what one root message starts (a scheduled or backfill window, a pushed message) and
 * every message that descends from it through `ctx.enqueue` (continuations, pages), plus the item
 * replays its pages dead-letter. All of them share the root's correlation id, which is the run id.
 * Each such message is a **unit** of the run, keyed by its envelope id (the idempotency key, the
 * same on every redelivery and redrive). A unit is `open` until its message succeeds (`done`) or is
 * dead-lettered (`dead`); a dead unit whose redriven message then succeeds becomes `done`.
 */

/** State of one unit (one message of the run). */
export type UnitState = "open" | "done" | "dead";

/** Listing units (window, continuation) list and fan out; page units carry the records. */
export type UnitKind = "listing" | "page";

/** Outcome of a run: `running` until every unit is settled. */
export type RunOutcome = "running" | "succeeded" | "failed" | "partly failed";

/** Records a unit (or a run, summed) read, wrote, skipped on purpose (unchanged, filtered) and failed for good. */
export interface RecordCounts {
  read: number;
  written: number;
  skipped: number;
  failed: number;
}

export const NO_RECORDS: RecordCounts = Object.freeze({ read: 0, written: 0, skipped: 0, failed: 0 });

/** Progress of a run: units by kind and state. */
export interface UnitCounts {
  pagesPlanned: number;
  pagesDone: number;
  pagesDeadLettered: number;
  listingPlanned: number;
  listingDone: number;
  listingDeadLettered: number;
}

/** One unit as the ledger stores it. */
export interface UnitRecord {
  id: string;
  kind: UnitKind;
  state: UnitState;
  records: RecordCounts;
  error?: string | undefined;
}

/** What the ledger knows of a run. */
export interface RunSummary {
  integration: string;
  connector: string;
  runId: string;
  /** Message type of the root (`window`, `order.created`, ...), when the root was seen. */
  rootType: string | undefined;
  outcome: RunOutcome;
  startedAt: string;
  finishedAt: string | undefined;
  /** The synced window, when the connector said (`ctx.describeRun`). */
  windowFrom: string | undefined;
  windowTo: string | undefined;
  units: UnitCounts;
  records: RecordCounts;
  lastError: string | undefined;
}

/** A run is settled when no unit is open: its listing ended and every page it planned is done or dead-lettered. */
export const isSettled = (u: UnitCounts): boolean =>
  u.pagesPlanned + u.listingPlanned > 0 && u.pagesDone + u.pagesDeadLettered === u.pagesPlanned && u.listingDone + u.listingDeadLettered === u.listingPlanned;

/**
 * The outcome of a settled run: `failed` when a listing unit is dead (the window was not fully
 * listed: pages may be missing) or no page landed at all, `partly failed` when some page or item
 * is dead, else `succeeded`.
 */
export const outcomeOf = (u: UnitCounts): RunOutcome => {
  if (!isSettled(u)) return "running";
  if (u.listingDeadLettered > 0 || (u.pagesDeadLettered > 0 && u.pagesDone === 0)) return "failed";
  return u.pagesDeadLettered > 0 ? "partly failed" : "succeeded";
};

/** Units and records of a run, summed from its unit records (the truth the counters are checked against). */
export const tally = (units: readonly UnitRecord[]): { units: UnitCounts; records: RecordCounts } => {
  const counts: UnitCounts = { pagesPlanned: 0, pagesDone: 0, pagesDeadLettered: 0, listingPlanned: 0, listingDone: 0, listingDeadLettered: 0 };
  const records: RecordCounts = { read: 0, written: 0, skipped: 0, failed: 0 };
  for (const unit of units) {
    const prefix = unit.kind === "page" ? "pages" : "listing";
    counts[`${prefix}Planned`] += 1;
    if (unit.state === "done") counts[`${prefix}Done`] += 1;
    if (unit.state === "dead") counts[`${prefix}DeadLettered`] += 1;
    records.read += unit.records.read;
    records.written += unit.records.written;
    records.skipped += unit.records.skipped;
    records.failed += unit.records.failed;
  }
  return { units: counts, records };
};

/** Transitions a unit may take; anything else is a duplicate (or late) report and changes nothing. */
export const mayMove = (from: UnitState | undefined, to: UnitState): boolean => {
  if (to === "open") return from === undefined;
  if (to === "dead") return from === undefined || from === "open";
  return from !== "done";
};

/**
 * The change one transition makes to the run's counters: `planned` when the unit is new, its
 * state moved, and its records replaced (a redriven unit's new counts replace what its
 * dead-lettered attempt counted).
 */
export const deltaOf = (
  kind: UnitKind,
  from: { state: UnitState; records: RecordCounts } | undefined,
  to: { state: UnitState; records: RecordCounts },
): { units: UnitCounts; records: RecordCounts } => {
  const units: UnitCounts = { pagesPlanned: 0, pagesDone: 0, pagesDeadLettered: 0, listingPlanned: 0, listingDone: 0, listingDeadLettered: 0 };
  const prefix = kind === "page" ? "pages" : "listing";
  const bump = (state: UnitState, by: number) => {
    if (state === "done") units[`${prefix}Done`] += by;
    if (state === "dead") units[`${prefix}DeadLettered`] += by;
  };
  if (from === undefined) units[`${prefix}Planned`] += 1;
  else bump(from.state, -1);
  bump(to.state, 1);
  const before = from?.records ?? NO_RECORDS;
  const records: RecordCounts = {
    read: to.records.read - before.read,
    written: to.records.written - before.written,
    skipped: to.records.skipped - before.skipped,
    failed: to.records.failed - before.failed,
  };
  return { units, records };
};

/** The state table kind of the ledger (`pk` = `run#...`): IAM grants are scoped by it. */
export const RUN_KIND = "run";

/** Partition of one run: its summary item and its units. */
export const runPk = (integration: string, connector: string, runId: string): string => `${RUN_KIND}#${integration}#${connector}#${runId}`;
/** Partition of a connector's run index (newest first by `sk`). */
export const runIndexPk = (integration: string, connector: string): string => `${RUN_KIND}#${integration}#${connector}`;
/** Sort key of a run's summary item. */
export const RUN_SK = "run";
/** Sort key of a unit. */
export const unitSk = (unitId: string): string => `unit#${unitId}`;
/** Sort key of a run in its connector's index: start time first, so a Query lists runs newest first. */
export const runIndexSk = (startedAt: string, runId: string): string => `${startedAt}#${runId}`;

/** Days a run is kept (the TTL attribute): long enough for `ops runs` and a late redrive. */
export const DEFAULT_RUN_RETENTION_DAYS = 35;
