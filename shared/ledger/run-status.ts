import type { RunStatus } from "../oro/integration-status";
import type { RunSummary } from "./model";

export type { RunStatus };

/** The status of a finished run summary (its outcome must not be `running`). */
export const runStatusOf = (run: RunSummary): RunStatus => {
  const { units, records } = run;
  const pages = `${units.pagesDone} of ${units.pagesPlanned} pages done, ${units.pagesDeadLettered} dead-lettered`;
  const listing =
    units.listingDeadLettered > 0 ? `; the listing was dead-lettered (${units.listingDeadLettered} of ${units.listingPlanned} listing steps)` : "";
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
