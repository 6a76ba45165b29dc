import type { RunSummary } from "../../shared/ledger";
import type { OpsContext } from "../context";
import { wrapAwsError } from "../errors";
import { reachHint } from "../context";

/** Runs listed by default. */
export const DEFAULT_RUNS = 20;
export const MAX_RUNS = 500;

/** One run as `ops runs` reports it. */
export interface RunRow extends RunSummary {
  /** finishedAt - startedAt in ms; undefined while running. */
  durationMs: number | undefined;
}

export interface RunsResult {
  integration: string;
  connector: string;
  runs: RunRow[];
}

/** The ledger's answer, with an AWS error turned into the CLI's (exit 3 when unreachable). */
export const readRuns = async (ctx: OpsContext, integration: string, connector: string, limit: number): Promise<RunSummary[]> => {
  try {
    return await ctx.runLedger().recentRuns(integration, connector, limit);
  } catch (error) {
    throw wrapAwsError(error, `the run ledger (DynamoDB${ctx.local ? ", the local stack's dynalite" : ""})`, reachHint(ctx));
  }
};

/** A connector's recent runs, newest first, with counts and durations (docs/ops.md "runs"). */
export const runs = async (ctx: OpsContext, integration: string, connector: string, options: { max?: number } = {}): Promise<RunsResult> => {
  ctx.connector(integration, connector);
  const limit = Math.min(MAX_RUNS, Math.max(1, options.max ?? DEFAULT_RUNS));
  const found = await readRuns(ctx, integration, connector, limit);
  return {
    integration,
    connector,
    runs: found.map((r) => ({ ...r, durationMs: r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : undefined })),
  };
};

const duration = (ms: number | undefined) => {
  if (ms === undefined) return "-";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`;
  return `${Math.round(ms / 60_000)}m`;
};

/** Text form: one line per run. */
export const formatRuns = (r: RunsResult): string => {
  if (r.runs.length === 0) return `${r.integration}/${r.connector}: no runs recorded (the ledger keeps runs 35 days)`;
  const header = ["STARTED", "OUTCOME", "PAGES", "DEAD", "READ", "WRITTEN", "SKIPPED", "FAILED", "DURATION", "WINDOW END", "RUN"];
  const rows = r.runs.map((run) => [
    run.startedAt,
    run.outcome,
    `${run.units.pagesDone}/${run.units.pagesPlanned}`,
    String(run.units.pagesDeadLettered + run.units.listingDeadLettered),
    String(run.records.read),
    String(run.records.written),
    String(run.records.skipped),
    String(run.records.failed),
    duration(run.durationMs),
    run.windowTo ?? "-",
    run.runId,
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const lines = all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "));
  const errors = r.runs
    .filter((run) => run.outcome !== "succeeded" && run.lastError)
    .slice(0, 5)
    .map((run) => `  ${run.runId}: ${run.lastError ?? ""}`);
  return `${r.integration}/${r.connector}\n${lines.join("\n")}${errors.length ? `\nLast errors:\n${errors.join("\n")}` : ""}`;
};
