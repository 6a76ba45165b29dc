import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { describeError } from "../errors";
import type { RunFinishedListener } from "../ledger";
import type { OroClient } from "../oro";
import { IntegrationChannelIds, writeRunStatusIfRegistered } from "../oro/integration-status";

/**
 * What a connector function does when a run reaches an outcome (called once per outcome, by the
 * invocation whose conditional write moved it: docs/ledger.md): it logs the run and writes it as an
 * Oro integration status on the integration's channel (docs/oro-integration.md), so System >
 * Integrations shows the run history. A run that is redriven to success gets a second, completed
 * status. No channel yet (`ops oro-integration register` not run) is logged, not an error; a
 * failed write is logged and not retried: the ledger keeps the truth, `ops runs` shows it, and the
 * record that finished the run must not fail because of a report. The integration's channel id
 * is looked up once per container and kept (IntegrationChannelIds: one Oro call per finished run,
 * the status, where there were two), "no channel" for a minute. `now`: the clock, for tests.
 */
/** Longest a run's Oro status write may take (retries included) before it is given up and logged. */
export const RUN_STATUS_TIMEOUT_MS = 10_000;

export const reportRunStatus =
  (logger: PowertoolsLogger, options: { now?: () => number } = {}) =>
  (oro: () => OroClient): RunFinishedListener => {
    // One per listener, i.e. per container (the handler builds its listener once): the channel
    // id is looked up once, not on every finished run (integration-status.ts).
    const channels = new IntegrationChannelIds(options.now ? { now: options.now } : {});
    return async (status) => {
      logger.info("run finished", {
        runId: status.runId,
        outcome: status.outcome,
        counts: status.counts,
        startedAt: status.startedAt,
        finishedAt: status.finishedAt,
      });
      try {
        // Bounded: the report runs inside the settle of the record that finished the run, and Oro
        // being down must not hold that record (and its batch) past the function's timeout.
        const written = await writeRunStatusIfRegistered(oro(), status, { signal: AbortSignal.timeout(RUN_STATUS_TIMEOUT_MS), channels });
        if (written === "no channel")
          logger.info("run status not written to Oro: the integration has no channel (run `ops oro-integration register`)", { runId: status.runId });
      } catch (error) {
        logger.warn("run status not written to Oro", { runId: status.runId, outcome: status.outcome, error: describeError(error) });
      }
    };
  };
