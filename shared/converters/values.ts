import type { ValueType } from "./types";

/** Result of a coercion: the value, or why it does not fit. */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Longest decimal text accepted. Values come from upstream systems (an ERP's stock quantity), so
 * the length is capped before any pattern runs (docs/reference/security.md §2); 100 characters
 * is far beyond the 17 significant digits a double carries.
 */
export const MAX_DECIMAL_CHARS = 100;
/** Longest date text accepted: an ISO 8601 date-time with fractions and offset fits in 40. */
export const MAX_DATE_CHARS = 64;
/** Characters of a bad value quoted in a problem: a megabyte value must not become a megabyte error. */
const MAX_QUOTED_CHARS = 60;

// Unambiguous: each character can be consumed by one part only (no `\d+\.?\d*` overlap), so a
// failing match is linear, not quadratic (docs/reference/security.md §2).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A value as quoted in a problem text: at most {@link MAX_QUOTED_CHARS} characters, marked when cut. */
export const quoted = (value: unknown): string => {
  const text = String(value);
  return text.length > MAX_QUOTED_CHARS ? `"${text.slice(0, MAX_QUOTED_CHARS)}…" (${text.length} characters)` : `"${text}"`;
};

/** `text` without its trailing zeros; a loop, since `/0+$/` is quadratic on "000…0x". */
const trimTrailingZeros = (text: string): string => {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end -= 1;
  return text.slice(0, end);
};

/** A decimal as Oro writes it: a string, trailing zeros stripped, at most `precision` decimals. */
export const formatDecimal = (value: unknown, precision?: number): Coerced => {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : undefined;
  if (text !== undefined && text.length > MAX_DECIMAL_CHARS)
    return { ok: false, problem: `${quoted(value)} is not a decimal number (longer than ${MAX_DECIMAL_CHARS} characters)` };
  if (text === undefined || !DECIMAL.test(text)) return { ok: false, problem: `${quoted(value)} is not a decimal number` };
  const number = Number(text);
  if (!Number.isFinite(number)) return { ok: false, problem: `${quoted(text)} is out of range` };
  let out: string;
  if (precision === undefined) {
    // Keep the source digits when they are plain (no float round trip): "1.5000" -> "1.5".
    out = /[eE]/.test(text) ? String(number) : text.startsWith("+") ? text.slice(1) : text;
  } else {
    const factor = 10 ** precision;
    const rounded = (Math.sign(number) * Math.round(Math.abs(number) * factor + Number.EPSILON * factor)) / factor;
    out = rounded.toFixed(precision);
  }
  if (out.includes(".")) {
    out = trimTrailingZeros(out);
    if (out.endsWith(".")) out = out.slice(0, -1);
  }
  if (out.startsWith(".")) out = `0${out}`;
  if (out.startsWith("-.")) out = `-0${out.slice(1)}`;
  return { ok: true, value: out === "-0" ? "0" : out };
};

/** A short JSON preview of a value; one nested too deeply to serialise (RangeError) is named by its kind. */
const preview = (value: unknown): string => {
  try {
    return String(JSON.stringify(value)).slice(0, 60);
  } catch {
    return Array.isArray(value) ? "[…]" : "{…}";
  }
};

const pad = (n: number) => String(n).padStart(2, "0");

/** Coerces `value` to `type`; booleans accept true/false, 1/0, "yes"/"no", "enabled"/"disabled". */
export const coerce = (value: unknown, type: ValueType | undefined, precision?: number, maxLength?: number): Coerced => {
  switch (type) {
    case undefined:
      return { ok: true, value };
    case "string": {
      if (typeof value === "object") return { ok: false, problem: `expected text, got ${preview(value)}` };
      const text = String(value);
      if (maxLength !== undefined && text.length > maxLength) return { ok: false, problem: `is ${text.length} characters long, at most ${maxLength} allowed` };
      return { ok: true, value: text };
    }
    case "integer": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof n === "number" && Number.isInteger(n) ? { ok: true, value: n } : { ok: false, problem: `${quoted(value)} is not an integer` };
    }
    case "number": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof n === "number" && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, problem: `${quoted(value)} is not a number` };
    }
    case "decimal":
      return formatDecimal(value, precision);
    case "boolean": {
      if (typeof value === "boolean") return { ok: true, value };
      const text = String(value).slice(0, 10).toLowerCase();
      if (["true", "1", "yes", "enabled"].includes(text)) return { ok: true, value: true };
      if (["false", "0", "no", "disabled"].includes(text)) return { ok: true, value: false };
      return { ok: false, problem: `${quoted(value)} is not a boolean` };
    }
    case "datetime":
    case "date": {
      // Akeneo writes "2024-01-02T10:00:00+00:00" or "2024-01-02 10:00:00"; Oro wants UTC "...Z".
      const raw = typeof value === "string" ? value : String(value);
      const time = raw.length > MAX_DATE_CHARS ? Number.NaN : Date.parse(raw.replace(" ", "T"));
      if (Number.isNaN(time)) return { ok: false, problem: `${quoted(value)} is not a date` };
      const d = new Date(time);
      const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      return { ok: true, value: type === "date" ? date : `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z` };
    }
  }
};

/** Undefined, null and the empty string count as "no value". */
export const isMissing = (value: unknown): boolean => value === undefined || value === null || value === "";
