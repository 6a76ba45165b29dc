import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { describeError, errorCode } from "../../shared/errors";
import type { InvocationMetrics } from "../../shared/observability";
import { OroValidationError } from "../../shared/oro";
import { dispositionOf, type InvocationTiming, mapWithConcurrency, mayStart, type QueueActions, visibilityBackoffSeconds } from "../../shared/runtime";
import { keyId } from "./alert-key";
import type { AlertStore, StoredAlert } from "./alert-store";
import { foldAlert, readAlertInfo } from "./alert-text";
import type { NotifierConfig } from "./config";
import { type FailureFold, type KeyGroup, type RecoveryFold, planBatch } from "./plan";

/** Metric names the notifier publishes (EMF), per invocation. */
export const NotifierMetric = {
  events: "AlertEventsReceived",
  invalid: "AlertEventsInvalid",
  superseded: "AlertEventsSuperseded",
  retried: "AlertEventsRetried",
  deadLettered: "AlertEventsDeadLettered",
  created: "AlertsCreated",
  updated: "AlertsUpdated",
  resolved: "AlertsResolved",
  duplicatesMerged: "AlertDuplicatesMerged",
} as const;

/** What the batch processor needs; built once per container by the handler. */
export interface NotifierDependencies {
  config: NotifierConfig;
  store: AlertStore;
  actions: QueueActions;
  logger: PowertoolsLogger;
  metrics: InvocationMetrics;
  random?: () => number;
}

/** How a fold ended: its records are acknowledged, retried later, or dead-lettered as unwritable. */
type Outcome = { kind: "done" } | { kind: "skip" } | { kind: "failed"; error: unknown };

/** Oro rejecting our body (400) is the notifier's only permanent error: the rest (5xx, 429, auth, permissions) is retried until Oro is fixed. */
const rejectedBody = (error: unknown) => error instanceof OroValidationError;

const receiveCount = (record: SQSRecord) => Number(record.attributes?.ApproximateReceiveCount ?? "1") || 1;
const earliestCreated = (a: StoredAlert, b: StoredAlert) =>
  (a.attributes?.createdAt ?? "").localeCompare(b.attributes?.createdAt ?? "") || a.id.localeCompare(b.id);

/**
 * Processes one batch of the alerts queue and returns the partial-batch response.
 *
 * - Unreadable events are permanent: each goes to the notifier's DLQ with the reason as message
 *   attributes and is acknowledged (never retried, never failing the batch).
 * - The rest is grouped by alert key ({@link planBatch}); each key costs one look-up and one
 *   write whatever the number of events (1,000 failures of one kind = one alert, count 1,000).
 * - Oro unreachable, 5xx, 429, auth or configuration problems: the records of that fold are
 *   reported failed with backoff; after maxReceiveCount SQS moves them to the DLQ (alarmed), and a
 *   redrive later writes the alerts. Oro rejecting our body (400) is permanent: DLQ with the reason.
 */
export const processNotifierBatch = async (event: SQSEvent, timing: InvocationTiming, deps: NotifierDependencies): Promise<SQSBatchResponse> => {
  const { config, store, actions, metrics, logger } = deps;
  const records = event.Records ?? [];
  const deadlineAt = Date.now() + timing.getRemainingTimeInMillis();
  const remaining = () => deadlineAt - Date.now();
  const signal = AbortSignal.timeout(Math.max(1, timing.getRemainingTimeInMillis() - Math.min(1_000, config.deadlineMarginMs / 2)));
  const random = deps.random ?? Math.random;
  const failures: SQSBatchItemFailure[] = [];
  metrics.count(NotifierMetric.events, records.length);

  const retryLater = async (record: SQSRecord) => {
    const delay = visibilityBackoffSeconds(receiveCount(record), { baseSeconds: config.backoffBaseSeconds, capSeconds: config.backoffCapSeconds, random });
    await actions.changeVisibility(record, delay);
    failures.push({ itemIdentifier: record.messageId });
  };

  const deadLetter = async (record: SQSRecord, code: string, reason: string, integration = "unknown"): Promise<void> => {
    try {
      await actions.sendToDlq(record.body, { code, message: reason, connector: "notifier", integration, attempt: receiveCount(record), envelopeId: undefined }, { messageId: record.messageId });
      metrics.count(NotifierMetric.deadLettered);
    } catch (error) {
      logger.error("could not dead-letter an alert event; it will be retried", { sqsMessageId: record.messageId, error });
      await retryLater(record);
    }
  };

  const plan = planBatch(records);
  for (const { record, reason } of plan.invalid) {
    logger.error("alert event is unreadable: sent to the notifier DLQ", { sqsMessageId: record.messageId, reason });
    metrics.count(NotifierMetric.invalid);
    await deadLetter(record, "MALFORMED_ALERT_EVENT", reason);
  }

  const resolve = async (fold: RecoveryFold): Promise<void> => {
    const open = await store.findAllOpen(fold.key, signal);
    const recoveredAt = Date.parse(fold.occurredAt);
    for (const alert of open) {
      // An alert last seen after this recovery is about a newer failure (events arrive out of order).
      const lastSeen = Date.parse(readAlertInfo(alert.attributes?.additionalInfo).lastSeenAt ?? "");
      if (!Number.isNaN(lastSeen) && lastSeen > recoveredAt) continue;
      await store.update(alert.id, { resolved: true }, signal);
      metrics.count(NotifierMetric.resolved);
    }
    metrics.count(NotifierMetric.superseded, fold.superseded);
  };

  const record = async (fold: FailureFold): Promise<void> => {
    const [open] = await store.findOpen(fold.key, signal);
    if (open) {
      await store.update(open.id, foldAlert(fold, readAlertInfo(open.attributes?.additionalInfo)), signal);
      metrics.count(NotifierMetric.updated);
      return;
    }
    const id = await store.create(fold.key, foldAlert(fold), signal);
    metrics.count(NotifierMetric.created);
    try {
      await mergeDuplicates(fold, id);
    } catch (error) {
      // The alert exists; retrying the fold would count its failures twice. A duplicate is the lesser harm.
      logger.warn("could not check for a concurrently created duplicate alert", { key: keyId(fold.key), error });
    }
  };

  /**
   * Two invocations (the stack allows two) may both find no open alert and both create one. After
   * a create, look again: if another open alert of the key exists, the oldest (then lowest id) is
   * kept; each invocation folds only its own newer alert into it and resolves its own, so both
   * sides agree without coordination. What stays possible: two folds into the keeper at the same
   * moment (read-modify-write of `count`), losing one count; the alert itself is never duplicated.
   */
  const mergeDuplicates = async (fold: FailureFold, mine: string): Promise<void> => {
    const open = await store.findOpen(fold.key, signal);
    if (open.length < 2) return;
    const keeper = [...open].sort(earliestCreated)[0] as StoredAlert;
    if (keeper.id === mine) return;
    await store.update(keeper.id, foldAlert(fold, readAlertInfo(keeper.attributes?.additionalInfo)), signal);
    await store.update(mine, { resolved: true, message: `Duplicate of alert ${keeper.id}, created at the same time by another notifier invocation; its occurrences were added there.` }, signal);
    metrics.count(NotifierMetric.duplicatesMerged);
    logger.info("merged a concurrently created duplicate alert", { keeper: keeper.id, duplicate: mine, key: keyId(fold.key) });
  };

  const run = async (work: () => Promise<void>): Promise<Outcome> => {
    if (!mayStart(remaining(), config.deadlineMarginMs)) return { kind: "skip" };
    try {
      await work();
      return { kind: "done" };
    } catch (error) {
      return { kind: "failed", error };
    }
  };

  const settle = async (outcome: Outcome, foldRecords: SQSRecord[], what: string, integration: string): Promise<void> => {
    if (outcome.kind === "done") return;
    // The runtime's rule (shared/runtime/disposition.ts); a fold's records share one fate, judged by the most-tried one.
    const error = outcome.kind === "failed" ? outcome.error : undefined;
    const disposition =
      outcome.kind === "skip"
        ? "release"
        : dispositionOf({ error, attempt: Math.max(...foldRecords.map(receiveCount)), maxReceiveCount: config.maxReceiveCount, deadlinePassed: signal.aborted, permanent: rejectedBody });
    if (disposition === "release") {
      for (const r of foldRecords) {
        await actions.changeVisibility(r, 0);
        failures.push({ itemIdentifier: r.messageId });
      }
      return;
    }
    if (disposition === "dead-letter") {
      logger.error(`Oro rejected the ${what}: events sent to the notifier DLQ`, { integration, events: foldRecords.length, code: errorCode(error), error: error });
      for (const r of foldRecords) await deadLetter(r, errorCode(error), describeError(error), integration);
      return;
    }
    const last = disposition === "retry-last";
    logger[last ? "error" : "warn"](
      last ? `could not write the ${what} on the last attempt: SQS moves the events to the notifier DLQ next; redrive them once Oro is reachable` : `could not write the ${what}: retrying later`,
      { integration, events: foldRecords.length, code: errorCode(error), error: error },
    );
    metrics.count(NotifierMetric.retried, foldRecords.length);
    for (const r of foldRecords) await retryLater(r);
  };

  // Keys in parallel (small), the folds of one key serially: recovery first, then newer failures.
  await mapWithConcurrency(plan.groups, config.keyConcurrency, async (group: KeyGroup) => {
    if (group.recovery) {
      const fold = group.recovery;
      await settle(await run(() => resolve(fold)), fold.records, "alert resolution", fold.key.sourceType);
    }
    for (const fold of group.failures) {
      await settle(await run(() => record(fold)), fold.records, "alert", fold.key.sourceType);
    }
  });

  if (failures.length > 0) logger.info("alert batch processed with failures", { records: records.length, failed: failures.length });
  return { batchItemFailures: failures };
};
