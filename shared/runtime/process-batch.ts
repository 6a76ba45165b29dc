import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { FailureEvent, RecoveryEvent } from "../alerts";
import { ALERT_EVENT_VERSION } from "../alerts";
import type { Connector, ConnectorContext, ConnectorMessage, ItemFailure, Logger, MessageSchemas, OutgoingMessage } from "../connector";
import { ChainTooLongError, ConnectorError, errorCode } from "../errors";
import type { NormalizedMessage } from "../messages";
import { type InvocationMetrics, redact, withKeys } from "../observability";
import type { OroClient } from "../oro";
import { visibilityBackoffSeconds } from "./backoff";
import { maxChainHops, type RuntimeConfig } from "./config";
import { type Disposition, dispositionOf, mayStart } from "./disposition";
import { mapWithConcurrency } from "./limit";
import { parseRecordBody } from "./parse-record";
import { type SealKeySource, verifySeal } from "./attribute-seal";
import { DlqAttribute, type DlqReason, type QueueActions } from "./queue-actions";
import { RecordTally, type RunTracker } from "./run-tracking";

/** Metric names the runtime publishes (EMF), per invocation. */
export const RuntimeMetric = {
  ok: "RecordsOk",
  failed: "RecordsFailed",
  permanent: "RecordsPermanent",
  retried: "RecordsRetried",
  skipped: "RecordsSkipped",
  itemsFailed: "ItemsFailed",
  fullBatchFailure: "BatchFullyFailed",
  /** A run ledger write failed: the record went on, the ledger may show that run as running (docs/ledger.md). */
  ledgerErrors: "LedgerErrors",
} as const;

/** What happened to one record. `retry` and `skip` are reported in batchItemFailures. */
type Outcome = "ok" | "permanent" | "retry" | "skip";

export interface BatchDependencies<C, M extends MessageSchemas> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- settings and prepared state are the connector's business
  connector: Connector<C, M, any, any>;
  /** `config.settings` parsed by the connector's settings schema (parseConnectorSettings). */
  config: RuntimeConfig;
  /** What the connector's `prepare` built from its settings (undefined without one). */
  prepared?: unknown;
  actions: QueueActions;
  logger: PowertoolsLogger;
  metrics: InvocationMetrics;
  /** The integration type's client, created on first use. */
  client: () => C;
  /** The Oro API client, created on first use. */
  oro: () => OroClient;
  /** Key of the DLQ attribute seal (attribute-seal.ts); without it no redrive is trusted. */
  sealKey?: SealKeySource;
  /** The run ledger of this function (undefined: off). */
  runs?: RunTracker;
  random?: () => number;
  /**
   * Whether `logger` writes DEBUG lines, when the caller knows it for good (createConnectorHandler,
   * once per container: docs/architecture.md "A record pays only for what is on"). @default
   * `logger.level`, read per invocation
   */
  debug?: boolean;
}

export interface InvocationTiming {
  getRemainingTimeInMillis(): number;
}

/** Powertools' numeric threshold of the DEBUG level. */
const DEBUG_LEVEL = 8;
/** Whether a Powertools logger writes DEBUG lines now (its `level` getter reads the environment each time). */
export const writesDebug = (logger: PowertoolsLogger): boolean => logger.level <= DEBUG_LEVEL;

const dlqName = (url: string) => url.slice(url.lastIndexOf("/") + 1);
const receiveCount = (record: SQSRecord) => {
  const count = record.attributes?.ApproximateReceiveCount;
  // "1" (a first receive, nearly every record) without the string-to-number conversion.
  return count === "1" ? 1 : Number(count ?? "1") || 1;
};
/** The reason attributes a message claims: from our DLQ, or forged by another sender until the seal says otherwise. */
const claimsRedrive = (record: SQSRecord) => record.messageAttributes?.[DlqAttribute.code] !== undefined;
const itemOf = (record: SQSRecord): { externalId?: string; itemId?: number } => {
  const externalId = record.messageAttributes?.[DlqAttribute.externalId]?.stringValue;
  const itemId = Number(record.messageAttributes?.[DlqAttribute.itemId]?.stringValue);
  return { ...(externalId ? { externalId } : {}), ...(Number.isInteger(itemId) ? { itemId } : {}) };
};
const itemFields = (error: unknown): { externalId?: string; itemId?: number } =>
  error instanceof ConnectorError
    ? { ...(error.externalId !== undefined ? { externalId: error.externalId } : {}), ...(error.itemId !== undefined ? { itemId: error.itemId } : {}) }
    : {};
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Processes one SQS batch for one connector and returns the partial-batch response.
 *
 * Outcomes per record (docs/reference/design.md §2):
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
export const processBatch = <C, M extends MessageSchemas>(
  event: SQSEvent,
  timing: InvocationTiming,
  deps: BatchDependencies<C, M>,
): Promise<SQSBatchResponse> => {
  // Not an async function around run(): that would be one more promise and await per invocation
  // (bench:runtime). A throw while setting up is a rejection all the same, as an async function's.
  let run: BatchRun<C, M>;
  let records: SQSRecord[];
  try {
    run = new BatchRun(deps, timing);
    records = event.Records ?? [];
  } catch (error) {
    return Promise.reject(error);
  }
  return run.run(records);
};

/** The knobs of the engine every consumer shares (the connector runtime's RuntimeConfig has them; so has the notifier's config). */
export type EngineSettings = Pick<RuntimeConfig, "maxReceiveCount" | "backoffBaseSeconds" | "backoffCapSeconds" | "deadlineMarginMs">;

/**
 * The engine of one invocation, the same for connectors and grouped consumers: its deadline,
 * its abort signal, whether work may start, and how a record is given back (at once, or after a
 * backoff that grows with its attempts).
 */
class InvocationRun {
  readonly deadlineAt: number;
  private abortSignal: AbortSignal | undefined;
  readonly random: () => number;

  constructor(
    readonly engine: EngineSettings,
    readonly queue: Pick<QueueActions, "changeVisibility">,
    timing: InvocationTiming,
    random: (() => number) | undefined,
  ) {
    this.deadlineAt = Date.now() + timing.getRemainingTimeInMillis();
    this.random = random ?? Math.random;
  }

  remaining(): number {
    return this.deadlineAt - Date.now();
  }

  /** Whether new work may start: below the deadline margin it is given back unstarted. */
  mayStart(now = Date.now()): boolean {
    return mayStart(this.deadlineAt - now, this.engine.deadlineMarginMs);
  }

  /**
   * Aborts a little before the deadline, so in-flight calls stop while the runtime can still
   * report. Made on first use: a connector that makes no call needs no timer.
   */
  get signal(): AbortSignal {
    return (this.abortSignal ??= AbortSignal.timeout(Math.max(1, this.remaining() - Math.min(1_000, this.engine.deadlineMarginMs / 2))));
  }

  /** True once the deadline signal fired (false when nobody asked for it). */
  get aborted(): boolean {
    return this.abortSignal?.aborted ?? false;
  }

  /** The rule of disposition.ts for this invocation. */
  dispositionOf(error: unknown, attempt: number, permanent?: (error: unknown) => boolean): Disposition {
    return dispositionOf({ error, attempt, maxReceiveCount: this.engine.maxReceiveCount, deadlinePassed: this.aborted, ...(permanent ? { permanent } : {}) });
  }

  /** Gives a record back at once (not started, or stopped by the deadline): no backoff. */
  async release(record: SQSRecord): Promise<"skip"> {
    await this.queue.changeVisibility(record, 0);
    return "skip";
  }

  /** Reports a record failed, to be retried after a backoff that grows with its attempts. */
  async retryLater(record: SQSRecord, attempt: number): Promise<"retry"> {
    const { backoffBaseSeconds, backoffCapSeconds } = this.engine;
    await this.queue.changeVisibility(
      record,
      visibilityBackoffSeconds(attempt, { baseSeconds: backoffBaseSeconds, capSeconds: backoffCapSeconds, random: this.random }),
    );
    return "retry";
  }
}

/** The state of one invocation, shared by its records (one object, not closures per record). */
class BatchRun<C, M extends MessageSchemas> extends InvocationRun {
  readonly debug: boolean;

  constructor(
    readonly deps: BatchDependencies<C, M>,
    timing: InvocationTiming,
  ) {
    super(deps.config, deps.actions, timing, deps.random);
    this.debug = deps.debug ?? writesDebug(deps.logger);
  }

  async run(records: SQSRecord[]): Promise<SQSBatchResponse> {
    const { config, metrics, logger, connector } = this.deps;
    const outcomes = config.fifo
      ? await this.runFifo(records)
      : records.length <= config.recordConcurrency
        ? await this.runAll(records)
        : await mapWithConcurrency(records, config.recordConcurrency, (record) => this.processRecord(record));

    const failures: SQSBatchItemFailure[] = [];
    const tally = { ok: 0, permanent: 0, retry: 0, skip: 0 };
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i] as Outcome;
      tally[outcome]++;
      if (outcome === "retry" || outcome === "skip") failures.push({ itemIdentifier: (records[i] as SQSRecord).messageId });
    }
    if (this.deps.runs) await this.settleLastAttempts(this.deps.runs, records, outcomes);
    metrics.count(RuntimeMetric.ok, tally.ok);
    metrics.count(RuntimeMetric.failed, tally.retry);
    metrics.count(RuntimeMetric.permanent, tally.permanent);
    metrics.count(RuntimeMetric.skipped, tally.skip);
    if (records.length > 0 && tally.retry === records.length) {
      metrics.count(RuntimeMetric.fullBatchFailure);
      logger.error("every record of the batch failed", { connector: connector.type, integration: config.integration, records: records.length });
    }
    if (tally.ok !== records.length) logger.info("batch processed", { connector: connector.type, integration: config.integration, ...tally });
    return { batchItemFailures: failures };
  }

  /**
   * A record reported failed on its last receive (a transient failure, the deadline, its FIFO group
   * held back) is moved to the DLQ by SQS's redrive policy, not by us: this is the last moment the
   * ledger can learn that its unit is dead-lettered.
   */
  private async settleLastAttempts(runs: RunTracker, records: SQSRecord[], outcomes: Outcome[]): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as SQSRecord;
      if ((outcomes[i] !== "retry" && outcomes[i] !== "skip") || receiveCount(record) < this.deps.config.maxReceiveCount) continue;
      const known = this.lastErrors?.get(record);
      const meta = known?.meta ?? this.metaOf(record);
      if (!meta) continue;
      const error =
        known?.error ??
        `not processed on its last receive (attempt ${receiveCount(record)} of ${this.deps.config.maxReceiveCount}: the invocation's deadline, or its FIFO group held back)`;
      await this.ledger(runs, (r) =>
        r.settle(meta, "dead", known?.tally ?? new RecordTally(), `moved to the DLQ by SQS after attempt ${receiveCount(record)}: ${error}`),
      );
    }
  }

  private metaOf(record: SQSRecord): NormalizedMessage | undefined {
    const parsed = parseRecordBody(record.body, this.deps.connector, this.deps.config);
    return parsed.ok ? parsed.message.meta : undefined;
  }

  /**
   * Runs a ledger call; a failure is logged and counted, never the record's failure (docs/ledger.md
   * "When DynamoDB fails"). Callers check `deps.runs` first: without a ledger a record pays no
   * closure, promise or await for it (bench:runtime, docs/architecture.md "Per-invocation cost").
   */
  async ledger(runs: RunTracker, call: (runs: RunTracker) => Promise<unknown>): Promise<void> {
    try {
      await call(runs);
    } catch (error) {
      this.deps.metrics.count(RuntimeMetric.ledgerErrors);
      this.deps.logger.error("run ledger write failed; the record goes on, the run may stay shown as running", { error: redact(messageOf(error)) });
    }
  }

  /** Last-attempt failures by record, for the ledger's dead-lettering after the batch (made on the first one). */
  private lastErrors: Map<SQSRecord, { meta: NormalizedMessage; error: string; tally: RecordTally }> | undefined;

  /** Groups in parallel, records of a group in order; a failure holds back the rest of its group only. */
  private async runFifo(records: SQSRecord[]): Promise<Outcome[]> {
    const outcomes = new Array<Outcome>(records.length);
    const groups = new Map<string, number[]>();
    records.forEach((record, index) => {
      const group = record.attributes?.MessageGroupId ?? "";
      const list = groups.get(group);
      if (list) list.push(index);
      else groups.set(group, [index]);
    });
    await mapWithConcurrency([...groups.values()], this.deps.config.recordConcurrency, async (indexes) => {
      let blocked = false;
      for (const index of indexes) {
        if (blocked) {
          outcomes[index] = "skip";
          continue;
        }
        const outcome = await this.processRecord(records[index] as SQSRecord);
        outcomes[index] = outcome;
        // A dead-lettered (acknowledged) record is done, so its group goes on.
        if (outcome === "retry" || outcome === "skip") blocked = true;
      }
    });
    return outcomes;
  }

  /**
   * One record, start to outcome. A record whose processing throws where nothing should (a runtime
   * bug, a body no check foresaw) fails alone and is retried: a throw out of the batch would fail
   * the whole batch, and Lambda would hand back records already dead-lettered and acknowledged.
   * The guard and the work are one async function (every promise the body returns is awaited
   * inside the try): an async wrapper around the work would cost a promise per record (bench:runtime).
   * Every return goes through `done`, which stores the outcome in `slot` of the batch's join
   * (runAll; -1: none, the caller awaits the promise): a return without it would leave the batch
   * waiting.
   */
  async processRecord(record: SQSRecord, slot = -1): Promise<Outcome> {
    try {
      const { config, connector, actions, metrics } = this.deps;
      const attempt = receiveCount(record);
      const started = Date.now();
      if (!this.mayStart(started)) return this.done(slot, await this.release(record));
      const parsed = parseRecordBody(record.body, connector, config);
      if (!parsed.ok)
        return this.done(slot, await this.deadLetter(record, parsed.error, parsed.meta, attempt, this.recordLogger(record, parsed.meta, attempt)));
      const maxHops = maxChainHops(config.settings);
      if (parsed.message.meta.hop > maxHops) {
        const meta = parsed.message.meta;
        const error = new ChainTooLongError(
          `message ${meta.id} is hop ${meta.hop} of a chain of ${meta.type} messages (correlationId ${meta.correlationId}), past this connector's cap of ${maxHops} hops: a connector that keeps handing over to its own queue is looping; fix it, or raise settings.maxChainHops for a window this large, then redrive`,
        );
        return this.done(slot, await this.deadLetter(record, error, meta, attempt, this.recordLogger(record, meta, attempt)));
      }

      const runs = this.deps.runs;
      const context = new RecordContext(this, record, parsed.message, attempt, runs ? new RecordTally() : undefined);
      // A message of hop 0 may start a run; later hops were opened by the message that enqueued them.
      if (runs && parsed.message.meta.hop === 0) await this.ledger(runs, (r) => r.open(parsed.message.meta));
      try {
        await connector.handle(parsed.message, context);
      } catch (error) {
        metrics.duration(Date.now() - started);
        return this.done(slot, await this.handleFailure(record, error, parsed.message.meta, attempt, context.logger, context.tally));
      }
      metrics.duration(Date.now() - started);

      const redriven = claimsRedrive(record) && (await this.trustsRedrive(record, context));
      if (attempt > 1 || redriven) {
        const meta = parsed.message.meta;
        const recovery: RecoveryEvent = {
          version: ALERT_EVENT_VERSION,
          kind: "recovery",
          integration: config.integration,
          entity: connector.entity,
          operation: connector.direction,
          step: meta.type,
          connector: connector.type,
          envelopeId: meta.id,
          // A redriven item replay names its item, so the item's own alert is the one resolved
          // (only when the seal proves our runtime or the ops CLI wrote the attributes).
          ...(redriven ? itemOf(record) : {}),
          attempts: attempt,
          occurredAt: new Date().toISOString(),
        };
        try {
          await actions.emit([recovery]);
        } catch (error) {
          // The work is done and idempotent; retrying it is cheaper than leaving an alert open.
          context.logger.error("recovery event could not be sent; the record will be retried", { error });
          return this.done(slot, await this.retryLater(record, attempt));
        }
        metrics.count(RuntimeMetric.retried);
      }
      if (runs) await this.ledger(runs, (r) => r.settle(parsed.message.meta, "done", context.tally ?? new RecordTally(), undefined, context.window));
      if (this.debug) context.logger.debug("record processed", { durationMs: Date.now() - started });
      return this.done(slot, "ok");
    } catch (error) {
      try {
        this.recordLogger(record, undefined, receiveCount(record)).error("unexpected error while processing the record; it will be retried", { error });
      } catch {
        // Logging must not turn one record's failure into the batch's.
      }
      return this.done(slot, await this.retryAfterUnexpected(record));
    }
  }

  /** Retried with backoff; whatever fails on the way, the answer is "retry" (processRecord never rejects). */
  private async retryAfterUnexpected(record: SQSRecord): Promise<Outcome> {
    try {
      return await this.retryLater(record, receiveCount(record));
    } catch {
      return "retry";
    }
  }

  /** The outcomes of the records started at once (runAll); each record stores its own. */
  private join: { outcomes: Outcome[]; left: number; resolve: (outcomes: Outcome[]) => void } | undefined;

  /**
   * Every record at once (the batch is within the record concurrency). Each record stores its
   * outcome in its slot as it returns (processRecord's `done`), and the last one resolves the
   * batch: Promise.all would add a closure, a reaction and a promise per record (bench:runtime).
   */
  private runAll(records: SQSRecord[]): Promise<Outcome[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.join = { outcomes: new Array<Outcome>(records.length), left: records.length, resolve };
      // processRecord never rejects (its guard answers every throw), so its promise is not needed.
      for (let i = 0; i < records.length; i++) void this.processRecord(records[i] as SQSRecord, i);
    });
  }

  /** A record's outcome, stored in its slot of the join when it has one (slot >= 0). */
  private done(slot: number, outcome: Outcome): Outcome {
    const join = this.join;
    if (slot >= 0 && join) {
      join.outcomes[slot] = outcome;
      if (--join.left === 0) join.resolve(join.outcomes);
    }
    return outcome;
  }

  /**
   * Whether the reason attributes were written by this runtime or the ops CLI: their seal verifies
   * under the connector's key. Forged ones (any sender can set attributes) are ignored and logged.
   */
  private async trustsRedrive(record: SQSRecord, context: RecordContext<C, M>): Promise<boolean> {
    const key = await this.deps.sealKey?.().catch(() => undefined);
    const read = (name: string) => record.messageAttributes?.[name]?.stringValue;
    if (key && verifySeal(key, read, record.body, read(DlqAttribute.seal))) return true;
    context.logger.warn("message carries DLQ reason attributes without a valid seal: not treated as a redrive (no recovery event)", {
      code: read(DlqAttribute.code)?.slice(0, 64),
    });
    return false;
  }

  private async handleFailure(
    record: SQSRecord,
    error: unknown,
    meta: NormalizedMessage,
    attempt: number,
    log: Logger,
    tally: RecordTally | undefined,
  ): Promise<Outcome> {
    const { config, actions } = this.deps;
    const disposition = this.dispositionOf(error, attempt);
    if (disposition === "release") {
      log.warn("stopped at the invocation deadline; the record will be retried", { error });
      return this.release(record);
    }
    if (disposition === "dead-letter") return this.deadLetter(record, error, meta, attempt, log, tally);
    if (this.deps.runs && attempt >= config.maxReceiveCount)
      (this.lastErrors ??= new Map()).set(record, { meta, error: `${errorCode(error)}: ${redact(messageOf(error))}`, tally: tally ?? new RecordTally() });
    const last = disposition === "retry-last";
    if (last) {
      try {
        await actions.emit([this.failureEvent(error, meta, attempt, "exhausted")]);
      } catch (sendError) {
        log.error("could not send the failure event for the last attempt", { error: sendError });
      }
    }
    const outcome = await this.retryLater(record, attempt);
    log.warn(last ? "transient failure on the last attempt: SQS moves the message to the DLQ next" : "transient failure: retrying later", {
      code: errorCode(error),
      error,
    });
    return outcome;
  }

  /** Failure event, then the body to the DLQ with the reason, then acknowledge. */
  private async deadLetter(
    record: SQSRecord,
    error: unknown,
    meta: NormalizedMessage | undefined,
    attempt: number,
    log: Logger,
    tally?: RecordTally,
  ): Promise<Outcome> {
    const { config, connector, actions } = this.deps;
    try {
      await actions.emit([this.failureEvent(error, meta, attempt, "permanent")]);
      await actions.sendToDlq(
        record.body,
        {
          code: errorCode(error),
          message: messageOf(error),
          connector: connector.type,
          integration: config.integration,
          attempt,
          envelopeId: meta?.id,
          ...itemFields(error),
        },
        { messageId: record.messageId, ...(record.attributes?.MessageGroupId ? { groupId: record.attributes.MessageGroupId } : {}) },
      );
    } catch (sendError) {
      log.error("permanent failure could not be dead-lettered; the record will be retried", { error: sendError, reason: error });
      return this.retryLater(record, attempt);
    }
    log.error("permanent failure: message sent to the DLQ", { code: errorCode(error), error });
    const runs = this.deps.runs;
    if (runs && meta) await this.ledger(runs, (r) => r.settle(meta, "dead", tally ?? new RecordTally(), `${errorCode(error)}: ${redact(messageOf(error))}`));
    return "permanent";
  }

  failureEvent(error: unknown, meta: NormalizedMessage | undefined, attempt: number, disposition: FailureEvent["disposition"]): FailureEvent {
    const { config, connector } = this.deps;
    const typed = error instanceof ConnectorError ? error : undefined;
    return {
      version: ALERT_EVENT_VERSION,
      kind: "failure",
      integration: config.integration,
      entity: connector.entity,
      operation: connector.direction,
      step: meta?.type ?? "receive",
      ...(typed?.itemId !== undefined ? { itemId: typed.itemId } : {}),
      ...(typed?.externalId !== undefined ? { externalId: typed.externalId } : {}),
      alertType: typed?.alertType ?? "sync",
      connector: connector.type,
      code: errorCode(error),
      message: redact(messageOf(error)),
      ...(meta ? { envelopeId: meta.id } : {}),
      attempts: attempt,
      disposition,
      dlq: dlqName(config.dlqUrl),
      occurredAt: new Date().toISOString(),
    };
  }

  /** A logger whose lines carry the record's correlation keys. */
  recordLogger(record: SQSRecord, meta: NormalizedMessage | undefined, attempt: number): Logger {
    return withKeys(this.deps.logger, {
      envelopeId: meta?.id,
      correlationId: meta?.correlationId,
      messageType: meta?.type,
      connector: this.deps.connector.type,
      integration: this.deps.config.integration,
      sqsMessageId: record.messageId,
      attempt,
    });
  }
}

/** What a connector sees for one record; methods live on the prototype, the logger is made on first use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed by the connector's own ConnectorContext
class RecordContext<C, M extends MessageSchemas> implements ConnectorContext<C, M, any, any> {
  private log: Logger | undefined;
  /** The window the connector said this message syncs. */
  window: { from: string; to: string } | undefined;

  constructor(
    private readonly batch: BatchRun<C, M>,
    private readonly record: SQSRecord,
    private readonly message: ConnectorMessage<M>,
    private readonly attempt: number,
    /** What this message counted, for the run ledger (undefined without one: nothing to count for). */
    readonly tally: RecordTally | undefined,
  ) {}

  get integration(): string {
    return this.batch.deps.config.integration;
  }
  get connector(): string {
    return this.batch.deps.connector.type;
  }
  get client(): C {
    return this.batch.deps.client();
  }
  get oro(): OroClient {
    return this.batch.deps.oro();
  }
  get signal(): AbortSignal {
    return this.batch.signal;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed by the connector's schema at init
  get settings(): any {
    return this.batch.deps.config.settings;
  }
  get prepared(): unknown {
    return this.batch.deps.prepared;
  }
  get logger(): Logger {
    return (this.log ??= this.batch.recordLogger(this.record, this.message.meta, this.attempt));
  }

  remainingTimeMs(): number {
    return this.batch.remaining() - this.batch.deps.config.deadlineMarginMs;
  }

  async enqueue(messages: OutgoingMessage<M>[]): Promise<void> {
    // One hop further down the chain: the runtime's cap (maxChainHops) stops a chain that never ends.
    await this.batch.deps.actions.enqueue(messages, this.message.meta.correlationId, this.message.meta.hop + 1);
    // Registered when this message settles, before it (so the run cannot look finished in between); a failed send registers nothing.
    if (this.tally) for (const m of messages) this.tally.children.push({ id: m.id, type: m.type });
  }

  describeRun(window: { from: Date | string; to: Date | string }): void {
    const iso = (t: Date | string) => (t instanceof Date ? t.toISOString() : t);
    this.window = { from: iso(window.from), to: iso(window.to) };
  }

  async failItems(failures: ItemFailure<M>[]): Promise<void> {
    if (failures.length === 0) return;
    const { actions, config, connector, metrics } = this.batch.deps;
    const meta = this.message.meta;
    // An item with its own replay is alerted under the replay's step (its message type): the replay's
    // recovery event carries that step, so a redrive that lands it resolves this alert (the alert key
    // includes the step, docs/alert-contract.md section 6).
    await actions.emit(failures.map((f) => this.batch.failureEvent(f.error, f.replay ? { ...meta, type: f.replay.type } : meta, this.attempt, "permanent")));
    /** Replays the ledger tracks as dead-lettered units of this run (a redrive that succeeds settles them). */
    const replays: { id: string; type: string; error: string }[] = [];
    for (const failure of failures) {
      let body = this.record.body;
      try {
        if (failure.replay) {
          body = actions.replayBody(failure.replay, meta.correlationId);
          replays.push({ id: failure.replay.id, type: failure.replay.type, error: `${failure.error.code}: ${redact(failure.error.message)}` });
        }
      } catch {
        // An item too deeply nested to serialise again (RangeError): the whole message is its replay.
      }
      await actions.sendToDlq(
        body,
        {
          code: failure.error.code,
          message: failure.error.message,
          connector: connector.type,
          integration: config.integration,
          attempt: this.attempt,
          envelopeId: failure.replay?.id ?? meta.id,
          ...itemFields(failure.error),
        },
        { messageId: `${this.record.messageId}:${failure.replay?.id ?? failure.error.externalId ?? ""}` },
      );
    }
    metrics.count(RuntimeMetric.itemsFailed, failures.length);
    // An item without its own replay stays a failed record of this message.
    if (this.tally) this.tally.failedItems += failures.length - replays.length;
    const runs = this.batch.deps.runs;
    if (runs) await this.batch.ledger(runs, (r) => r.deadItems(meta, replays));
    this.logger.warn("items failed for good and were sent to the DLQ", {
      count: failures.length,
      items: failures.slice(0, 10).map((f) => f.error.externalId ?? f.error.itemId),
    });
  }

  count(metric: string, value?: number): void {
    this.batch.deps.metrics.count(metric, value);
    this.tally?.count(metric, value ?? 1);
  }
}

/**
 * A consumer whose unit of work is a group of records sharing one fate (the notifier folds a
 * batch's events by alert key: a thousand failures of one key are one write), run by the same
 * engine as the connectors: the same deadline and abort signal, dispositions (disposition.ts),
 * backoff and DLQ reasons. Logs and metrics stay the consumer's, through the `on*` callbacks.
 */
export interface RecordGroups<G> {
  /** Records that cannot be handled at all: dead-lettered at once with their reason, never retried. */
  rejected: ReadonlyArray<{ record: SQSRecord; reason: Omit<DlqReason, "attempt"> }>;
  /** Lanes run `concurrency` at a time; the groups of one lane in order, each settled on its own. */
  lanes: ReadonlyArray<readonly G[]>;
  concurrency: number;
  recordsOf(group: G): readonly SQSRecord[];
  /** The group's work: `signal` aborts a little before `deadlineAt` (epoch ms), the invocation's end. */
  handle(group: G, invocation: { signal: AbortSignal; deadlineAt: number }): Promise<void>;
  /** Which errors are permanent for this consumer. @default shared/errors isPermanent */
  permanent?: (error: unknown) => boolean;
  /** The DLQ reason of a group's records after a permanent error. */
  reasonOf(group: G, error: unknown): Omit<DlqReason, "attempt">;
  /** A group's work failed; `disposition` says what the engine does with its records next. */
  onFailed?(group: G, disposition: Disposition, error: unknown): void;
  onDeadLettered?(record: SQSRecord): void;
  /** A DLQ send failed: the record is retried instead. */
  onDeadLetterFailed?(record: SQSRecord, error: unknown): void;
}

export interface GroupBatchDependencies {
  settings: EngineSettings;
  actions: Pick<QueueActions, "changeVisibility" | "sendToDlq">;
  random?: () => number;
}

/**
 * Processes one batch as groups of records and returns the partial-batch response. A group not
 * started within the deadline margin, or stopped by the deadline, is given back at once; a
 * permanent error dead-letters its records with the reason (acknowledged); any other error
 * retries them with backoff, judged by the group's most-tried record. A DLQ send that fails
 * turns into a retry: nothing is lost.
 */
export const processRecordGroups = async <G>(timing: InvocationTiming, deps: GroupBatchDependencies, groups: RecordGroups<G>): Promise<SQSBatchResponse> => {
  const run = new InvocationRun(deps.settings, deps.actions, timing, deps.random);
  const failures: SQSBatchItemFailure[] = [];
  const giveBack = async (records: readonly SQSRecord[], how: (record: SQSRecord) => Promise<unknown>) => {
    for (const record of records) {
      await how(record);
      failures.push({ itemIdentifier: record.messageId });
    }
  };
  const deadLetter = async (record: SQSRecord, reason: Omit<DlqReason, "attempt">) => {
    try {
      await deps.actions.sendToDlq(record.body, { ...reason, attempt: receiveCount(record) }, { messageId: record.messageId });
      groups.onDeadLettered?.(record);
    } catch (error) {
      groups.onDeadLetterFailed?.(record, error);
      await giveBack([record], (r) => run.retryLater(r, receiveCount(r)));
    }
  };

  for (const { record, reason } of groups.rejected) await deadLetter(record, reason);

  const settle = async (group: G) => {
    const records = groups.recordsOf(group);
    if (!run.mayStart()) return giveBack(records, (r) => run.release(r));
    let error: unknown;
    try {
      await groups.handle(group, { signal: run.signal, deadlineAt: run.deadlineAt });
      return;
    } catch (caught) {
      error = caught;
    }
    const disposition = run.dispositionOf(error, Math.max(...records.map(receiveCount)), groups.permanent);
    groups.onFailed?.(group, disposition, error);
    if (disposition === "release") return giveBack(records, (r) => run.release(r));
    if (disposition === "dead-letter") {
      const reason = groups.reasonOf(group, error);
      for (const record of records) await deadLetter(record, reason);
      return;
    }
    return giveBack(records, (r) => run.retryLater(r, receiveCount(r)));
  };

  await mapWithConcurrency([...groups.lanes], groups.concurrency, async (lane) => {
    for (const group of lane) {
      // A throw where none should be (a visibility change that failed) fails this group alone: a
      // throw out of the batch would hand back records already dead-lettered and acknowledged.
      await settle(group).catch(() => {
        const reported = new Set(failures.map((f) => f.itemIdentifier));
        for (const record of groups.recordsOf(group)) if (!reported.has(record.messageId)) failures.push({ itemIdentifier: record.messageId });
      });
    }
  });
  return { batchItemFailures: failures };
};
