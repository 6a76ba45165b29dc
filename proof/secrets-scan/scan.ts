import type { Message } from "@aws-sdk/client-sqs";
import { type SecretFormName, secretForms } from "../../shared/observability/secret-forms";

/**
 * Secret scan for proof runs (fuzz, chaos, outage): looks for each secret value and each OAuth
 * token the sandboxes issued, in every form it takes when it slips out (raw; URL-encoded with
 * upper- or lower-case escapes, form-encoded, double-encoded; JSON- and PHP-json_encode-escaped;
 * hex; base64 and base64url at any alignment, as inside a Basic header's `id:secret`), and for
 * partial secrets (a secret cut by a truncation), in everything a person or a system can read
 * after a run: log lines, DLQ and connector-queue messages (bodies and attributes), alert events,
 * Oro's notification alerts, and the ops CLI's output.
 *
 * It takes the secret values explicitly instead of asking the runtime's redaction registry
 * (shared/observability): the scan checks that registry's work, so it must not depend on it. The
 * forms come from shared/observability/secret-forms.ts (one definition of what a secret looks
 * like); test/proof-secrets.test.ts plants each form with independent encoders, so a form missing
 * there fails the scan's own tests.
 *
 * Known misses (test/proof-secrets.test.ts shows each): a partial secret is found raw only (not
 * encoded), and only as a prefix of half the secret (at least 8 characters) anywhere, or of at
 * least 6 characters where a text or field ends (a cut); values shorter than 4 characters are
 * not scanned; other encodings (gzip, encryption, HTML entities, UTF-16) are not decoded.
 */
export type SecretForm = SecretFormName | "partial";
export type ScanPlace = "log" | "message" | "queue" | "alert" | "notificationalert" | "ops";

export interface SecretHit {
  /** Index of the secret in the input list (tokens follow the secrets); the value itself is never reported. */
  secret: number;
  form: SecretForm;
  place: ScanPlace;
  /** Index of the line / message / alert within its place. */
  index: number;
  /** Where in a message: `body` or `attribute:<name>`. */
  field?: string;
}

/** A message as read from SQS (SDK `Message`), or a plain body + attributes. */
export type ScannableMessage = Pick<Message, "Body" | "MessageAttributes"> | { body?: string; attributes?: Record<string, unknown> };

export interface SecretScanInput {
  /** The secret values to look for (e.g. every sensitive leaf of the secrets the run loaded, see {@link secretLeaves}). */
  secrets: readonly string[];
  /** OAuth access and refresh tokens issued during the run (the sandboxes list them). */
  tokens?: readonly string[];
  lines?: readonly string[];
  /** DLQ messages (and any other message a person reads after the run). */
  messages?: readonly ScannableMessage[];
  /** Messages still on the connector queues (and the alerts queue) at the end of the run. */
  queueMessages?: readonly ScannableMessage[];
  /** Alert events (objects or their JSON). */
  alerts?: readonly unknown[];
  /** Oro notificationalerts records (objects or their JSON). */
  notificationAlerts?: readonly unknown[];
  /** What the ops CLI printed (stdout and stderr lines, or its JSON). */
  opsOutput?: readonly string[];
}

export interface SecretScanResult {
  hits: SecretHit[];
  counts: {
    lines: number;
    messages: number;
    queueMessages: number;
    alerts: number;
    notificationAlerts: number;
    opsOutput: number;
    secrets: number;
    tokens: number;
  };
  /** `secrets: <hits> hits in <n> lines, <m> messages, <k> alerts` (+ queue messages, ops lines, tokens when given) */
  summary: string;
}

/** Shorter values are not scanned: they would match by chance (the runtime does not redact them either). */
export const MIN_SCANNED_SECRET_LENGTH = 4;
/** Shortest partial secret looked for anywhere (a prefix of half the secret, at least this long). */
export const MIN_PARTIAL_LENGTH = 8;
/** Shortest partial secret looked for where a text or field ends (the truncation case). */
export const MIN_CUT_PREFIX_LENGTH = 6;

interface Needle {
  secret: number;
  form: SecretForm;
  text: string;
}

/** Every form of every secret, most specific first (a hit is reported once per place, form and secret). */
export const secretNeedles = (secrets: readonly string[]): Needle[] => {
  const needles: Needle[] = [];
  secrets.forEach((value, secret) => {
    if (value.length < MIN_SCANNED_SECRET_LENGTH) return;
    const add = (form: SecretForm, text: string) => {
      if (!needles.some((n) => n.secret === secret && n.text === text)) needles.push({ secret, form, text });
    };
    for (const { form, text } of secretForms(value)) if (text.length >= MIN_SCANNED_SECRET_LENGTH) add(form, text);
    const half = Math.max(MIN_PARTIAL_LENGTH, Math.floor(value.length / 2));
    if (half < value.length) add("partial", value.slice(0, half));
  });
  return needles;
};

/** Whether `text` ends (before an optional ellipsis) with a prefix of `value` of at least {@link MIN_CUT_PREFIX_LENGTH} characters. */
const endsWithCutPrefix = (text: string, value: string): boolean => {
  const end = text.endsWith("…") ? text.slice(0, -1) : text.endsWith("...") ? text.slice(0, -3) : text;
  // Only the last (length - 1) characters can hold a cut prefix; find where the prefix could start.
  const tail = end.slice(-(value.length - 1));
  const head = value.slice(0, MIN_CUT_PREFIX_LENGTH);
  for (let at = tail.indexOf(head); at >= 0; at = tail.indexOf(head, at + 1)) if (value.startsWith(tail.slice(at))) return true;
  return false;
};

/**
 * The values to scan for in a set of secrets: every string leaf, at any depth, under a key that
 * names a credential (secret, password, key, token, credential, signature, private, auth), and a
 * secret stored as a bare string. Identifiers (client ids, user names, base URLs) stay out.
 */
export const secretLeaves = (secrets: Readonly<Record<string, unknown>>): string[] => {
  const out = new Set<string>();
  const visit = (node: unknown, sensitive: boolean): void => {
    if (typeof node === "string") {
      if (sensitive && node.length >= MIN_SCANNED_SECRET_LENGTH) out.add(node);
    } else if (Array.isArray(node)) node.forEach((item) => visit(item, sensitive));
    else if (node && typeof node === "object") for (const [key, child] of Object.entries(node)) visit(child, sensitive || SECRET_KEY.test(key));
  };
  for (const value of Object.values(secrets)) visit(value, typeof value === "string");
  return [...out];
};
const SECRET_KEY = /secret|passw|key|token|credential|signature|private|auth/i;

/** A value's JSON text and each of its string leaves (a leaf is read unescaped, the JSON escaped). */
const textsOf = (value: unknown): string[] => {
  if (typeof value === "string") return [value];
  const texts: string[] = [];
  try {
    texts.push(JSON.stringify(value) ?? "");
  } catch {
    // Too deep or cyclic for JSON: the leaves below still get read.
  }
  const stack: unknown[] = [value];
  const seen = new Set<unknown>();
  while (stack.length > 0 && seen.size < 100_000) {
    const node = stack.pop();
    if (typeof node === "string") texts.push(node);
    else if (node && typeof node === "object" && !seen.has(node)) {
      seen.add(node);
      for (const [key, child] of Object.entries(node)) stack.push(key, child);
    }
  }
  return texts;
};

const messageFields = (message: ScannableMessage): [string, string][] => {
  const fields: [string, string][] = [];
  const body = "Body" in message ? message.Body : "body" in message ? message.body : undefined;
  if (body !== undefined) fields.push(["body", body]);
  const attributes = ("MessageAttributes" in message ? message.MessageAttributes : "attributes" in message ? message.attributes : undefined) ?? {};
  for (const [name, attribute] of Object.entries(attributes as Record<string, unknown>)) {
    const a = attribute as { StringValue?: string; BinaryValue?: Uint8Array; stringValue?: string; binaryValue?: string } | string;
    if (typeof a === "string") fields.push([`attribute:${name}`, a]);
    else {
      const text = a.StringValue ?? a.stringValue;
      if (text !== undefined) fields.push([`attribute:${name}`, text]);
      if (a.BinaryValue)
        fields.push([`attribute:${name}`, Buffer.from(a.BinaryValue).toString("utf8")], [`attribute:${name}`, Buffer.from(a.BinaryValue).toString("base64")]);
      if (a.binaryValue) fields.push([`attribute:${name}`, a.binaryValue], [`attribute:${name}`, Buffer.from(a.binaryValue, "base64").toString("utf8")]);
    }
  }
  return fields;
};

/** Scans everything a run produced for its secrets and tokens; 0 hits expected. */
export const scanForSecrets = (input: SecretScanInput): SecretScanResult => {
  const values = [...input.secrets, ...(input.tokens ?? [])];
  const needles = secretNeedles(values);
  const hits: SecretHit[] = [];
  const record = (hit: SecretHit) => {
    if (!hits.some((h) => h.place === hit.place && h.index === hit.index && h.secret === hit.secret && h.form === hit.form && h.field === hit.field))
      hits.push(hit);
  };
  const scan = (place: ScanPlace, index: number, text: string, field?: string) => {
    if (!text) return;
    const found = new Map<number, Set<SecretForm>>();
    for (const needle of needles) if (text.includes(needle.text)) found.set(needle.secret, (found.get(needle.secret) ?? new Set()).add(needle.form));
    values.forEach((value, secret) => {
      if (value.length >= MIN_SCANNED_SECRET_LENGTH && endsWithCutPrefix(text, value)) found.set(secret, (found.get(secret) ?? new Set()).add("partial"));
    });
    for (const [secret, formsFound] of found) {
      // A whole secret also contains its half: "partial" is reported only when nothing else is.
      if (formsFound.size > 1) formsFound.delete("partial");
      for (const form of formsFound) record({ secret, form, place, index, ...(field ? { field } : {}) });
    }
  };
  const lines = input.lines ?? [];
  const messages = input.messages ?? [];
  const queueMessages = input.queueMessages ?? [];
  const alerts = input.alerts ?? [];
  const notificationAlerts = input.notificationAlerts ?? [];
  const opsOutput = input.opsOutput ?? [];
  lines.forEach((line, i) => scan("log", i, line));
  messages.forEach((message, i) => {
    for (const [field, text] of messageFields(message)) scan("message", i, text, field);
  });
  queueMessages.forEach((message, i) => {
    for (const [field, text] of messageFields(message)) scan("queue", i, text, field);
  });
  alerts.forEach((alert, i) => textsOf(alert).forEach((text) => scan("alert", i, text)));
  notificationAlerts.forEach((alert, i) => textsOf(alert).forEach((text) => scan("notificationalert", i, text)));
  opsOutput.forEach((line, i) => scan("ops", i, line));
  const counts = {
    lines: lines.length,
    messages: messages.length,
    queueMessages: queueMessages.length,
    alerts: alerts.length,
    notificationAlerts: notificationAlerts.length,
    opsOutput: opsOutput.length,
    secrets: input.secrets.length,
    tokens: input.tokens?.length ?? 0,
  };
  const extra = [
    input.queueMessages ? `${counts.queueMessages} queue messages` : "",
    input.opsOutput ? `${counts.opsOutput} ops lines` : "",
    input.tokens ? `${counts.tokens} tokens` : "",
  ].filter(Boolean);
  return {
    hits,
    counts,
    summary: `secrets: ${hits.length} hits in ${counts.lines} lines, ${counts.messages} messages, ${counts.alerts + counts.notificationAlerts} alerts${extra.length ? `, ${extra.join(", ")}` : ""}`,
  };
};

/** One line per hit, without the secret: for a report. */
export const describeHits = (hits: readonly SecretHit[]): string[] =>
  hits.map((h) => `secret #${h.secret} (${h.form}) in ${h.place} #${h.index}${h.field ? ` ${h.field}` : ""}`);
