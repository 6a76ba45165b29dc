import { RunLedger, type RunSummary } from "../shared/ledger";
import type { LocalStack } from "./stack";

/** The newest run of a connector: its outcome and pages settled of planned (from the run ledger). */
const runCell = (run: RunSummary | undefined): string => {
  if (!run) return "-";
  const u = run.units;
  const pages = `${u.pagesDone}/${u.pagesPlanned} pages${u.pagesDeadLettered ? `, ${u.pagesDeadLettered} dead` : ""}`;
  return `${run.outcome === "running" ? "running" : run.outcome}: ${pages}`;
};

/** Per connector: messages waiting and in flight, done, failed attempts, DLQ depth, its current run; then Oro's alerts. */
export const renderProgress = async (stack: LocalStack): Promise<string> => {
  const ledger = new RunLedger({ tableName: stack.plan.stateTable.name, client: async () => stack.dynamodb.client });
  const rows = [["connector", "queued", "in flight", "done", "failed tries", "in DLQ", "current run"]];
  for (const connector of stack.connectors) {
    const queue = await stack.depth(connector.queueUrl);
    const dlq = await stack.depth(connector.dlqUrl);
    const stats = connector.mapping.stats;
    const [run] = await ledger.recentRuns(connector.resolved.integration, connector.resolved.connector, 1).catch(() => []);
    rows.push([
      `${connector.resolved.integration}/${connector.resolved.connector}`,
      String(queue.visible),
      String(queue.inFlight),
      String(stats.deleted),
      String(stats.failed),
      String(dlq.visible + dlq.inFlight),
      runCell(run),
    ]);
  }
  const alertsQueue = await stack.depth(stack.alerts.queueUrl);
  rows.push([
    "(notifier)",
    String(alertsQueue.visible),
    String(alertsQueue.inFlight),
    String(stack.alerts.mapping.stats.deleted),
    String(stack.alerts.mapping.stats.failed),
    String((await stack.depth(stack.alerts.dlqUrl)).visible),
    "",
  ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const table = rows
    .map((r) =>
      r
        .map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
  const alerts = stack.sandboxes.oro?.store.list("notificationalerts") ?? [];
  const open = alerts.filter((a) => a.attributes.resolved === false);
  const lines = open
    .slice(0, 5)
    .map((a) => `  - [${String(a.attributes.sourceType)}/${String(a.attributes.resourceType)}] ${String(a.attributes.message ?? "").slice(0, 110)}`);
  // What Lambda's loop detection stopped (a function with RecursiveLoop Terminate): in the DLQ, with no reason attribute.
  const stopped = stack.connectors
    .filter((c) => c.recursionStops.length > 0)
    .map(
      (c) =>
        `  - ${c.resolved.integration}/${c.resolved.connector}: ${c.recursionStops.length} message(s) at invocation 17 of a chain, moved to its DLQ (RecursiveLoop Terminate)`,
    );
  const loops = stopped.length > 0 ? `\nStopped by recursive loop detection:\n${stopped.join("\n")}` : "";
  return `${table}${loops}\nOro alerts: ${open.length} open, ${alerts.length - open.length} resolved${lines.length ? `\n${lines.join("\n")}` : ""}`;
};
