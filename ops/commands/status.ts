import type { Message } from "@aws-sdk/client-sqs";
import { describeError } from "../../shared/errors";
import { redact } from "../../shared/observability";
import { createOroClient, OroConnectionSchema } from "../../shared/oro";
import type { ResourceObject } from "../../shared/oro";
import type { OpsContext } from "../context";
import { OpsError } from "../errors";
import { queueDepth, receive, release } from "../queue-io";
import type { RunSummary } from "../../shared/ledger";
import { readRuns } from "./runs";
import type { QueueDepth } from "../queue-io";

/** Alerts listed by default. */
export const DEFAULT_STATUS_ALERTS = 10;
/** Resolved alerts read to find each connector's last recovery. */
const RESOLVED_SCAN = 50;
/** DLQ messages peeked to find the oldest. */
const DLQ_AGE_SAMPLE = 10;

/** One queue's depth, and the age of its oldest message when it can be known without side effects. */
export interface QueueStatus extends QueueDepth {
  name: string;
  /** Seconds since the oldest message was sent; `undefined` when not measured. */
  oldestAgeSeconds: number | undefined;
  /** How the age was found: a peek of the DLQ (sample of up to 10), or not measured (see `note`). */
  oldestAgeSource: "peek" | "not-measured";
  note?: string;
}

/** One connector of one integration. */
export interface ConnectorStatus {
  integration: string;
  connector: string;
  schedule: string | undefined;
  queue: QueueStatus;
  dlq: QueueStatus;
  /**
   * From the run ledger (docs/ledger.md): the newest succeeded run (its window end is the last
   * successful window), the newest failed or partly failed one, and the run in progress.
   */
  runs:
    | { available: true; lastSucceeded: RunSummary | undefined; lastFailed: RunSummary | undefined; current: RunSummary | undefined }
    | { available: false; error: string };
  /** Messages still to process: waiting, delayed and in flight on the queue, plus those in its DLQ. */
  backlog: number;
  /** The newest alert of this connector that a success resolved (a window or message that recovered), from Oro. */
  lastRecovered: { envelopeId: string | undefined; at: string | undefined; alertId: string } | undefined;
}

/** An Oro notification alert, summarised. */
export interface AlertSummary {
  id: string;
  integration: string | undefined;
  connector: string | undefined;
  resourceType: string | undefined;
  alertType: string | undefined;
  step: string | undefined;
  externalId: string | undefined;
  resolved: boolean;
  count: number | undefined;
  envelopeId: string | undefined;
  updatedAt: string | undefined;
  message: string | undefined;
}

/** What `status` reports. */
export interface StatusResult {
  connectors: ConnectorStatus[];
  alertsQueue: QueueStatus;
  alertsDlq: QueueStatus;
  alerts: { available: true; unresolved: number; items: AlertSummary[] } | { available: false; error: string };
  /** Messages in a DLQ or unresolved alerts (exit 1). */
  failuresFound: boolean;
}

/** Options of {@link status}. */
export interface StatusOptions {
  /** Only this integration. */
  integration?: string;
  /** Alerts listed (unresolved first). Default {@link DEFAULT_STATUS_ALERTS}; 0 skips Oro. */
  alerts?: number;
  now?: Date;
}

type AlertAttributes = {
  sourceType?: string | null;
  resourceType?: string | null;
  alertType?: string | null;
  step?: string | null;
  externalId?: string | null;
  message?: string | null;
  resolved?: boolean;
  updatedAt?: string;
  additionalInfo?: { connector?: string; envelopeId?: string; count?: number } | null;
};

const summarise = (a: ResourceObject<AlertAttributes>): AlertSummary => {
  const at = a.attributes ?? {};
  const message = at.message ?? undefined;
  return {
    id: a.id,
    integration: at.sourceType ?? undefined,
    connector: at.additionalInfo?.connector,
    resourceType: at.resourceType ?? undefined,
    alertType: at.alertType ?? undefined,
    step: at.step ?? undefined,
    externalId: at.externalId ?? undefined,
    resolved: at.resolved === true,
    count: at.additionalInfo?.count,
    envelopeId: at.additionalInfo?.envelopeId,
    updatedAt: at.updatedAt,
    message: message && message.length > 300 ? `${message.slice(0, 300)}…` : message,
  };
};

const oldestOf = (messages: readonly Message[]): number | undefined => {
  const times = messages.map((m) => Number(m.Attributes?.SentTimestamp)).filter((t) => Number.isFinite(t) && t > 0);
  return times.length ? Math.min(...times) : undefined;
};

/** A DLQ's depth, with the oldest sent time among up to 10 peeked messages (released at once). */
const dlqStatus = async (ctx: OpsContext, name: string, now: Date): Promise<QueueStatus> => {
  const url = await ctx.queueUrl(name);
  const depth = await queueDepth(ctx, url);
  if (depth.visible === 0)
    return {
      name,
      ...depth,
      oldestAgeSeconds: undefined,
      oldestAgeSource: "not-measured",
      ...(depth.inFlight ? { note: "messages in flight (being peeked or redriven)" } : {}),
    };
  const sample = await receive(ctx, url, { max: DLQ_AGE_SAMPLE, visibilitySeconds: 10, waitSeconds: 0 });
  await release(ctx, url, sample);
  const oldest = oldestOf(sample);
  return {
    name,
    ...depth,
    oldestAgeSeconds: oldest === undefined ? undefined : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
    oldestAgeSource: oldest === undefined ? "not-measured" : "peek",
    ...(depth.visible > DLQ_AGE_SAMPLE ? { note: `oldest of a sample of ${DLQ_AGE_SAMPLE}` } : {}),
  };
};

/** A source queue's depth. Its age is not peeked: a receive would count toward maxReceiveCount and race the consumer. */
const sourceStatus = async (ctx: OpsContext, name: string): Promise<QueueStatus> => {
  const depth = await queueDepth(ctx, await ctx.queueUrl(name));
  return {
    name,
    ...depth,
    oldestAgeSeconds: undefined,
    oldestAgeSource: "not-measured",
    note: ctx.local
      ? "age not measured locally (peeking a source queue would count as a delivery)"
      : "age: see the CloudWatch metric ApproximateAgeOfOldestMessage (and the stack's age alarm); not peeked, a receive would count as a delivery",
  };
};

/**
 * The state of every connector (or one integration's): queue and DLQ depths, the age of the
 * oldest DLQ message, recent Oro notification alerts (unresolved first), and per connector the
 * newest alert a success resolved, and from the run ledger the last successful run (its window
 * end), the last failed one and the run in progress.
 * Oro being unreachable does not fail the command; its section says why it is missing.
 */
export const status = async (ctx: OpsContext, options: StatusOptions = {}): Promise<StatusResult> => {
  const now = options.now ?? new Date();
  if (options.integration !== undefined) ctx.integration(options.integration);
  const targets = ctx.connectors.filter((c) => options.integration === undefined || c.integration === options.integration);
  const integrations = [...new Set(options.integration ? [options.integration] : ctx.config.integrations.map((i) => i.name))];

  const alertsLimit = options.alerts ?? DEFAULT_STATUS_ALERTS;
  let alerts: StatusResult["alerts"];
  let resolved: AlertSummary[] = [];
  if (alertsLimit === 0 || integrations.length === 0) {
    alerts = { available: true, unresolved: 0, items: [] };
  } else {
    try {
      const connection = await ctx.secrets.get(ctx.config.oroSecretName, OroConnectionSchema);
      const oro = createOroClient({ getConnection: async () => connection, retry: { attempts: 1 }, timeoutMs: 15_000 });
      const filter = { sourceType: integrations };
      const open = await oro.list<AlertAttributes>("notificationalerts", {
        filter: { ...filter, resolved: false },
        sort: "-updatedAt",
        page: { size: alertsLimit },
        totalCount: true,
      });
      const closed = await oro.list<AlertAttributes>("notificationalerts", {
        filter: { ...filter, resolved: true },
        sort: "-updatedAt",
        page: { size: Math.max(alertsLimit, RESOLVED_SCAN) },
      });
      resolved = closed.data.map(summarise);
      const items = [...open.data.map(summarise), ...resolved].slice(0, alertsLimit);
      alerts = { available: true, unresolved: open.totalCount ?? open.data.length, items };
    } catch (error) {
      if (error instanceof OpsError) throw error;
      alerts = { available: false, error: redact(describeError(error)) };
    }
  }

  const connectors: ConnectorStatus[] = [];
  for (const c of targets) {
    const recovered = resolved.find(
      (a) => a.integration === c.integration && (a.connector === c.connector || (a.connector === undefined && a.resourceType === c.entity)),
    );
    connectors.push({
      integration: c.integration,
      connector: c.connector,
      schedule: c.schedule?.expression,
      queue: await sourceStatus(ctx, c.queue.name),
      dlq: await dlqStatus(ctx, c.dlq.name, now),
      runs: await runsOf(ctx, c.integration, c.connector),
      backlog: 0,
      lastRecovered: recovered ? { envelopeId: recovered.envelopeId, at: recovered.updatedAt, alertId: recovered.id } : undefined,
    });
  }
  for (const c of connectors) c.backlog = c.queue.visible + c.queue.delayed + c.queue.inFlight + c.dlq.visible + c.dlq.inFlight;
  const alertsQueue = await sourceStatus(ctx, ctx.shared.alertsQueue.name);
  const alertsDlq = await dlqStatus(ctx, ctx.shared.alertsDlq.name, now);
  const inDlq = connectors.some((c) => c.dlq.visible + c.dlq.inFlight > 0) || alertsDlq.visible + alertsDlq.inFlight > 0;
  return { connectors, alertsQueue, alertsDlq, alerts, failuresFound: inDlq || (alerts.available && alerts.unresolved > 0) };
};

/** Runs read per connector to find its last success and last failure. */
const RUNS_SCAN = 50;

const runsOf = async (ctx: OpsContext, integration: string, connector: string): Promise<ConnectorStatus["runs"]> => {
  try {
    const recent = await readRuns(ctx, integration, connector, RUNS_SCAN);
    return {
      available: true,
      lastSucceeded: recent.find((r) => r.outcome === "succeeded"),
      lastFailed: recent.find((r) => r.outcome === "failed" || r.outcome === "partly failed"),
      current: recent.find((r) => r.outcome === "running"),
    };
  } catch (error) {
    // The ledger unreachable does not fail the command (like Oro): the section says why.
    return { available: false, error: redact(describeError(error)) };
  }
};

const runText = (run: RunSummary | undefined, what: "end" | "outcome") =>
  run
    ? `${what === "end" ? (run.windowTo ?? run.finishedAt ?? run.startedAt) : `${run.outcome} ${run.finishedAt ?? ""}`} (${run.units.pagesDone}/${run.units.pagesPlanned} pages, ${run.records.written} written)`
    : what === "end"
      ? "- (no run yet)"
      : "-";

const age = (seconds: number | undefined) => {
  if (seconds === undefined) return "-";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
};

/** Text form of a status. */
export const formatStatus = (r: StatusResult): string => {
  const lines: string[] = [];
  const row = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd([34, 8, 9, 8, 11, 0][i] ?? 0))
      .join(" ")
      .trimEnd();
  lines.push(row(["CONNECTOR", "QUEUE", "IN FLIGHT", "DLQ", "DLQ OLDEST", "LAST RECOVERED"]));
  for (const c of r.connectors) {
    lines.push(
      row([
        `${c.integration}/${c.connector}`,
        String(c.queue.visible + c.queue.delayed),
        String(c.queue.inFlight),
        String(c.dlq.visible + c.dlq.inFlight),
        age(c.dlq.oldestAgeSeconds),
        c.lastRecovered ? `${c.lastRecovered.envelopeId ?? "?"} at ${c.lastRecovered.at ?? "?"}` : "-",
      ]),
    );
  }
  lines.push(
    row([
      "(alerts queue -> notifier)",
      String(r.alertsQueue.visible + r.alertsQueue.delayed),
      String(r.alertsQueue.inFlight),
      String(r.alertsDlq.visible + r.alertsDlq.inFlight),
      age(r.alertsDlq.oldestAgeSeconds),
      "",
    ]),
  );
  if (r.connectors.length === 0) lines.push("(no connectors enabled in the deploy config)");
  lines.push("");
  lines.push("Runs (ops runs <integration> <connector> lists them):");
  for (const c of r.connectors) {
    const name = `${c.integration}/${c.connector}`;
    if (!c.runs.available) {
      lines.push(`  ${name}: run ledger not available (${c.runs.error})`);
      continue;
    }
    const current = c.runs.current
      ? `; running: ${c.runs.current.units.pagesDone + c.runs.current.units.pagesDeadLettered}/${c.runs.current.units.pagesPlanned} pages`
      : "";
    lines.push(
      `  ${name}: last success, window end ${runText(c.runs.lastSucceeded, "end")}; last failure ${runText(c.runs.lastFailed, "outcome")}${current}; backlog ${c.backlog}`,
    );
  }
  lines.push("LAST RECOVERED = newest alert a success resolved.");
  lines.push(`Queue age: ${r.connectors[0]?.queue.note ?? r.alertsQueue.note ?? ""}`);
  lines.push("");
  if (!r.alerts.available) {
    lines.push(`Alerts: not available (${r.alerts.error})`);
  } else {
    lines.push(`Alerts: ${r.alerts.unresolved} unresolved`);
    for (const a of r.alerts.items) {
      lines.push(
        `  ${a.resolved ? "resolved  " : "UNRESOLVED"} ${a.updatedAt ?? ""} ${a.integration ?? "?"}/${a.connector ?? a.resourceType ?? "?"} ${a.step ?? ""}${a.externalId ? ` ${a.externalId}` : ""}${a.count && a.count > 1 ? ` (x${a.count})` : ""}: ${a.message ?? ""}`,
      );
    }
  }
  lines.push(r.failuresFound ? "\nfailures found: messages in a DLQ or unresolved alerts" : "\nno failures found");
  return lines.join("\n");
};
