import type { ValueType } from "./types";

/** Result of a coercion: the value, or why it does not fit. */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal as Oro writes it: a string, trailing zeros stripped, at most `precision` decimals. */
export const formatDecimal = (value: unknown, precision?: number): Coerced => {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : undefined;
  if (text === undefined || !DECIMAL.test(text)) return { ok: false, problem: `"${String(value)}" is not a decimal number` };
  const number = Number(text);
  if (!Number.isFinite(number)) return { ok: false, problem: `"${text}" is out of range` };
  let out: string;
  if (precision === undefined) {
    // Keep the source digits when they are plain (no float round trip): "1.5000" -> "1.5".
    out = /[eE]/.test(text) ? String(number) : text.replace(/^\+/, "");
  } else {
    const factor = 10 ** precision;
    const rounded = Math.sign(number) * Math.round(Math.abs(number) * factor + Number.EPSILON * factor) / factor;
    out = rounded.toFixed(precision);
  }
  if (out.includes(".")) out = out.replace(/0+$/, "").replace(/\.$/, "");
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
      return typeof n === "number" && Number.isInteger(n) ? { ok: true, value: n } : { ok: false, problem: `"${String(value)}" is not an integer` };
    }
    case "number": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof n === "number" && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, problem: `"${String(value)}" is not a number` };
    }
    case "decimal":
      return formatDecimal(value, precision);
    case "boolean": {
      if (typeof value === "boolean") return { ok: true, value };
      const text = String(value).toLowerCase();
      if (["true", "1", "yes", "enabled"].includes(text)) return { ok: true, value: true };
      if (["false", "0", "no", "disabled"].includes(text)) return { ok: true, value: false };
      return { ok: false, problem: `"${String(value)}" is not a boolean` };
    }
    case "datetime":
    case "date": {
      // Akeneo writes "2024-01-02T10:00:00+00:00" or "2024-01-02 10:00:00"; Oro wants UTC "...Z".
      const time = Date.parse(typeof value === "string" ? value.replace(" ", "T") : String(value));
      if (Number.isNaN(time)) return { ok: false, problem: `"${String(value)}" is not a date` };
      const d = new Date(time);
      const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      return { ok: true, value: type === "date" ? date : `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z` };
    }
  }
};

/** Undefined, null and the empty string count as "no value". */
export const isMissing = (value: unknown): boolean => value === undefined || value === null || value === "";
