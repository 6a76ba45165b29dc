import type { RunSummary } from "./model";

/**
 * A finished run as Oro's integration status is written from it: the interface with
 * shared/oro/integration-status.ts `writeRunStatus(oro, status)` (lane oro-integration). Copied
 * here until that file is on main; after the merge this type is imported from there.
 */
export interface RunStatus {
  integration: string;
  connector: string;
  runId: string;
  outcome: "succeeded" | "failed" | "partly failed";
  /** Summary or the last error; free of secrets (error texts are redacted before they reach the ledger). */
  message: string;
  startedAt: string;
  finishedAt: string;
  counts: { pagesPlanned: number; pagesDone: number; pagesDeadLettered: number; read: number; written: number; skipped: number; failed: number };
  window?: { from: string; to: string };
}

/** The status of a finished run summary (its outcome must not be `running`). */
export const runStatusOf = (run: RunSummary): RunStatus => {
  const { units, records } = run;
  const pages = `${units.pagesDone} of ${units.pagesPlanned} pages done, ${units.pagesDeadLettered} dead-lettered`;
  const listing = units.listingDeadLettered > 0 ? `; the listing was dead-lettered (${units.listingDeadLettered} of ${units.listingPlanned} listing steps)` : "";
  const error = run.outcome === "succeeded" || !run.lastError ? "" : `; last error: ${run.lastError}`;
  return {
    integration: run.integration,
    connector: run.connector,
    runId: run.runId,
    outcome: run.outcome === "running" ? "failed" : run.outcome,
    message: `${pages}${listing}${error}`,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? run.startedAt,
    counts: { pagesPlanned: units.pagesPlanned, pagesDone: units.pagesDone, pagesDeadLettered: units.pagesDeadLettered, ...records },
    ...(run.windowFrom && run.windowTo ? { window: { from: run.windowFrom, to: run.windowTo } } : {}),
  };
};
