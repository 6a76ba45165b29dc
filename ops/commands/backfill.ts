import { createHash } from "node:crypto";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import { createEnvelope } from "../../shared/messages";
import type { NativeEnvelope } from "../../shared/messages";
import type { OpsContext } from "../context";
import { reachHint } from "../context";
import { UsageError, wrapAwsError } from "../errors";
import { Progress } from "../io";
import type { OpsIo } from "../io";
import { SQS_BATCH_LIMIT } from "../queue-io";

/** Windows one backfill enqueues at most unless `maxWindows` raises it. */
export const DEFAULT_MAX_WINDOWS = 500;
/** Hard ceiling of `maxWindows`. */
export const MAX_WINDOWS_CEILING = 10_000;
const MINUTE = 60_000;

/** Options of {@link backfill}. */
export interface BackfillOptions {
  /** Start of the range (ISO 8601). */
  from: string;
  /** End of the range (ISO 8601), not in the future. */
  to: string;
  /** Window length in minutes. Default the connector's `rate(...)` interval, else `settings.windowMinutes`. */
  intervalMinutes?: number;
  /** Message type. Default the schedule's message type. */
  type?: string;
  /** Most windows to enqueue; a longer range is refused. Default {@link DEFAULT_MAX_WINDOWS}. */
  maxWindows?: number;
  /** List the windows; send nothing. */
  dryRun?: boolean;
  /** For the progress bar (stderr, TTY only). */
  io?: OpsIo;
  /** For tests: "now". */
  now?: Date;
}

/** One window of a backfill. */
export interface BackfillWindow {
  /** Envelope id: the window's end time, as the schedule's `<aws.scheduler.scheduled-time>`. */
  id: string;
  /** Start of the data the connector will read (end - interval - overlap for `{scheduledTime}` payloads). */
  from: string;
  to: string;
  payload: Record<string, unknown>;
}

/** What a backfill did. */
export interface BackfillResult {
  integration: string;
  connector: string;
  queue: string;
  type: string;
  intervalMinutes: number;
  overlapMinutes: number;
  /** `scheduledTime`: the schedule's own payload; `from-to`: explicit bounds (the connector's schema has no scheduledTime). */
  payloadForm: "scheduledTime" | "from-to";
  dryRun: boolean;
  windows: BackfillWindow[];
  sent: number;
  failed: number;
}

/** The scheduler's time format: seconds, `Z`, no milliseconds. */
const schedulerTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

const parseTime = (value: string, option: string): Date => {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) throw new UsageError(`${option} "${value}" is not an ISO 8601 time, e.g. 2025-01-31T00:00:00Z`);
  return date;
};

/** Window ends: every interval from `from`, and `to` itself when the range is not a whole number of intervals. */
export const windowEnds = (from: Date, to: Date, intervalMinutes: number): Date[] => {
  const ends: Date[] = [];
  const step = intervalMinutes * MINUTE;
  for (let t = from.getTime() + step; t <= to.getTime(); t += step) ends.push(new Date(t));
  const last = ends.at(-1);
  if (!last || last.getTime() < to.getTime()) ends.push(to);
  return ends;
};

/**
 * Enqueues the windows of a past range on a connector's queue: the same envelope the schedule
 * sends (`{version: 1, id: <scheduled time>, integration, connector, type, payload}`), one per
 * schedule interval, window id = the window's end time. The payload is `{scheduledTime}` (the
 * connector then reads `[end - interval - overlap, end]`, exactly as a scheduled run) when the
 * schedule is a rate(...) at the backfill's interval; otherwise `{from, to}` (contiguous windows,
 * each with the overlap before it), since a cron or another interval would leave gaps. A range of more than `maxWindows` windows is refused (exit 2) before anything is sent.
 */
export const backfill = async (ctx: OpsContext, integration: string, connector: string, options: BackfillOptions): Promise<BackfillResult> => {
  const { resolved, definition } = ctx.connector(integration, connector);
  const from = parseTime(options.from, "--from");
  const to = parseTime(options.to, "--to");
  if (from >= to) throw new UsageError(`--from (${options.from}) must be before --to (${options.to})`);
  const now = options.now ?? new Date();
  if (to.getTime() > now.getTime())
    throw new UsageError(`--to (${options.to}) is in the future; a backfill covers a past range (the schedule covers what comes next)`);

  const type = options.type ?? resolved.schedule?.messageType;
  if (!type)
    throw new UsageError(`${connector} has no schedule; give the message type with --type (it accepts: ${Object.keys(definition.messages).join(", ")})`);
  const schema = Object.hasOwn(definition.messages, type) ? (definition.messages[type] as z.ZodMiniType) : undefined;
  if (!schema) throw new UsageError(`${connector} does not accept message type "${type}" (it accepts: ${Object.keys(definition.messages).join(", ")})`);

  const settingMinutes = typeof resolved.settings.windowMinutes === "number" ? resolved.settings.windowMinutes : undefined;
  const intervalMinutes = options.intervalMinutes ?? resolved.schedule?.intervalMinutes ?? settingMinutes;
  if (intervalMinutes === undefined) {
    throw new UsageError(
      `${integration}/${connector} has ${resolved.schedule ? `schedule "${resolved.schedule.expression}" (no fixed interval)` : "no schedule"}: give the window length with --interval <minutes>`,
    );
  }
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1)
    throw new UsageError(`--interval must be a whole number of minutes >= 1, got ${String(intervalMinutes)}`);
  const overlapMinutes = resolved.windowOverlapMinutes;

  const maxWindows = options.maxWindows ?? DEFAULT_MAX_WINDOWS;
  if (!Number.isInteger(maxWindows) || maxWindows < 1 || maxWindows > MAX_WINDOWS_CEILING)
    throw new UsageError(`--max-windows must be an integer from 1 to ${MAX_WINDOWS_CEILING}`);
  const count = Math.ceil((to.getTime() - from.getTime()) / (intervalMinutes * MINUTE));
  if (count > maxWindows) {
    throw new UsageError(
      `${options.from}..${options.to} is ${count} windows of ${intervalMinutes} min, over the cap of ${maxWindows}: narrow the range, use a longer --interval, or raise --max-windows`,
    );
  }

  // The schedule's own `{scheduledTime}` when it means these windows: the connector derives the
  // window from its schedule, which matches them only for a rate(...) schedule at its own interval.
  // Otherwise (a cron, another --interval) it would leave gaps between windows: explicit bounds.
  const probe = schedulerTime(to);
  const acceptsBounds = z.safeParse(schema, { from: probe, to: probe }).success;
  const acceptsScheduledTime = z.safeParse(schema, { scheduledTime: probe }).success;
  const scheduleMatches =
    resolved.schedule?.intervalMinutes !== undefined && resolved.schedule.intervalMinutes === intervalMinutes && settingMinutes === undefined;
  const payloadForm = acceptsScheduledTime && scheduleMatches ? "scheduledTime" : acceptsBounds ? "from-to" : undefined;
  if (!payloadForm) {
    throw new UsageError(
      acceptsScheduledTime
        ? `${connector}'s "${type}" message takes only {scheduledTime}, whose window follows the schedule: backfill it at the schedule's own rate(...) interval (no --interval)`
        : `${connector}'s "${type}" message accepts neither {scheduledTime} nor {from, to}: it cannot be backfilled by time windows`,
    );
  }

  const windows: BackfillWindow[] = windowEnds(from, to, intervalMinutes).map((end, index, ends) => {
    const id = schedulerTime(end);
    if (payloadForm === "scheduledTime") {
      return { id, from: schedulerTime(new Date(end.getTime() - (intervalMinutes + overlapMinutes) * MINUTE)), to: id, payload: { scheduledTime: id } };
    }
    // Explicit bounds: the same overlap before each window; the first starts at --from minus the overlap too.
    const start = new Date((index === 0 ? from.getTime() : (ends[index - 1] as Date).getTime()) - overlapMinutes * MINUTE);
    return { id, from: schedulerTime(start), to: id, payload: { from: schedulerTime(start), to: id } };
  });

  const result: BackfillResult = {
    integration,
    connector,
    queue: resolved.queue.name,
    type,
    intervalMinutes,
    overlapMinutes,
    payloadForm,
    dryRun: options.dryRun === true,
    windows,
    sent: 0,
    failed: 0,
  };
  if (options.dryRun) return result;

  const queueUrl = await ctx.queueUrl(resolved.queue.name);
  const progress = options.io ? new Progress(options.io, "backfill", windows.length) : undefined;
  const dedup = (envelope: NativeEnvelope) => createHash("sha256").update(`${envelope.type}:${envelope.id}`).digest("hex");
  try {
    for (let i = 0; i < windows.length; i += SQS_BATCH_LIMIT) {
      const chunk = windows.slice(i, i + SQS_BATCH_LIMIT).map((w) => createEnvelope({ id: w.id, integration, connector, type, payload: w.payload }));
      let response;
      try {
        response = await ctx.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((envelope, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(envelope),
              ...(resolved.queue.fifo ? { MessageGroupId: connector, MessageDeduplicationId: dedup(envelope) } : {}),
            })),
          }),
        );
      } catch (error) {
        throw wrapAwsError(error, `${ctx.sqsLabel} (SendMessageBatch to ${resolved.queue.name}, after ${result.sent} windows sent)`, reachHint(ctx));
      }
      result.sent += response.Successful?.length ?? 0;
      result.failed += response.Failed?.length ?? 0;
      progress?.tick(chunk.length);
    }
  } finally {
    progress?.done();
  }
  return result;
};

/** Text form of a backfill result. */
export const formatBackfill = (r: BackfillResult): string => {
  const head = `${r.integration}/${r.connector}: ${r.windows.length} "${r.type}" message(s), windows of ${r.intervalMinutes} min (+${r.overlapMinutes} min overlap), payload {${r.payloadForm === "scheduledTime" ? "scheduledTime" : "from, to"}}`;
  if (r.dryRun) return [`${head} (dry run, nothing sent)`, ...r.windows.map((w) => `  ${w.id}  reads ${w.from} .. ${w.to}`)].join("\n");
  return `${head}: sent ${r.sent}, failed ${r.failed} to ${r.queue}`;
};
