import { ConfigurationError, ValidationError } from "../errors";
import { parseCron, previousFireTime, UnsupportedCronError } from "./cron";

/** Overlap added before each window (Oro's Magento connector "mistiming assumption interval"). */
export const DEFAULT_OVERLAP_MINUTES = 5;

/** A half-open time range of changes to sync; `from` < `to`. */
export interface SyncWindow {
  from: Date;
  to: Date;
}

/** Inputs of {@link windowFor}. */
export interface WindowOptions {
  /** When the schedule fired (EventBridge `<aws.scheduler.scheduled-time>`), ISO 8601 or a Date. */
  scheduledTime: string | Date;
  /**
   * The schedule expression: `rate(15 minutes)` gives the interval; for `cron(...)` the window
   * starts at the schedule's previous fire time (in `timeZone`) unless `windowMinutes` is set.
   */
  schedule?: string;
  /** The schedule's time zone (IANA), for cron expressions. Default UTC. */
  timeZone?: string;
  /** Fixed interval in minutes: for schedules without one, or to override a cron's computed gap. */
  windowMinutes?: number;
  /** Minutes re-read before the interval, so late commits and clock skew lose nothing. Default {@link DEFAULT_OVERLAP_MINUTES}. */
  overlapMinutes?: number;
}

const RATE = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/;
const MINUTES_PER_UNIT: Record<string, number> = { minute: 1, hour: 60, day: 1_440 };

/** Minutes between runs of a `rate(...)` expression; `undefined` for cron or anything else. */
export const rateMinutes = (schedule: string | undefined): number | undefined => {
  const match = schedule === undefined ? null : RATE.exec(schedule.trim());
  if (!match) return undefined;
  return Number(match[1]) * (MINUTES_PER_UNIT[(match[2] ?? "").replace(/s$/, "")] ?? 1);
};

const MINUTE = 60_000;

/**
 * The window a scheduled run syncs (docs/reference/design.md §3):
 * `[scheduledTime - interval - overlap, scheduledTime)` (half-open, like every {@link SyncWindow});
 * for a `cron(...)` schedule without `windowMinutes`, from the previous fire time minus the overlap.
 * No cursor store: a failed window stays in the DLQ and a redrive replays exactly it; consecutive
 * windows overlap by `overlapMinutes`.
 *
 * @example
 * windowFor({ scheduledTime: "2024-05-01T10:15:00Z", schedule: "rate(15 minutes)" })
 * // { from: 2024-05-01T09:55:00Z, to: 2024-05-01T10:15:00Z }
 */
export const windowFor = (options: WindowOptions): SyncWindow => {
  const to = options.scheduledTime instanceof Date ? options.scheduledTime : new Date(options.scheduledTime);
  if (Number.isNaN(to.getTime()))
    throw new ValidationError(
      `scheduledTime "${String(options.scheduledTime)}" is not an ISO 8601 time: the schedule must send <aws.scheduler.scheduled-time>`,
    );
  const overlap = options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES;
  if (!(overlap >= 0)) throw new ConfigurationError(`windowOverlapMinutes must be 0 or more, got ${String(overlap)}`);
  const interval = rateMinutes(options.schedule) ?? options.windowMinutes;
  if (interval === undefined && options.schedule && /^cron\(/i.test(options.schedule.trim())) {
    const previous = previousCronFire(options.schedule, to, options.timeZone);
    return { from: new Date(previous.getTime() - overlap * MINUTE), to };
  }
  if (interval === undefined || !(interval > 0)) {
    throw new ConfigurationError(
      options.schedule
        ? `schedule "${options.schedule}" has no fixed interval: set settings.windowMinutes for this connector in the deploy config`
        : "no schedule interval: set the connector's schedule (rate(...)) or settings.windowMinutes in the deploy config",
    );
  }
  return { from: new Date(to.getTime() - (interval + overlap) * MINUTE), to };
};

/** When a cron schedule fired before `to`; its reasons name what to set instead when it cannot tell. */
const previousCronFire = (schedule: string, to: Date, timeZone = "UTC"): Date => {
  let previous: Date | undefined;
  try {
    previous = previousFireTime(parseCron(schedule), to, timeZone);
  } catch (error) {
    if (error instanceof UnsupportedCronError || error instanceof RangeError) {
      throw new ConfigurationError(`${error.message}; or set settings.windowMinutes for this connector in the deploy config`, { cause: error });
    }
    throw error;
  }
  if (!previous)
    throw new ConfigurationError(
      `schedule "${schedule}" did not fire in the year before ${to.toISOString()}: set settings.windowMinutes for this connector in the deploy config`,
    );
  return previous;
};

const numberSetting = (settings: Readonly<Record<string, unknown>>, name: string): number | undefined => {
  const value = settings[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ConfigurationError(`settings.${name} must be a number, got ${JSON.stringify(value)}`);
  return value;
};

/**
 * {@link windowFor} with the knobs the stack passes in CONNECTOR_SETTINGS: `schedule`, `timeZone`,
 * `scheduleIntervalMinutes`, `windowMinutes`, `windowOverlapMinutes`.
 */
export const windowFromSettings = (scheduledTime: string | Date, settings: Readonly<Record<string, unknown>>): SyncWindow => {
  const schedule = typeof settings.schedule === "string" ? settings.schedule : undefined;
  const timeZone = typeof settings.timeZone === "string" ? settings.timeZone : undefined;
  const windowMinutes = numberSetting(settings, "windowMinutes") ?? numberSetting(settings, "scheduleIntervalMinutes");
  const overlapMinutes = numberSetting(settings, "windowOverlapMinutes");
  return windowFor({
    scheduledTime,
    ...(schedule === undefined ? {} : { schedule }),
    ...(timeZone === undefined ? {} : { timeZone }),
    ...(windowMinutes === undefined ? {} : { windowMinutes }),
    ...(overlapMinutes === undefined ? {} : { overlapMinutes }),
  });
};

/** A window given explicitly (backfill): both ISO times, `from` before `to`. */
export const explicitWindow = (from: string, to: string): SyncWindow => {
  const window = { from: new Date(from), to: new Date(to) };
  if (Number.isNaN(window.from.getTime()) || Number.isNaN(window.to.getTime()))
    throw new ValidationError(`backfill window {from: "${from}", to: "${to}"} must be two ISO 8601 times`);
  if (window.from >= window.to) throw new ValidationError(`backfill window starts (${from}) at or after it ends (${to})`);
  return window;
};

/**
 * A window from `from` that includes every change made before this call: `to` is now + 1 ms.
 * Windows are end-exclusive (`updatedAt < to`), and a row written in the same millisecond as a
 * `to` of plain "now" would miss it (it would only show up in the next window). For backfills
 * and demos that must see everything written so far.
 */
export const windowUntilNow = (from: Date, now: number = Date.now()): SyncWindow => {
  const window = { from, to: new Date(now + 1) };
  if (window.from >= window.to) throw new ValidationError(`window starts (${from.toISOString()}) after now (${new Date(now).toISOString()})`);
  return window;
};
