import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { FailureEvent, RecoveryEvent } from "../alerts";
import { ALERT_EVENT_VERSION } from "../alerts";
import type { Connector, ConnectorContext, ItemFailure, MessageSchemas, OutgoingMessage } from "../connector";
import { ConnectorError, errorCode, isPermanent } from "../errors";
import type { NormalizedMessage } from "../messages";
import type { OroClient } from "../oro";
import { type InvocationMetrics, redact, withKeys } from "../observability";
import { visibilityBackoffSeconds } from "./backoff";
import type { RuntimeConfig } from "./config";
import { mapWithConcurrency } from "./limit";
import { parseRecordBody } from "./parse-record";
import { DlqAttribute, type QueueActions } from "./queue-actions";

/** Metric names the runtime publishes (EMF), per invocation. */
export const RuntimeMetric = {
  ok: "RecordsOk",
  failed: "RecordsFailed",
  permanent: "RecordsPermanent",
  retried: "RecordsRetried",
  skipped: "RecordsSkipped",
  itemsFailed: "ItemsFailed",
  fullBatchFailure: "BatchFullyFailed",
} as const;

/** What happened to one record. `retry` and `skip` are reported in batchItemFailures. */
type Outcome = "ok" | "permanent" | "retry" | "skip";

export interface BatchDependencies<C, M extends MessageSchemas> {
  connector: Connector<C, M>;
  config: RuntimeConfig;
  actions: QueueActions;
  logger: PowertoolsLogger;
  metrics: InvocationMetrics;
  /** The integration type's client, created on first use. */
  client: () => C;
  /** The Oro API client, created on first use. */
  oro: () => OroClient;
  random?: () => number;
}

export interface InvocationTiming {
  getRemainingTimeInMillis(): number;
}

const dlqName = (url: string) => url.slice(url.lastIndexOf("/") + 1);
const receiveCount = (record: SQSRecord) => Number(record.attributes?.ApproximateReceiveCount ?? "1") || 1;
/** A message our runtime once put in the DLQ carries its reason; seeing it again means a redrive. */
const wasRedriven = (record: SQSRecord) => Boolean(record.messageAttributes?.[DlqAttribute.code]);

/**
 * Processes one SQS batch for one connector and returns the partial-batch response.
 *
 * Outcomes per record (ARCHITECTURE.md section 2):
 * - success: acknowledged; after an earlier failed attempt (or a redrive) a recovery event is sent;
 * - permanent error: failure event, then the body goes to the DLQ with the reason as attributes,
 *   then the record is acknowledged;
 * - transient error (and any unknown error): reported failed with its visibility raised by
 *   exponential backoff with full jitter; on the last attempt a failure event is sent first;
 * - not started before the deadline margin, or behind a failed record of its FIFO group:
 *   reported failed without counting as an error.
 * If the runtime's own SQS calls fail, the record is reported failed: nothing is lost.
 *
 * A batch in which every record failed is logged and counted (`BatchFullyFailed`) but does not
 * throw: a throw would make Lambda return the whole batch, including the records already moved
 * to the DLQ and acknowledged, which would then be processed (and dead-lettered) twice.
 */
export const processBatch = async <C, M extends MessageSchemas>(event: SQSEvent, timing: InvocationTiming, deps: BatchDependencies<C, M>): Promise<SQSBatchResponse> => {
  const { config, connector, actions, metrics } = deps;
  const records = event.Records ?? [];
  const deadlineAt = Date.now() + timing.getRemainingTimeInMillis();
  const remaining = () => deadlineAt - Date.now();
  // In-flight calls are aborted a little before the deadline so the runtime can still report.
  const abortBuffer = Math.min(1_000, config.deadlineMarginMs / 2);
  const signal = AbortSignal.timeout(Math.max(1, timing.getRemainingTimeInMillis() - abortBuffer));
  const owner = { integration: config.integration, connector: config.connector };
  const random = deps.random ?? Math.random;

  const failureEvent = (error: unknown, meta: NormalizedMessage | undefined, attempt: number, disposition: FailureEvent["disposition"], step?: string): FailureEvent => {
    const typed = error instanceof ConnectorError ? error : undefined;
    return {
      version: ALERT_EVENT_VERSION,
      kind: "failure",
      integration: config.integration,
      entity: connector.entity,
      operation: connector.direction,
      step: step ?? meta?.type ?? "receive",
      ...(typed?.itemId !== undefined ? { itemId: typed.itemId } : {}),
      ...(typed?.externalId !== undefined ? { externalId: typed.externalId } : {}),
      alertType: typed?.alertType ?? "sync",
      connector: connector.type,
      code: errorCode(error),
      message: redact(error instanceof Error ? error.message : String(error)),
      ...(meta ? { envelopeId: meta.id } : {}),
      attempts: attempt,
      disposition,
      dlq: dlqName(config.dlqUrl),
      occurredAt: new Date().toISOString(),
    };
  };

  /** Reports a record failed, to be retried after a backoff that grows with its attempts. */
  const retryLater = async (record: SQSRecord, attempt: number): Promise<{ outcome: Outcome; delay: number }> => {
    const delay = visibilityBackoffSeconds(attempt, { baseSeconds: config.backoffBaseSeconds, capSeconds: config.backoffCapSeconds, random });
    await actions.changeVisibility(record, delay);
    return { outcome: "retry", delay };
  };

  const processRecord = async (record: SQSRecord): Promise<Outcome> => {
    const attempt = receiveCount(record);
    if (remaining() < config.deadlineMarginMs) {
      await actions.changeVisibility(record, 0);
      return "skip";
    }
    const started = Date.now();
    const parsed = parseRecordBody(record.body, connector, owner);
    const meta = parsed.ok ? parsed.message.meta : parsed.meta;
    const log = withKeys(deps.logger, {
      envelopeId: meta?.id,
      correlationId: meta?.correlationId,
      messageType: meta?.type,
      connector: connector.type,
      integration: config.integration,
      sqsMessageId: record.messageId,
      attempt,
    });

    const dead = async (error: unknown): Promise<Outcome> => {
      try {
        await actions.emit([failureEvent(error, meta, attempt, "permanent")]);
        await actions.sendToDlq(
          record.body,
          { code: errorCode(error), message: error instanceof Error ? error.message : String(error), connector: connector.type, integration: config.integration, attempt, envelopeId: meta?.id },
          { messageId: record.messageId, ...(record.attributes?.MessageGroupId ? { groupId: record.attributes.MessageGroupId } : {}) },
        );
      } catch (sendError) {
        log.error("permanent failure could not be dead-lettered; the record will be retried", { error: sendError, reason: error });
        return (await retryLater(record, attempt)).outcome;
      }
      log.error("permanent failure: message sent to the DLQ", { code: errorCode(error), error });
      return "permanent";
    };

    if (!parsed.ok) return dead(parsed.error);

    const context: ConnectorContext<C, M> = {
      integration: config.integration,
      connector: connector.type,
      get client() {
        return deps.client();
      },
      get oro() {
        return deps.oro();
      },
      signal,
      remainingTimeMs: () => remaining() - config.deadlineMarginMs,
      logger: log,
      settings: config.settings,
      enqueue: (messages: OutgoingMessage<M>[]) => actions.enqueue(messages, parsed.message.meta.correlationId),
      failItems: async (failures: ItemFailure<M>[]) => {
        if (failures.length === 0) return;
        await actions.emit(failures.map((f) => failureEvent(f.error, meta, attempt, "permanent")));
        for (const failure of failures) {
          const body = failure.replay ? actions.replayBody(failure.replay, parsed.message.meta.correlationId) : record.body;
          await actions.sendToDlq(
            body,
            { code: failure.error.code, message: failure.error.message, connector: connector.type, integration: config.integration, attempt, envelopeId: failure.replay?.id ?? meta?.id },
            { messageId: `${record.messageId}:${failure.replay?.id ?? failure.error.externalId ?? ""}` },
          );
        }
        metrics.count(RuntimeMetric.itemsFailed, failures.length);
        log.warn("items failed for good and were sent to the DLQ", { count: failures.length, items: failures.slice(0, 10).map((f) => f.error.externalId ?? f.error.itemId) });
      },
      count: (metric, value) => metrics.count(metric, value),
    };

    try {
      await connector.handle(parsed.message, context);
    } catch (error) {
      metrics.duration(Date.now() - started);
      if (signal.aborted && !isPermanent(error)) {
        log.warn("stopped at the invocation deadline; the record will be retried", { error });
        await actions.changeVisibility(record, 0);
        return "skip";
      }
      if (isPermanent(error)) return dead(error);
      const last = attempt >= config.maxReceiveCount;
      if (last) {
        try {
          await actions.emit([failureEvent(error, meta, attempt, "exhausted")]);
        } catch (sendError) {
          log.error("could not send the failure event for the last attempt", { error: sendError });
        }
      }
      const { outcome, delay } = await retryLater(record, attempt);
      log.warn(last ? "transient failure on the last attempt: SQS moves the message to the DLQ next" : "transient failure: retrying later", {
        code: errorCode(error),
        retryInSeconds: delay,
        error,
      });
      return outcome;
    }
    metrics.duration(Date.now() - started);

    if (attempt > 1 || wasRedriven(record)) {
      const recovery: RecoveryEvent = {
        version: ALERT_EVENT_VERSION,
        kind: "recovery",
        integration: config.integration,
        entity: connector.entity,
        operation: connector.direction,
        step: parsed.message.meta.type,
        connector: connector.type,
        envelopeId: parsed.message.meta.id,
        attempts: attempt,
        occurredAt: new Date().toISOString(),
      };
      try {
        await actions.emit([recovery]);
      } catch (error) {
        // The work is done and idempotent; retrying it is cheaper than leaving an alert open.
        log.error("recovery event could not be sent; the record will be retried", { error });
        return (await retryLater(record, attempt)).outcome;
      }
      metrics.count(RuntimeMetric.retried);
    }
    log.debug("record processed", { durationMs: Date.now() - started });
    return "ok";
  };

  let outcomes: Outcome[];
  if (config.fifo) {
    outcomes = new Array<Outcome>(records.length);
    const groups = new Map<string, number[]>();
    records.forEach((record, index) => {
      const group = record.attributes?.MessageGroupId ?? "";
      const list = groups.get(group) ?? [];
      list.push(index);
      groups.set(group, list);
    });
    // Groups in parallel, records of a group in order; a failure holds back the rest of its group only.
    await mapWithConcurrency([...groups.values()], config.recordConcurrency, async (indexes) => {
      let blocked = false;
      for (const index of indexes) {
        if (blocked) {
          outcomes[index] = "skip";
          continue;
        }
        const outcome = await processRecord(records[index] as SQSRecord);
        outcomes[index] = outcome;
        if (outcome === "retry" || outcome === "skip") blocked = true;
      }
    });
  } else {
    outcomes = await mapWithConcurrency(records, config.recordConcurrency, processRecord);
  }

  const failures: SQSBatchItemFailure[] = [];
  const tally = { ok: 0, permanent: 0, retry: 0, skip: 0 };
  outcomes.forEach((outcome, index) => {
    tally[outcome]++;
    if (outcome === "retry" || outcome === "skip") failures.push({ itemIdentifier: (records[index] as SQSRecord).messageId });
  });
  metrics.count(RuntimeMetric.ok, tally.ok);
  metrics.count(RuntimeMetric.failed, tally.retry);
  metrics.count(RuntimeMetric.permanent, tally.permanent);
  metrics.count(RuntimeMetric.skipped, tally.skip);
  if (records.length > 0 && tally.retry === records.length) {
    metrics.count(RuntimeMetric.fullBatchFailure);
    deps.logger.error("every record of the batch failed", { connector: connector.type, integration: config.integration, records: records.length });
  }
  if (tally.retry + tally.permanent + tally.skip > 0) {
    deps.logger.info("batch processed", { connector: connector.type, integration: config.integration, ...tally });
  }
  return { batchItemFailures: failures };
};
