import type { Message } from "@aws-sdk/client-sqs";

/**
 * Secret scan for proof runs (fuzz, chaos, outage): looks for each secret value, in the forms it
 * takes when it slips out (raw, URL-encoded, form-encoded, JSON-escaped, base64 and base64url, also
 * inside a longer base64 blob such as a Basic auth header), in everything a person or a system can
 * read after a run: log lines, DLQ and queue messages (bodies and attributes), alert events and
 * Oro's notification alerts.
 *
 * It takes the secret values explicitly instead of asking the runtime's redaction registry
 * (shared/observability): the scan checks that registry's work, so it must not depend on it.
 */
export type SecretForm = "raw" | "url" | "form" | "json" | "base64" | "base64url";
export type ScanPlace = "log" | "message" | "alert" | "notificationalert";

export interface SecretHit {
  /** Index of the secret in the input list (the value itself is never reported). */
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
  /** The secret values to look for (e.g. every sensitive leaf of the secrets the run loaded). */
  secrets: readonly string[];
  lines?: readonly string[];
  messages?: readonly ScannableMessage[];
  /** Alert events (objects or their JSON). */
  alerts?: readonly unknown[];
  /** Oro notificationalerts records (objects or their JSON). */
  notificationAlerts?: readonly unknown[];
}

export interface SecretScanResult {
  hits: SecretHit[];
  counts: { lines: number; messages: number; alerts: number; notificationAlerts: number; secrets: number };
  /** `secrets: <hits> hits in <n> lines, <m> messages, <k> alerts` */
  summary: string;
}

/** Shorter values are not scanned: they would match by chance (the runtime does not redact them either). */
export const MIN_SCANNED_SECRET_LENGTH = 4;

const base64Variants = (value: string): string[] => {
  const bytes = Buffer.from(value, "utf8");
  const variants = new Set<string>();
  // The secret at each byte alignment inside a longer blob: keep only the characters whose six
  // bits all come from the secret.
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= 4) variants.add(core);
  }
  return [...variants];
};

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
    add("raw", value);
    add("url", encodeURIComponent(value));
    add("form", new URLSearchParams({ v: value }).toString().slice(2));
    add("json", JSON.stringify(value).slice(1, -1));
    for (const b64 of base64Variants(value)) {
      add("base64", b64);
      add("base64url", b64.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  });
  return needles;
};

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
      if (a.BinaryValue) fields.push([`attribute:${name}`, Buffer.from(a.BinaryValue).toString("utf8")], [`attribute:${name}`, Buffer.from(a.BinaryValue).toString("base64")]);
      if (a.binaryValue) fields.push([`attribute:${name}`, a.binaryValue], [`attribute:${name}`, Buffer.from(a.binaryValue, "base64").toString("utf8")]);
    }
  }
  return fields;
};

/** Scans everything a run produced for its secrets; 0 hits expected. */
export const scanForSecrets = (input: SecretScanInput): SecretScanResult => {
  const needles = secretNeedles(input.secrets);
  const hits: SecretHit[] = [];
  const scan = (place: ScanPlace, index: number, text: string, field?: string) => {
    if (!text) return;
    for (const needle of needles) {
      if (!text.includes(needle.text)) continue;
      if (hits.some((h) => h.place === place && h.index === index && h.secret === needle.secret && h.form === needle.form && h.field === field)) continue;
      hits.push({ secret: needle.secret, form: needle.form, place, index, ...(field ? { field } : {}) });
    }
  };
  const lines = input.lines ?? [];
  const messages = input.messages ?? [];
  const alerts = input.alerts ?? [];
  const notificationAlerts = input.notificationAlerts ?? [];
  lines.forEach((line, i) => scan("log", i, line));
  messages.forEach((message, i) => {
    for (const [field, text] of messageFields(message)) scan("message", i, text, field);
  });
  alerts.forEach((alert, i) => textsOf(alert).forEach((text) => scan("alert", i, text)));
  notificationAlerts.forEach((alert, i) => textsOf(alert).forEach((text) => scan("notificationalert", i, text)));
  const counts = { lines: lines.length, messages: messages.length, alerts: alerts.length, notificationAlerts: notificationAlerts.length, secrets: input.secrets.length };
  return {
    hits,
    counts,
    summary: `secrets: ${hits.length} hits in ${counts.lines} lines, ${counts.messages} messages, ${counts.alerts + counts.notificationAlerts} alerts`,
  };
};

/** One line per hit, without the secret: for a report. */
export const describeHits = (hits: readonly SecretHit[]): string[] =>
  hits.map((h) => `secret #${h.secret} (${h.form}) in ${h.place} #${h.index}${h.field ? ` ${h.field}` : ""}`);
