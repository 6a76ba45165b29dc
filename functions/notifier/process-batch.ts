import { randomUUID } from "node:crypto";
import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { SQSEvent, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { describeError, errorCode } from "../../shared/errors";
import type { InvocationMetrics } from "../../shared/observability";
import { OroValidationError } from "../../shared/oro";
import { type InvocationTiming, processRecordGroups, type QueueActions } from "../../shared/runtime";
import type { AlertKeyLeases } from "./alert-lease";
import type { AlertStore, StoredAlert } from "./alert-store";
import { type AlertInfo, foldAlert, readAlertInfo } from "./alert-text";
import type { NotifierConfig } from "./config";
import { type FailureFold, type RecoveryFold, planBatch } from "./plan";

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
  /** Lease attempts of this invocation that found their key held by another invocation (a fold that waited 3 times counts 3). */
  keyWaits: "AlertKeyWaits",
} as const;

/** What the batch processor needs; built once per container by the handler. */
export interface NotifierDependencies {
  config: NotifierConfig;
  store: AlertStore;
  /** One writer per alert key across invocations (alert-lease.ts). */
  keys: AlertKeyLeases;
  actions: Pick<QueueActions, "changeVisibility" | "sendToDlq">;
  logger: PowertoolsLogger;
  metrics: InvocationMetrics;
  random?: () => number;
}

/** One write of a batch: a key's recoveries, or the failures of one full alert key. */
type Fold = { kind: "recovery"; fold: RecoveryFold } | { kind: "failure"; fold: FailureFold };

/** Oro rejecting our body (400) is the notifier's only permanent error: the rest (5xx, 429, auth, permissions) is retried until Oro is fixed. */
const rejectedBody = (error: unknown) => error instanceof OroValidationError;
const what = (fold: Fold) => (fold.kind === "recovery" ? "alert resolution" : "alert");
/** The same failures folded the same way: a 409 on a retried POST whose first attempt was stored. */
const sameFold = (alert: StoredAlert, info: AlertInfo) => {
  const stored = readAlertInfo(alert.attributes?.additionalInfo);
  return stored.count === info.count && stored.firstSeenAt === info.firstSeenAt && stored.lastSeenAt === info.lastSeenAt;
};

/**
 * Processes one batch of the alerts queue on the connectors' batch engine
 * (shared/runtime/process-batch.ts `processRecordGroups`) and returns the partial-batch response.
 *
 * - Unreadable events are permanent: each goes to the notifier's DLQ with the reason as message
 *   attributes and is acknowledged (never retried, never failing the batch).
 * - The rest is grouped by alert key ({@link planBatch}); each key costs one look-up and one
 *   write whatever the number of events (1,000 failures of one kind = one alert, count 1,000),
 *   done under the key's lease (alert-lease.ts), so no two invocations write one key at once.
 * - Oro unreachable, 5xx, 429, auth or configuration problems: the records of that fold are
 *   reported failed with backoff; after maxReceiveCount SQS moves them to the DLQ (alarmed), and a
 *   redrive later writes the alerts. Oro rejecting our body (400) is permanent: DLQ with the reason.
 */
export const processNotifierBatch = async (event: SQSEvent, timing: InvocationTiming, deps: NotifierDependencies): Promise<SQSBatchResponse> => {
  const { config, store, keys, metrics, logger } = deps;
  const records = event.Records ?? [];
  metrics.count(NotifierMetric.events, records.length);

  const plan = planBatch(records);
  for (const { record, reason } of plan.invalid) {
    logger.error("alert event is unreadable: sent to the notifier DLQ", { sqsMessageId: record.messageId, reason });
    metrics.count(NotifierMetric.invalid);
  }

  /** Resolves what failed up to the recovery; a new generation when it resolved anything. */
  const resolve = async (fold: RecoveryFold, signal: AbortSignal): Promise<string | undefined> => {
    const open = await store.findAllOpen(fold.key, signal);
    const recoveredAt = Date.parse(fold.occurredAt);
    let resolved = 0;
    for (const alert of open) {
      // An alert last seen after this recovery is about a newer failure (events arrive out of order).
      const lastSeen = Date.parse(readAlertInfo(alert.attributes?.additionalInfo).lastSeenAt ?? "");
      if (!Number.isNaN(lastSeen) && lastSeen > recoveredAt) continue;
      await store.update(alert.id, { resolved: true }, signal);
      metrics.count(NotifierMetric.resolved);
      resolved += 1;
    }
    metrics.count(NotifierMetric.superseded, fold.superseded);
    return resolved > 0 ? randomUUID() : undefined;
  };

  /** Folds the failures into the key's open alert, or creates it; a new generation when this one was spent. */
  const record = async (fold: FailureFold, generation: string, signal: AbortSignal): Promise<string | undefined> => {
    const [open] = await store.findOpen(fold.key, signal);
    if (open) {
      await store.update(open.id, foldAlert(fold, readAlertInfo(open.attributes?.additionalInfo)), signal);
      metrics.count(NotifierMetric.updated);
      return undefined;
    }
    const fields = foldAlert(fold);
    const id = store.idOf(fold.key, generation);
    if ((await store.createWithId(id, fold.key, fields, signal)) === "created") {
      metrics.count(NotifierMetric.created);
      return undefined;
    }
    // The generation's id exists although no open alert matched: our own retried POST, a create cut
    // off when a lease ran out and stored since, or that alert was resolved in Oro by hand.
    const existing = await store.get(id, signal);
    if (existing?.attributes && !existing.attributes.resolved) {
      if (sameFold(existing, fields.additionalInfo)) {
        metrics.count(NotifierMetric.created);
      } else {
        await store.update(existing.id, foldAlert(fold, readAlertInfo(existing.attributes.additionalInfo)), signal);
        metrics.count(NotifierMetric.updated);
      }
      return undefined;
    }
    // Resolved (or gone): this generation is spent; the new alert opens the next one.
    const next = randomUUID();
    await store.createWithId(store.idOf(fold.key, next), fold.key, fields, signal);
    metrics.count(NotifierMetric.created);
    return next;
  };

  const waitsBefore = keys.waits;
  const response = await processRecordGroups<Fold>(
    timing,
    { settings: config, actions: deps.actions, ...(deps.random ? { random: deps.random } : {}) },
    {
      rejected: plan.invalid.map(({ record, reason }) => ({
        record,
        reason: { code: "MALFORMED_ALERT_EVENT", message: reason, connector: "notifier", integration: "unknown", envelopeId: undefined },
      })),
      // Keys in parallel (small), the folds of one key serially: recovery first, then newer failures.
      lanes: plan.groups.map((group) => [
        ...(group.recovery ? [{ kind: "recovery", fold: group.recovery } as const] : []),
        ...group.failures.map((fold) => ({ kind: "failure", fold }) as const),
      ]),
      concurrency: config.keyConcurrency,
      recordsOf: (fold) => fold.fold.records,
      handle: (fold, invocation) =>
        keys.run(fold.fold.key, invocation, async (generation) => ({
          result: undefined,
          newGeneration: fold.kind === "recovery" ? await resolve(fold.fold, invocation.signal) : await record(fold.fold, generation, invocation.signal),
        })),
      permanent: rejectedBody,
      reasonOf: (fold, error) => ({
        code: errorCode(error),
        message: describeError(error),
        connector: "notifier",
        integration: fold.fold.key.sourceType,
        envelopeId: undefined,
      }),
      onFailed: (fold, disposition, error) => {
        const context = { integration: fold.fold.key.sourceType, events: fold.fold.records.length, code: errorCode(error), error };
        if (disposition === "release") return;
        if (disposition === "dead-letter") {
          logger.error(`Oro rejected the ${what(fold)}: events sent to the notifier DLQ`, context);
          return;
        }
        const last = disposition === "retry-last";
        logger[last ? "error" : "warn"](
          last
            ? `could not write the ${what(fold)} on the last attempt: SQS moves the events to the notifier DLQ next; redrive them once Oro is reachable`
            : `could not write the ${what(fold)}: retrying later`,
          context,
        );
        metrics.count(NotifierMetric.retried, fold.fold.records.length);
      },
      onDeadLettered: () => metrics.count(NotifierMetric.deadLettered),
      onDeadLetterFailed: (record: SQSRecord, error) =>
        logger.error("could not dead-letter an alert event; it will be retried", { sqsMessageId: record.messageId, error }),
    },
  );
  metrics.count(NotifierMetric.keyWaits, keys.waits - waitsBefore);

  if (response.batchItemFailures.length > 0)
    logger.info("alert batch processed with failures", { records: records.length, failed: response.batchItemFailures.length });
  return response;
};
