import type { FailureEvent } from "../../shared/alerts";
import { redact } from "../../shared/observability";
import { formatOroDateTime } from "../../shared/oro";

/** Longest failure reason kept in an alert message (the Alerts grid shows a line or two). */
const MAX_REASON_CHARS = 1_000;
/** Longest alert message (contract section 7: "a few thousand characters at most"). */
export const MAX_MESSAGE_CHARS = 2_000;

/** `additionalInfo` of an alert the notifier writes (contract section 3, plus `code`). */
export interface AlertInfo {
  connector: string;
  attempts: number;
  envelopeId: string | null;
  dlq: string | null;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Error code of the latest failure, e.g. `VALIDATION`, `HTTP_503`. */
  code: string;
}

/** The failures to fold into an alert: how many, when, and the latest one. */
export interface FailureSummary {
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  latest: FailureEvent;
}

/** Oro's datetime format (seconds, `Z`); an unparsable value is kept as it is. */
const oroTime = (value: string): string => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : formatOroDateTime(new Date(ms));
};

/** ISO 8601 with milliseconds: the recovery guard compares these with events' own times. */
const isoTime = (value: string): string => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};

const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);
const latest = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * The command an operator runs after fixing the cause. One place, so alerts and docs agree on it.
 * The syntax is the ops CLI's (docs/ops.md); test/notifier.unit.test.ts checks the CLI accepts it.
 */
export const redriveCommand = (event: Pick<FailureEvent, "integration" | "connector">): string =>
  `npm run ops -- dlq redrive ${event.integration} ${event.connector}`;

/** Redacted before it is cut: a secret cut in half would no longer be recognised. */
const sentence = (text: string): string => {
  const trimmed = redact(text).trim().replace(/\s+/g, " ");
  const cut = trimmed.length > MAX_REASON_CHARS ? `${trimmed.slice(0, MAX_REASON_CHARS - 1)}…` : trimmed;
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
};

/**
 * The alert message: `[connector] <latest reason>. <where the message is and what to do>` and,
 * when several failures were folded in, ` (N occurrences since <firstSeenAt>)` (contract section 7).
 * It names the DLQ and the redrive command; it never carries payloads or secrets (the event's text
 * was redacted by the runtime and is redacted again here with the notifier's own secrets).
 */
export const alertMessage = (summary: FailureSummary): string => {
  const event = summary.latest;
  const plural = summary.count > 1;
  const where = event.dlq
    ? ` ${plural ? "The messages are" : "The message is"} in DLQ ${event.dlq}; fix the cause, then run: ${redriveCommand(event)}.`
    : " It will be retried; if it keeps failing it lands in the connector's DLQ.";
  const tail = plural ? ` (${summary.count} occurrences since ${oroTime(summary.firstSeenAt)})` : "";
  const text = redact(`[${event.connector}] ${sentence(event.message)}${where}`);
  return `${text.slice(0, MAX_MESSAGE_CHARS - tail.length)}${tail}`;
};

/** Reads the notifier's fields back from a stored `additionalInfo` (other writers may have left it empty). */
export const readAlertInfo = (value: unknown): Partial<AlertInfo> => {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const info = value as Record<string, unknown>;
  const string = (name: string) => (typeof info[name] === "string" ? (info[name] as string) : undefined);
  const count = typeof info.count === "number" && Number.isInteger(info.count) && info.count > 0 ? info.count : undefined;
  const result: Partial<AlertInfo> = {};
  if (count !== undefined) result.count = count;
  const first = string("firstSeenAt");
  if (first) result.firstSeenAt = first;
  const last = string("lastSeenAt");
  if (last) result.lastSeenAt = last;
  const connector = string("connector");
  if (connector) result.connector = connector;
  return result;
};

/**
 * Folds failures into an alert: a new one (`existing` undefined: count = the failures) or an open
 * one (count added, firstSeenAt kept, lastSeenAt the later one). Times are the failures' own
 * `occurredAt`, not the notifier's clock, so an alert written after a redrive still says when
 * things failed.
 */
export const foldAlert = (summary: FailureSummary, existing?: Partial<AlertInfo>): { message: string; additionalInfo: AlertInfo } => {
  const folded: FailureSummary = {
    count: (existing?.count ?? 0) + summary.count,
    firstSeenAt: existing?.firstSeenAt ? earlier(existing.firstSeenAt, summary.firstSeenAt) : summary.firstSeenAt,
    lastSeenAt: existing?.lastSeenAt ? latest(existing.lastSeenAt, summary.lastSeenAt) : summary.lastSeenAt,
    latest: summary.latest,
  };
  const event = summary.latest;
  return {
    message: alertMessage(folded),
    additionalInfo: {
      connector: existing?.connector ?? event.connector,
      attempts: event.attempts,
      envelopeId: event.envelopeId ?? null,
      dlq: event.dlq ?? null,
      count: folded.count,
      firstSeenAt: isoTime(folded.firstSeenAt),
      lastSeenAt: isoTime(folded.lastSeenAt),
      code: event.code,
    },
  };
};
