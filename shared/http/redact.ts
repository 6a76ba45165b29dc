/**
 * Keeps secrets out of error messages. Errors end up in logs, DLQ message attributes and Oro
 * alerts, so anything that could carry a credential is scrubbed before it is put in a message.
 */

/** Query-string keys and body fields whose values are treated as secret. */
const SECRET_NAME = /(token|secret|password|passwd|pwd|api[-_]?key|apikey|signature|authorization|auth|credential|session|cookie)/i;

const REDACTED = "[REDACTED]";
/** Longest URL printed; browsers and servers stop at about 8 KB anyway. */
const MAX_URL_CHARS = 4_096;

/**
 * The URL as it is safe to print: no user info, and the value of every query parameter whose
 * name looks secret (`access_token`, `client_secret`, `sig`, ...) replaced by `[REDACTED]`.
 */
export const safeUrl = (url: string | URL): string => {
  let parsed: URL;
  const text = String(url);
  try {
    // A followed link comes from an upstream: parse at most MAX_URL_CHARS (secret-named query
    // values are still masked whole; a value cut at the end loses its tail, never its mask).
    parsed = new URL(text.length > MAX_URL_CHARS ? text.slice(0, MAX_URL_CHARS) : text);
  } catch {
    return "<invalid URL>";
  }
  parsed.username = "";
  parsed.password = "";
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_NAME.test(key)) parsed.searchParams.set(key, REDACTED);
  }
  // URLSearchParams re-encodes brackets; decode them back so `filter[sku]` stays readable.
  return parsed.toString().replaceAll("%5B", "[").replaceAll("%5D", "]");
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Scrubs a text (a response body excerpt, a cause's message): known secret values, bearer and
 * basic credentials, JSON fields and form fields with secret-looking names.
 */
export const redactText = (text: string, secrets: readonly string[] = []): string => {
  let out = text;
  // Exact values first: a server may echo a secret under an innocent field name.
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.replace(new RegExp(escapeRegExp(secret), "g"), REDACTED);
  }
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`);
  out = out.replace(/("([A-Za-z0-9_-]*)"\s*:\s*)"((?:[^"\\]|\\.)*)"/g, (match, prefix: string, name: string) =>
    SECRET_NAME.test(name) ? `${prefix}"${REDACTED}"` : match,
  );
  // The same inside a JSON string that holds JSON (a server echoing the request body): \"name\":\"value\".
  // In that text the inner value's own escapes are doubled: an inner \" is \\\" (three backslashes
  // and a quote), an inner \\ is four backslashes; only one backslash and a quote ends the value.
  // Each alternative differs from the others within its first four characters: linear, no backtracking.
  out = out.replace(
    /(\\"([A-Za-z0-9_-]*)\\"\s*:\s*\\")((?:[^"\\]|\\\\\\"|\\\\\\\\|\\\\[^"\\]|\\[^"\\])*)(\\")/g,
    (match, prefix: string, name: string, _v: string, end: string) => (SECRET_NAME.test(name) ? `${prefix}${REDACTED}${end}` : match),
  );
  out = out.replace(/(^|[?&\s])([A-Za-z0-9_.-]+)=([^&\s]*)/g, (match, lead: string, name: string) =>
    SECRET_NAME.test(name) ? `${lead}${name}=${REDACTED}` : match,
  );
  return out;
};

/**
 * Characters of a body read beyond the excerpt's length. The patterns above are linear, but a
 * 6 MB error page need not be scanned whole for 300 characters; the margin is far longer than any
 * secret, so a secret that starts inside the excerpt is redacted whole before the cut.
 */
const EXCERPT_SCAN_MARGIN = 16 * 1024;

/** At most `max` characters of a redacted body, whitespace collapsed, with an ellipsis when cut: redacted first, then cut. */
export const bodyExcerpt = (body: string, max: number, secrets: readonly string[] = []): string => {
  const flat = redactText(body.slice(0, max + EXCERPT_SCAN_MARGIN), secrets)
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
