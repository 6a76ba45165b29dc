import type { SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { AlertEventSchema, type FailureEvent, type RecoveryEvent } from "../../shared/alerts";
import { type AlertKey, type ResolveKey, alertKeyOf, keyId, resolveKeyOf } from "./alert-key";

/** Longest list of schema problems put in one DLQ reason. */
const MAX_ISSUES = 5;
/** Oro's `itemId` column is a 32-bit integer. */
const INT32_MAX = 2 ** 31 - 1;

/** Failures of one full alert key, folded into one write. */
export interface FailureFold {
  key: AlertKey;
  /** Failures folded (the alert's `count` grows by this). */
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The most recent failure: its reason, attempts, envelope id and DLQ go into the alert. */
  latest: FailureEvent;
  records: SQSRecord[];
}

/** Recoveries of one resolve key: resolve what failed up to `occurredAt`. */
export interface RecoveryFold {
  key: ResolveKey;
  /** The latest recovery's time; alerts last seen after it stay open. */
  occurredAt: string;
  latest: RecoveryEvent;
  /** Recovery records, plus failures that happened before the recovery (superseded by it). */
  records: SQSRecord[];
  /** Failures dropped because a later recovery of the same key resolves them anyway. */
  superseded: number;
}

/** Everything one batch asks for about one resolve key: handled serially, one Oro look-up per fold. */
export interface KeyGroup {
  id: string;
  recovery: RecoveryFold | undefined;
  failures: FailureFold[];
}

/** A record whose body is not an alert event: it goes to the DLQ with `reason`. */
export interface InvalidRecord {
  record: SQSRecord;
  reason: string;
}

/** The batch, grouped by key. */
export interface BatchPlan {
  groups: KeyGroup[];
  invalid: InvalidRecord[];
}

type Parsed = { ok: true; event: FailureEvent | RecoveryEvent } | { ok: false; reason: string };

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");

/** Parses one alerts-queue body; the reason says what to fix (it ends up as a DLQ attribute). */
export const parseAlertEvent = (body: string): Parsed => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      reason: `alert event is not JSON (${(error as Error).message}); the alerts queue takes FailureEvent / RecoveryEvent JSON (shared/alerts/events.ts)`,
    };
  }
  const result = z.safeParse(AlertEventSchema, json);
  if (!result.success)
    return { ok: false, reason: `not a valid FailureEvent / RecoveryEvent v1 (shared/alerts/events.ts): ${describeIssues(result.error.issues)}` };
  const event = result.data;
  if (event.itemId !== undefined && (!Number.isInteger(event.itemId) || event.itemId < 0 || event.itemId > INT32_MAX)) {
    return { ok: false, reason: `itemId ${event.itemId} is not an Oro id (a non-negative 32-bit integer); put other identifiers in externalId` };
  }
  if (Number.isNaN(Date.parse(event.occurredAt))) return { ok: false, reason: `occurredAt "${event.occurredAt.slice(0, 64)}" is not an ISO 8601 date-time` };
  return { ok: true, event };
};

const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

/**
 * Groups a batch by alert key so a burst costs one look-up and one write per key, not per event
 * (contract section 7, step 4). Within a resolve key, events are ordered by `occurredAt`, not by
 * arrival (a standard queue does not keep order): failures older than the latest recovery are
 * superseded by it (creating then resolving them would end in the same state), later failures are
 * folded per alertType.
 */
export const planBatch = (records: readonly SQSRecord[]): BatchPlan => {
  const invalid: InvalidRecord[] = [];
  const byKey = new Map<
    string,
    { key: ResolveKey; failures: Array<{ event: FailureEvent; record: SQSRecord }>; recoveries: Array<{ event: RecoveryEvent; record: SQSRecord }> }
  >();
  for (const record of records) {
    const parsed = parseAlertEvent(record.body);
    if (!parsed.ok) {
      invalid.push({ record, reason: parsed.reason });
      continue;
    }
    const key = resolveKeyOf(parsed.event);
    const id = keyId(key);
    const entry = byKey.get(id) ?? { key, failures: [], recoveries: [] };
    byKey.set(id, entry);
    if (parsed.event.kind === "failure") entry.failures.push({ event: parsed.event, record });
    else entry.recoveries.push({ event: parsed.event, record });
  }

  const groups: KeyGroup[] = [];
  for (const [id, entry] of byKey) {
    let recovery: RecoveryFold | undefined;
    for (const { event, record } of entry.recoveries) {
      if (!recovery) recovery = { key: entry.key, occurredAt: event.occurredAt, latest: event, records: [], superseded: 0 };
      else if (later(event.occurredAt, recovery.occurredAt)) Object.assign(recovery, { occurredAt: event.occurredAt, latest: event });
      recovery.records.push(record);
    }
    const folds = new Map<string, FailureFold>();
    for (const { event, record } of entry.failures) {
      if (recovery && !later(event.occurredAt, recovery.occurredAt)) {
        recovery.records.push(record);
        recovery.superseded += 1;
        continue;
      }
      const key = alertKeyOf(event);
      const foldId = keyId(key);
      const fold = folds.get(foldId);
      if (!fold) {
        folds.set(foldId, { key, count: 1, firstSeenAt: event.occurredAt, lastSeenAt: event.occurredAt, latest: event, records: [record] });
        continue;
      }
      fold.count += 1;
      fold.records.push(record);
      if (later(fold.firstSeenAt, event.occurredAt)) fold.firstSeenAt = event.occurredAt;
      if (!later(fold.lastSeenAt, event.occurredAt)) {
        fold.lastSeenAt = event.occurredAt;
        fold.latest = event;
      }
    }
    groups.push({ id, recovery, failures: [...folds.values()] });
  }
  return { groups, invalid };
};
