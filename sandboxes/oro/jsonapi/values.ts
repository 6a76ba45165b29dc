/**
 * Value formats of Oro's JSON:API (docs/reference/oro-api.md §2, platform@6.1 DateTimeToStringTransformer.php,
 * DecimalToStringTransformer.php): datetimes `Y-m-d\TH:i:sP` with `+00:00` shown as `Z`, decimals as
 * strings without trailing zeros.
 */

/** `2020-03-11T17:41:17Z` (UTC, no milliseconds). */
export function formatDateTime(date: Date | number = Date.now()): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Whether a body value is a decimal Oro's DecimalToStringTransformer accepts (number or numeric string). */
export function isDecimalInput(value: unknown): value is number | string {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && DECIMAL.test(value.trim());
}

/** Normalizes a decimal input to Oro's output: a string without trailing zeros (`"10.50"` -> `"10.5"`). */
export function normalizeDecimal(value: number | string): string {
  let text = typeof value === "number" ? String(value) : value.trim();
  if (text.startsWith("+")) text = text.slice(1);
  if (text.startsWith(".")) text = `0${text}`;
  if (text.startsWith("-.")) text = `-0${text.slice(1)}`;
  if (text.includes("e") || text.includes("E")) text = Number(text).toString();
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  if (/^-?0+\d/.test(text)) text = text.replace(/^(-?)0+(?=\d)/, "$1");
  return text === "-0" ? "0" : text;
}

/**
 * Parses a datetime filter value: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH[:MM[:SS]]` with
 * optional `Z`/`±HH[:MM]`; a partial value means its whole period, returned as [start, end) in ms.
 * A space is read back as `+` (an unencoded `+` in a query). Source: platform@6.1 NormalizeDateTime.php.
 */
export function parseDateTimeFilter(raw: string): [number, number] | null {
  const text = raw.trim().replace(" ", "+");
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const parts = [Number(y), mo ? Number(mo) - 1 : 0, d ? Number(d) : 1, h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0] as const;
  let offsetMs = 0;
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  const start = Date.UTC(...parts) - offsetMs;
  const next = [...parts] as number[];
  const precision = s ? 5 : mi ? 4 : h ? 3 : d ? 2 : mo ? 1 : 0;
  next[precision] = (next[precision] ?? 0) + 1;
  const end = Date.UTC(next[0] ?? 0, next[1] ?? 0, next[2] ?? 1, next[3] ?? 0, next[4] ?? 0, next[5] ?? 0) - offsetMs;
  if (Number.isNaN(start)) return null;
  return [start, end];
}
