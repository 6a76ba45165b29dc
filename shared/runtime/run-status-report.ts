import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { RunFinishedListener } from "../ledger";
import type { OroClient } from "../oro";

/**
 * What a connector function does when a run reaches an outcome (called once per outcome, by the
 * invocation whose conditional write moved it: docs/ledger.md). It logs the status; the merge with
 * the oro-integration lane makes it also call `writeRunStatus(oro(), status)` from
 * shared/oro/integration-status.ts here (the seam: one function, one place).
 */
export const reportRunStatus =
  (logger: PowertoolsLogger) =>
  (_oro: () => OroClient): RunFinishedListener =>
  async (status) => {
    logger.info("run finished", { runId: status.runId, outcome: status.outcome, counts: status.counts, startedAt: status.startedAt, finishedAt: status.finishedAt });
  };
