/**
 * EventBridge Scheduler cron expressions: `cron(minutes hours day-of-month month day-of-week year)`,
 * evaluated in the schedule's time zone. Used to find when a cron schedule fired before the current
 * run, so a cron-scheduled window covers exactly the gap since the previous run (a weekday-only
 * schedule's Monday run covers the weekend) without a fixed `windowMinutes`.
 *
 * Supported: numbers, `*`, `?`, ranges `a-b`, lists `a,b`, steps `a/n` and `a-b/n`, month names
 * (JAN-DEC) and day names (SUN-SAT; 1 = Sunday, as AWS counts). Not supported: `L`, `W` and `#`
 * (last day, nearest weekday, nth weekday): such a schedule needs `settings.windowMinutes`.
 */

export class UnsupportedCronError extends Error {
  override name = "UnsupportedCronError";
}

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
  { min: 1970, max: 2199 },
];

/** Allowed values of one field; `undefined` means any (`*` or `?`). */
type Allowed = ReadonlySet<number> | undefined;

const valueOf = (token: string, field: Field, expression: string): number => {
  const upper = token.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + field.min : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < field.min || value > field.max)
    throw new UnsupportedCronError(`"${token}" is not a valid value in ${expression} (allowed ${field.min}-${field.max})`);
  return value;
};

const parseField = (text: string, field: Field, expression: string): Allowed => {
  if (text === "*" || text === "?") return undefined;
  // Names (MON, JUL, ...) are three letters; what is left of L, W or # is the special syntax.
  if (/[LW#]/.test(text.toUpperCase().replace(/[A-Z]{3}/g, "")))
    throw new UnsupportedCronError(`${expression} uses L, W or #, which the window computation does not follow: set settings.windowMinutes`);
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new UnsupportedCronError(`"${part}" has an invalid step in ${expression}`);
    const [startText = "", endText] = range === "*" ? [String(field.min), String(field.max)] : range.split("-");
    const start = valueOf(startText, field, expression);
    // `a/n` runs from a to the field's end.
    const end = endText !== undefined ? valueOf(endText, field, expression) : stepText !== undefined ? field.max : start;
    if (end < start) throw new UnsupportedCronError(`"${part}" is a backwards range in ${expression}`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
};

export interface CronSchedule {
  minutes: Allowed;
  hours: Allowed;
  daysOfMonth: Allowed;
  months: Allowed;
  daysOfWeek: Allowed;
  years: Allowed;
}

/** Parses `cron(...)` (or its six fields); throws UnsupportedCronError with the reason. */
export const parseCron = (expression: string): CronSchedule => {
  const inner = /^cron\((.*)\)$/i.exec(expression.trim())?.[1] ?? expression;
  const parts = inner.trim().split(/\s+/);
  if (parts.length !== 6) throw new UnsupportedCronError(`${expression} must have six fields: minutes hours day-of-month month day-of-week year`);
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = parts.map((text, i) => parseField(text, FIELDS[i] as Field, expression));
  return { minutes, hours, daysOfMonth, months, daysOfWeek, years };
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The wall-clock fields of an instant in a time zone (day of week 1 = Sunday, as AWS counts). */
const localParts = (time: number, timeZone: string) => {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(time))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? "") + 1,
  };
};

const allows = (allowed: Allowed, value: number) => allowed === undefined || allowed.has(value);
const MINUTE = 60_000;
/** How far back to look: a schedule that fired less than once a year gets no computed window. */
const MAX_STEPS = 20_000;

/**
 * The latest fire time of `schedule` strictly before `before`, in `timeZone`; `undefined` when
 * there is none within a year. Steps back by days, hours or minutes, whichever field mismatches.
 */
export const previousFireTime = (schedule: CronSchedule, before: Date, timeZone = "UTC"): Date | undefined => {
  let time = Math.floor((before.getTime() - 1) / MINUTE) * MINUTE;
  const limit = before.getTime() - 367 * 24 * 60 * MINUTE;
  for (let step = 0; step < MAX_STEPS && time > limit; step++) {
    const local = localParts(time, timeZone);
    const dayMatches =
      allows(schedule.years, local.year) &&
      allows(schedule.months, local.month) &&
      allows(schedule.daysOfMonth, local.day) &&
      allows(schedule.daysOfWeek, local.weekday);
    if (!dayMatches) {
      time -= (local.hour * 60 + local.minute + 1) * MINUTE; // to 23:59 of the previous local day
    } else if (!allows(schedule.hours, local.hour)) {
      time -= (local.minute + 1) * MINUTE; // to :59 of the previous hour
    } else if (!allows(schedule.minutes, local.minute)) {
      time -= MINUTE;
    } else {
      return new Date(time);
    }
  }
  return undefined;
};
