/**
 * processBatch (shared/runtime/process-batch.ts) record by record: which records a batch reports
 * failed, the exact visibility each gets, what goes to the DLQ and the alerts queue, the metrics,
 * and the log lines an operator reads (message and keys). A unit test of one function: the SQS
 * calls go to a recording QueueActions (the real one's replayBody), the end-to-end path with real
 * SQS is in test/runtime.integration.test.ts.
 */
import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import type { AlertEvent } from "../../shared/alerts";
import { defineConnector } from "../../shared/connector";
import type { ConnectorContext, ItemFailure } from "../../shared/connector";
import { PermanentError, TransientError, ValidationError } from "../../shared/errors";
import { createEnvelope } from "../../shared/messages";
import { createMetrics, InvocationMetrics } from "../../shared/observability";
import { DlqAttribute, lambdaContextLogging, processBatch, QueueActions, readRuntimeConfig } from "../../shared/runtime";
import type { DlqReason, QueueMessage, RuntimeConfig } from "../../shared/runtime";
import { sealKeyOf, sealOf } from "../../shared/runtime/attribute-seal";
import { testIntegration } from "../fixtures/test-connector";

const INTEGRATION = "unit-main";
const CONNECTOR = "outcome-connector";

type Handle = (payload: { step: string; n?: number }, context: ConnectorContext) => Promise<void>;
/** What the current test's connector does with a `work` message. */
let behaviour: Handle = async () => undefined;

const connector = defineConnector({
  type: CONNECTOR,
  label: "Outcome connector",
  integrationType: testIntegration,
  entity: "products",
  direction: "import",
  defaults: {},
  messages: { work: z.object({ step: z.string(), n: z.optional(z.number()) }) },
  handle: (message, context) => behaviour(message.payload, context as unknown as ConnectorContext),
});

interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  extra: Record<string, unknown> | undefined;
}

/** The root logger processBatch writes through (withKeys adds the record's keys to `extra`). */
const recordingLogger = (level = 12) => {
  const lines: LogLine[] = [];
  const at =
    (name: LogLine["level"]) =>
    (message: string, extra?: Record<string, unknown>): void =>
      void lines.push({ level: name, message, extra });
  const logger = { level, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } as unknown as PowertoolsLogger;
  return { logger, lines };
};

/** QueueActions whose SQS calls are recorded (and can be made to fail); replayBody is the real one. */
class RecordingActions extends QueueActions {
  visibility: Array<[string, number]> = [];
  events: AlertEvent[] = [];
  emitCalls = 0;
  dlq: Array<{ body: string; reason: DlqReason; source: { messageId: string; groupId?: string } }> = [];
  enqueued: Array<{ messages: readonly QueueMessage[]; correlationId: string; hop: number }> = [];
  failEmit = 0;
  failDlq = 0;

  constructor(config: RuntimeConfig) {
    super(async () => {
      throw new Error("no SQS in a unit test");
    }, config);
  }
  override async changeVisibility(record: SQSRecord, seconds: number): Promise<boolean> {
    this.visibility.push([record.messageId, seconds]);
    return true;
  }
  override async emit(events: AlertEvent[]): Promise<void> {
    this.emitCalls += 1;
    if (this.failEmit-- > 0) throw new TransientError("alerts queue down", { code: "ALERT_SEND_FAILED" });
    this.events.push(...events);
  }
  override async sendToDlq(body: string, reason: DlqReason, source: { messageId: string; groupId?: string }): Promise<void> {
    if (this.failDlq-- > 0) throw new TransientError("DLQ down", { code: "DLQ_SEND_FAILED" });
    this.dlq.push({ body, reason, source });
  }
  override async enqueue(messages: readonly QueueMessage[], correlationId: string, hop: number): Promise<void> {
    this.enqueued.push({ messages, correlationId, hop });
  }
}

class RecordingMetrics extends InvocationMetrics {
  recorded: number[] = [];
  constructor() {
    super(createMetrics({}));
  }
  override duration(ms: number): void {
    this.recorded.push(ms);
    super.duration(ms);
  }
}

const body = (id: string, payload: { step: string; n?: number }, extra: { hop?: number; correlationId?: string } = {}) =>
  JSON.stringify(
    createEnvelope({
      id,
      integration: INTEGRATION,
      connector: CONNECTOR,
      type: "work",
      payload,
      correlationId: extra.correlationId ?? `corr-${id}`,
      ...(extra.hop === undefined ? {} : { hop: extra.hop }),
    }),
  );

const record = (
  messageId: string,
  text: string,
  options: { receiveCount?: number; groupId?: string; attributes?: false; messageAttributes?: SQSRecord["messageAttributes"] | false } = {},
): SQSRecord => {
  const r: Record<string, unknown> = { messageId, receiptHandle: `rh-${messageId}`, body: text, eventSourceARN: "arn:aws:sqs:eu-west-1:000000000000:q" };
  if (options.attributes !== false)
    r.attributes = { ApproximateReceiveCount: String(options.receiveCount ?? 1), ...(options.groupId ? { MessageGroupId: options.groupId } : {}) };
  if (options.messageAttributes !== false) r.messageAttributes = options.messageAttributes ?? {};
  return r as unknown as SQSRecord;
};

const setup = (overrides: Partial<RuntimeConfig> = {}, options: { logLevel?: number; remainingMs?: number; sealKey?: Buffer } = {}) => {
  const config = readRuntimeConfig(
    {},
    {
      integration: INTEGRATION,
      connector: CONNECTOR,
      dlqUrl: "https://sqs.eu-west-1.amazonaws.com/000000000000/outcome-dlq",
      alertsQueueUrl: "a",
      recordConcurrency: 1,
      backoffBaseSeconds: 10,
      backoffCapSeconds: 900,
      maxReceiveCount: 3,
      deadlineMarginMs: 500,
      ...overrides,
    },
  );
  const actions = new RecordingActions(config);
  const metrics = new RecordingMetrics();
  const { logger, lines } = recordingLogger(options.logLevel);
  const remaining = options.remainingMs ?? 30_000;
  const run = (records: SQSRecord[]) =>
    processBatch(
      { Records: records },
      { getRemainingTimeInMillis: () => remaining },
      {
        connector: connector as never,
        config,
        actions,
        logger,
        metrics,
        client: () => ({}) as never,
        oro: () => ({}) as never,
        random: () => 1,
        ...(options.sealKey ? { sealKey: async () => options.sealKey } : {}),
      },
    );
  const metric = (name: string) => metrics.get(name);
  const logged = (message: string) => lines.filter((l) => l.message === message);
  return { config, actions, metrics, lines, run, metric, logged };
};

/** The keys every log line about a record carries. */
const recordKeys = (messageId: string, envelopeId: string | undefined, attempt: number) => ({
  envelopeId,
  correlationId: envelopeId === undefined ? undefined : `corr-${envelopeId}`,
  messageType: envelopeId === undefined ? undefined : "work",
  connector: CONNECTOR,
  integration: INTEGRATION,
  sqsMessageId: messageId,
  attempt,
});

describe("Function: processBatch: tallies, metrics and the batch log", () => {
  it("counts each outcome once, reports retried and skipped records, logs the tally", async () => {
    behaviour = async (p) => {
      if (p.step === "transient") throw new TransientError("upstream answered 503", { code: "HTTP_503" });
      if (p.step === "permanent") throw new PermanentError("rejected", { code: "REJECTED" });
    };
    const t = setup();
    const response = await t.run([
      record("m1", body("e1", { step: "ok" })),
      record("m2", body("e2", { step: "transient" })),
      record("m3", body("e3", { step: "permanent" })),
      record("m4", body("e4", { step: "ok" })),
    ]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m2" }] });
    expect([t.metric("RecordsOk"), t.metric("RecordsFailed"), t.metric("RecordsPermanent"), t.metric("RecordsSkipped"), t.metric("BatchFullyFailed")]).toEqual([
      2, 1, 1, 0, 0,
    ]);
    expect(t.logged("batch processed")).toStrictEqual([
      { level: "info", message: "batch processed", extra: { connector: CONNECTOR, integration: INTEGRATION, ok: 2, permanent: 1, retry: 1, skip: 0 } },
    ]);
    expect(t.logged("every record of the batch failed")).toEqual([]);
    expect(t.metrics.recorded).toHaveLength(4);
    for (const ms of t.metrics.recorded) expect(ms).toBeGreaterThanOrEqual(0);
    for (const ms of t.metrics.recorded) expect(ms).toBeLessThan(60_000);
  });

  it("an event without Records is an empty batch: nothing sent, nothing logged", async () => {
    const t = setup();
    const response = await processBatch(
      {} as never,
      { getRemainingTimeInMillis: () => 30_000 },
      {
        connector: connector as never,
        config: t.config,
        actions: t.actions,
        logger: recordingLogger().logger,
        metrics: t.metrics,
        client: () => ({}) as never,
        oro: () => ({}) as never,
      },
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect([t.actions.dlq.length, t.actions.emitCalls, t.actions.visibility.length]).toEqual([0, 0, 0]);
  });

  it("a record without message attributes is processed like any other", async () => {
    behaviour = async () => undefined;
    const t = setup();
    const response = await t.run([record("m1", body("e1", { step: "x" }), { messageAttributes: false })]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(t.metric("RecordsOk")).toBe(1);
    expect(t.lines).toEqual([]);
  });

  it("a batch of successes logs no tally; an empty batch is no full failure", async () => {
    behaviour = async () => undefined;
    const t = setup();
    expect(await t.run([record("m1", body("e1", { step: "ok" }))])).toEqual({ batchItemFailures: [] });
    expect(t.lines.filter((l) => l.level !== "debug")).toEqual([]);
    const empty = setup();
    expect(await empty.run([])).toEqual({ batchItemFailures: [] });
    expect(empty.metric("BatchFullyFailed")).toBe(0);
    expect(empty.lines).toEqual([]);
  });

  it("a batch in which every record failed is counted and logged, once", async () => {
    behaviour = async () => {
      throw new TransientError("down", { code: "HTTP_503" });
    };
    const t = setup();
    const response = await t.run([record("m1", body("e1", { step: "x" })), record("m2", body("e2", { step: "x" }))]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }, { itemIdentifier: "m2" }]);
    expect(t.metric("BatchFullyFailed")).toBe(1);
    expect(t.logged("every record of the batch failed")).toStrictEqual([
      { level: "error", message: "every record of the batch failed", extra: { connector: CONNECTOR, integration: INTEGRATION, records: 2 } },
    ]);
  });

  it("a permanent failure next to retried ones is no full failure", async () => {
    behaviour = async (p) => {
      if (p.step === "permanent") throw new PermanentError("rejected", { code: "REJECTED" });
      throw new TransientError("down");
    };
    const t = setup();
    await t.run([record("m1", body("e1", { step: "x" })), record("m2", body("e2", { step: "permanent" }))]);
    expect(t.metric("BatchFullyFailed")).toBe(0);
  });
});

describe("Function: processBatch: transient failures", () => {
  it("retries with the backoff of its attempt and logs the code; on the last attempt alerts first", async () => {
    behaviour = async () => {
      throw new TransientError("upstream answered 503", { code: "HTTP_503" });
    };
    const t = setup();
    await t.run([record("m1", body("e1", { step: "x" }), { receiveCount: 1 }), record("m2", body("e2", { step: "x" }), { receiveCount: 3 })]);
    // random() = 1: the full backoff, 10 s * 2^(attempt-1).
    expect(t.actions.visibility).toEqual([
      ["m1", 10],
      ["m2", 40],
    ]);
    const warnings = t.lines.filter((l) => l.level === "warn");
    expect(warnings.map((l) => l.message)).toEqual([
      "transient failure: retrying later",
      "transient failure on the last attempt: SQS moves the message to the DLQ next",
    ]);
    expect(warnings[0]?.extra).toMatchObject({ ...recordKeys("m1", "e1", 1), code: "HTTP_503" });
    expect((warnings[0]?.extra?.error as Error).message).toBe("upstream answered 503");
    expect(t.actions.events).toHaveLength(1);
    expect(t.actions.events[0]).toMatchObject({
      kind: "failure",
      disposition: "exhausted",
      attempts: 3,
      code: "HTTP_503",
      alertType: "sync",
      envelopeId: "e2",
      step: "work",
      dlq: "outcome-dlq",
    });
  });

  it("an untyped error is retried as UNKNOWN with alert type sync", async () => {
    behaviour = async () => {
      throw new Error("library bug");
    };
    const t = setup();
    await t.run([record("m1", body("e1", { step: "x" }), { receiveCount: 3 })]);
    expect(t.actions.events[0]).toMatchObject({ code: "UNKNOWN", alertType: "sync", message: "library bug", disposition: "exhausted" });
    expect(t.actions.visibility).toEqual([["m1", 40]]);
  });

  it("the last attempt is retried even when its failure event cannot be sent, and that is logged", async () => {
    behaviour = async () => {
      throw new TransientError("down", { code: "HTTP_502" });
    };
    const t = setup();
    t.actions.failEmit = 1;
    const response = await t.run([record("m1", body("e1", { step: "x" }), { receiveCount: 3 })]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(t.actions.visibility).toEqual([["m1", 40]]);
    const [line] = t.logged("could not send the failure event for the last attempt");
    expect(line?.level).toBe("error");
    expect((line?.extra?.error as Error).message).toBe("alerts queue down");
  });
});

describe("Function: processBatch: permanent failures", () => {
  it("alerts, then sends the body to the DLQ with the reason and the item, then acknowledges", async () => {
    behaviour = async () => {
      throw new ValidationError("sku must not be blank", { externalId: "SKU-1" });
    };
    const t = setup();
    const text = body("e1", { step: "x" });
    const response = await t.run([record("m1", text, { receiveCount: 2 })]);
    expect(response.batchItemFailures).toEqual([]);
    expect(t.actions.dlq).toStrictEqual([
      {
        body: text,
        reason: {
          code: "VALIDATION",
          message: "sku must not be blank",
          connector: CONNECTOR,
          integration: INTEGRATION,
          attempt: 2,
          envelopeId: "e1",
          externalId: "SKU-1",
        },
        source: { messageId: "m1" },
      },
    ]);
    expect(t.actions.events).toHaveLength(1);
    expect(t.actions.events[0]).toMatchObject({ kind: "failure", disposition: "permanent", externalId: "SKU-1", alertType: "validation", attempts: 2 });
    expect(t.actions.events[0]).not.toHaveProperty("itemId");
    const [line] = t.logged("permanent failure: message sent to the DLQ");
    expect(line?.level).toBe("error");
    expect(line?.extra).toMatchObject({ ...recordKeys("m1", "e1", 2), code: "VALIDATION" });
    expect((line?.extra?.error as Error).message).toBe("sku must not be blank");
  });

  it("names an Oro item id in the reason when the error has one, and the FIFO group of the record", async () => {
    behaviour = async () => {
      throw new PermanentError("gone", { code: "ORO_NOT_FOUND", itemId: 42 });
    };
    const t = setup({ fifo: true });
    await t.run([record("m1", body("e1", { step: "x" }), { groupId: "g-7" })]);
    expect(t.actions.dlq[0]?.reason).toStrictEqual({
      code: "ORO_NOT_FOUND",
      message: "gone",
      connector: CONNECTOR,
      integration: INTEGRATION,
      attempt: 1,
      envelopeId: "e1",
      itemId: 42,
    });
    expect(t.actions.dlq[0]?.source).toStrictEqual({ messageId: "m1", groupId: "g-7" });
    expect(t.actions.events[0]).toMatchObject({ itemId: 42 });
    expect(t.actions.events[0]).not.toHaveProperty("externalId");
  });

  it("a body that is not an envelope goes to the DLQ with step receive and no envelope id, even without SQS attributes", async () => {
    const t = setup();
    const response = await t.run([record("m1", "not json", { attributes: false, messageAttributes: false })]);
    expect(response.batchItemFailures).toEqual([]);
    expect(t.actions.dlq).toHaveLength(1);
    expect(t.actions.dlq[0]?.reason).toMatchObject({ code: "MALFORMED_MESSAGE", attempt: 1, envelopeId: undefined });
    expect(t.actions.dlq[0]?.source).toStrictEqual({ messageId: "m1" });
    expect(t.actions.events[0]).toMatchObject({ step: "receive", code: "MALFORMED_MESSAGE" });
    expect(t.actions.events[0]).not.toHaveProperty("envelopeId");
    expect(t.logged("permanent failure: message sent to the DLQ")[0]?.extra).toMatchObject(recordKeys("m1", undefined, 1));
  });

  it("a DLQ that cannot be reached: the record is retried with its backoff and both errors are logged", async () => {
    behaviour = async () => {
      throw new PermanentError("rejected", { code: "REJECTED" });
    };
    const t = setup();
    t.actions.failDlq = 1;
    const response = await t.run([record("m1", body("e1", { step: "x" }), { receiveCount: 2 })]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(t.actions.visibility).toEqual([["m1", 20]]);
    const [line] = t.logged("permanent failure could not be dead-lettered; the record will be retried");
    expect(line?.level).toBe("error");
    expect((line?.extra?.error as Error).message).toBe("DLQ down");
    expect((line?.extra?.reason as Error).message).toBe("rejected");
    expect(t.logged("permanent failure: message sent to the DLQ")).toEqual([]);
  });
});

describe("Function: processBatch: successes after a failure", () => {
  it("a success after an earlier attempt sends one recovery event and counts RecordsRetried", async () => {
    behaviour = async () => undefined;
    const t = setup();
    await t.run([record("m1", body("e1", { step: "x" }), { receiveCount: 2 }), record("m2", body("e2", { step: "x" }))]);
    expect(t.actions.events).toHaveLength(1);
    expect(t.actions.events[0]).toMatchObject({
      kind: "recovery",
      envelopeId: "e1",
      attempts: 2,
      integration: INTEGRATION,
      connector: CONNECTOR,
      step: "work",
    });
    expect(t.metric("RecordsRetried")).toBe(1);
  });

  it("a recovery event that cannot be sent: the record is retried and that is logged", async () => {
    behaviour = async () => undefined;
    const t = setup();
    t.actions.failEmit = 1;
    const response = await t.run([record("m1", body("e1", { step: "x" }), { receiveCount: 2 })]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(t.actions.visibility).toEqual([["m1", 20]]);
    const [line] = t.logged("recovery event could not be sent; the record will be retried");
    expect(line?.level).toBe("error");
    expect(line?.extra).toMatchObject(recordKeys("m1", "e1", 2));
    expect((line?.extra?.error as Error).message).toBe("alerts queue down");
    expect(t.metric("RecordsRetried")).toBe(0);
  });

  it("a sealed redrive names its item in the recovery; a forged one sends none and is logged", async () => {
    behaviour = async () => undefined;
    const key = sealKeyOf({ apiKey: "k" });
    const text = body("e1", { step: "x" });
    const attrs: Record<string, string> = {
      [DlqAttribute.code]: "VALIDATION",
      [DlqAttribute.externalId]: "SKU-9",
      [DlqAttribute.itemId]: "77",
      [DlqAttribute.envelopeId]: "e1",
    };
    const seal = sealOf(key, (name) => attrs[name], text);
    const messageAttributes = Object.fromEntries(
      Object.entries({ ...attrs, [DlqAttribute.seal]: seal }).map(([name, value]) => [name, { stringValue: value, dataType: "String" }]),
    ) as unknown as SQSRecord["messageAttributes"];
    const t = setup({}, { sealKey: key });
    await t.run([record("m1", text, { messageAttributes })]);
    expect(t.actions.events).toHaveLength(1);
    expect(t.actions.events[0]).toMatchObject({ kind: "recovery", externalId: "SKU-9", itemId: 77, attempts: 1 });

    const forged = setup({}, { sealKey: key });
    const tampered = {
      ...messageAttributes,
      [DlqAttribute.externalId]: { stringValue: "SKU-OTHER", dataType: "String" },
    } as unknown as SQSRecord["messageAttributes"];
    await forged.run([record("m1", text, { messageAttributes: tampered })]);
    expect(forged.actions.events).toEqual([]);
    expect(forged.logged("message carries DLQ reason attributes without a valid seal: not treated as a redrive (no recovery event)")[0]?.extra).toMatchObject({
      code: "VALIDATION",
    });

    // A forged code is logged cut to 64 characters (any sender can write it).
    const long = setup({}, { sealKey: key });
    await long.run([
      record("m1", text, {
        messageAttributes: { [DlqAttribute.code]: { stringValue: "X".repeat(100), dataType: "String" } } as unknown as SQSRecord["messageAttributes"],
      }),
    ]);
    expect(long.logged("message carries DLQ reason attributes without a valid seal: not treated as a redrive (no recovery event)")[0]?.extra?.code).toBe(
      "X".repeat(64),
    );
  });

  it("a record processed at DEBUG level logs its duration; at INFO it logs nothing", async () => {
    behaviour = async () => undefined;
    const debug = setup({}, { logLevel: 8 });
    await debug.run([record("m1", body("e1", { step: "x" }))]);
    const [line] = debug.logged("record processed");
    expect(line?.level).toBe("debug");
    expect(line?.extra).toMatchObject(recordKeys("m1", "e1", 1));
    expect(line?.extra?.durationMs).toBeGreaterThanOrEqual(0);
    expect(line?.extra?.durationMs).toBeLessThan(60_000);
    const info = setup({}, { logLevel: 12 });
    await info.run([record("m1", body("e1", { step: "x" }))]);
    expect(info.lines).toEqual([]);
  });
});

describe("Function: processBatch: deadline", () => {
  it("a record not started within the deadline margin is released at once, unprocessed", async () => {
    let calls = 0;
    behaviour = async () => void (calls += 1);
    const t = setup({ deadlineMarginMs: 500 }, { remainingMs: 499 });
    const response = await t.run([record("m1", body("e1", { step: "x" }))]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(t.actions.visibility).toEqual([["m1", 0]]);
    expect(calls).toBe(0);
    expect(t.metric("RecordsSkipped")).toBe(1);
    const started = setup({ deadlineMarginMs: 500 }, { remainingMs: 500 });
    await started.run([record("m1", body("e1", { step: "x" }))]);
    expect(calls).toBe(1);
  });

  it("the signal fires half the margin (at most 1 s) before the deadline; work it stops is released, not retried", async () => {
    // remaining 1,001 ms, margin 1,000: the signal fires after 501 ms, before the 1,000 ms of work ends.
    behaviour = (_p, context) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 1_000);
        context.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new TransientError("aborted", { code: "HTTP_DEADLINE" }));
        });
      });
    const t = setup({ deadlineMarginMs: 1_000 }, { remainingMs: 1_001 });
    const response = await t.run([record("m1", body("e1", { step: "x" }))]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(t.actions.visibility).toEqual([["m1", 0]]);
    const [line] = t.logged("stopped at the invocation deadline; the record will be retried");
    expect(line?.level).toBe("warn");
    expect((line?.extra?.error as Error).message).toBe("aborted");
    expect(t.actions.events).toEqual([]);
  });

  it("tells the connector the time left before the margin", async () => {
    let left = 0;
    behaviour = async (_p, context) => {
      left = context.remainingTimeMs();
    };
    const t = setup({ deadlineMarginMs: 500 }, { remainingMs: 30_000 });
    await t.run([record("m1", body("e1", { step: "x" }))]);
    expect(left).toBeLessThanOrEqual(29_500);
    expect(left).toBeGreaterThan(20_000);
  });
});

describe("Function: processBatch: FIFO", () => {
  it("a failed record holds back the rest of its group (not released, not run); other groups go on", async () => {
    const ran: number[] = [];
    behaviour = async (p) => {
      ran.push(p.n ?? 0);
      if (p.n === 1) throw new TransientError("down");
    };
    const t = setup({ fifo: true });
    const response = await t.run([
      record("a1", body("a1", { step: "x", n: 1 }), { groupId: "A" }),
      record("a2", body("a2", { step: "x", n: 2 }), { groupId: "A" }),
      record("b1", body("b1", { step: "x", n: 3 }), { groupId: "B" }),
    ]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "a1" }, { itemIdentifier: "a2" }]);
    expect(ran).toEqual([1, 3]);
    expect(t.actions.visibility).toEqual([["a1", 10]]);
    expect([t.metric("RecordsFailed"), t.metric("RecordsSkipped"), t.metric("RecordsOk")]).toEqual([1, 1, 1]);
  });

  it("a record released at the deadline holds back its group too", async () => {
    behaviour = (_p, context) =>
      new Promise<void>((_resolve, reject) => {
        context.signal.addEventListener("abort", () => reject(new TransientError("aborted")));
      });
    const t = setup({ fifo: true, deadlineMarginMs: 1_000 }, { remainingMs: 1_001 });
    const response = await t.run([record("a1", body("a1", { step: "x" }), { groupId: "A" }), record("a2", body("a2", { step: "x" }), { groupId: "A" })]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "a1" }, { itemIdentifier: "a2" }]);
    // Only the released record's visibility is changed; the held-back one keeps its own.
    expect(t.actions.visibility).toEqual([["a1", 0]]);
  });

  it("records without SQS attributes form one group", async () => {
    const ran: number[] = [];
    behaviour = async (p) => void ran.push(p.n ?? 0);
    const t = setup({ fifo: true });
    const response = await t.run([
      record("a1", body("a1", { step: "x", n: 1 }), { attributes: false }),
      record("a2", body("a2", { step: "x", n: 2 }), { attributes: false }),
    ]);
    expect(response.batchItemFailures).toEqual([]);
    expect(ran).toEqual([1, 2]);
  });
});

describe("Function: processBatch: a throw where nothing should throw", () => {
  it("fails that record alone, retried with its backoff, and logs it with the record's keys", async () => {
    behaviour = async () => undefined;
    const t = setup();
    // A body whose envelope getter throws: a stand-in for a runtime bug no check foresaw.
    const bad = record("m1", body("e1", { step: "x" }), { receiveCount: 2 });
    let reads = 0;
    Object.defineProperty(bad, "body", {
      get() {
        reads += 1;
        if (reads === 1) throw new RangeError("unforeseen");
        return body("e1", { step: "x" });
      },
    });
    const response = await t.run([bad, record("m2", body("e2", { step: "x" }))]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(t.actions.visibility).toEqual([["m1", 20]]);
    const [line] = t.logged("unexpected error while processing the record; it will be retried");
    expect(line?.level).toBe("error");
    expect(line?.extra).toMatchObject(recordKeys("m1", undefined, 2));
    expect((line?.extra?.error as Error).message).toBe("unforeseen");
  });
});

describe("Class: RecordContext (what a connector sees)", () => {
  it("failItems: one failure event and one DLQ copy per item, replay bodies, ids, a metric and a log of at most 10 items", async () => {
    const failures: ItemFailure[] = [
      { error: new ValidationError("sku A rejected", { externalId: "A" }), replay: { type: "work", id: "e1/A", payload: { step: "x" } } },
      { error: new ValidationError("item 5 rejected", { itemId: 5 }) },
      ...Array.from({ length: 9 }, (_, i) => ({ error: new ValidationError(`sku S${i} rejected`, { externalId: `S${i}` }) })),
    ];
    behaviour = async (_p, context) => context.failItems(failures);
    const t = setup();
    const text = body("e1", { step: "x" }, { correlationId: "corr-e1" });
    const response = await t.run([record("m1", text)]);
    expect(response.batchItemFailures).toEqual([]);
    expect(t.actions.emitCalls).toBe(1);
    expect(t.actions.events).toHaveLength(11);
    expect(t.actions.dlq).toHaveLength(11);
    const [first, second, third] = t.actions.dlq;
    expect(JSON.parse(first?.body ?? "")).toMatchObject({ id: "e1/A", type: "work", correlationId: "corr-e1", payload: { step: "x" } });
    expect(first?.reason).toStrictEqual({
      code: "VALIDATION",
      message: "sku A rejected",
      connector: CONNECTOR,
      integration: INTEGRATION,
      attempt: 1,
      envelopeId: "e1/A",
      externalId: "A",
    });
    expect(first?.source).toStrictEqual({ messageId: "m1:e1/A" });
    // No replay: the whole message is the item's replay, under the message's envelope id.
    expect(second?.body).toBe(text);
    expect(second?.reason).toStrictEqual({
      code: "VALIDATION",
      message: "item 5 rejected",
      connector: CONNECTOR,
      integration: INTEGRATION,
      attempt: 1,
      envelopeId: "e1",
      itemId: 5,
    });
    expect(second?.source).toStrictEqual({ messageId: "m1:" });
    expect(third?.source).toStrictEqual({ messageId: "m1:S0" });
    expect(t.metric("ItemsFailed")).toBe(11);
    const [line] = t.logged("items failed for good and were sent to the DLQ");
    expect(line?.level).toBe("warn");
    expect(line?.extra).toStrictEqual({ ...recordKeys("m1", "e1", 1), count: 11, items: ["A", 5, "S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7"] });
  });

  it("failItems with no items does nothing", async () => {
    behaviour = async (_p, context) => context.failItems([]);
    const t = setup();
    await t.run([record("m1", body("e1", { step: "x" }))]);
    expect([t.actions.emitCalls, t.actions.dlq.length, t.metric("ItemsFailed"), t.lines.length]).toEqual([0, 0, 0, 0]);
  });

  it("count, enqueue one hop further, settings, integration and connector", async () => {
    const seen: unknown[] = [];
    behaviour = async (_p, context) => {
      context.count("PagesRead", 3);
      context.count("PagesRead");
      seen.push(context.integration, context.connector, context.settings.maxChainHops);
      await context.enqueue([{ type: "work", id: "next", payload: { step: "x" } }]);
    };
    const t = setup({ settings: { maxChainHops: 7 } });
    await t.run([record("m1", body("e1", { step: "x" }, { hop: 2 }))]);
    expect(t.metric("PagesRead")).toBe(4);
    expect(seen).toEqual([INTEGRATION, CONNECTOR, 7]);
    expect(t.actions.enqueued).toEqual([{ messages: [{ type: "work", id: "next", payload: { step: "x" } }], correlationId: "corr-e1", hop: 3 }]);
  });

  it("a message past the chain's hop cap goes to the DLQ, not to the connector", async () => {
    let calls = 0;
    behaviour = async () => void (calls += 1);
    const t = setup({ settings: { maxChainHops: 2 } });
    await t.run([record("m1", body("e1", { step: "x" }, { hop: 3 })), record("m2", body("e2", { step: "x" }, { hop: 2 }))]);
    expect(calls).toBe(1);
    expect(t.actions.dlq.map((d) => [d.source.messageId, d.reason.code])).toEqual([["m1", "CHAIN_TOO_LONG"]]);
    expect(t.actions.dlq[0]?.reason.message).toBe(
      "message e1 is hop 3 of a chain of work messages (correlationId corr-e1), past this connector's cap of 2 hops: a connector that keeps handing over to its own queue is looping; fix it, or raise settings.maxChainHops for a window this large, then redrive",
    );
  });
});

describe("Function: lambdaContextLogging", () => {
  it("adds the Lambda context when there is one, and tolerates a request without a context", () => {
    const added: unknown[] = [];
    const logger = { addContext: (c: unknown) => void added.push(c) } as unknown as PowertoolsLogger;
    const before = lambdaContextLogging(logger).before as (request: { context: unknown }) => void;
    before({ context: undefined });
    before({ context: { awsRequestId: "" } });
    const context = { awsRequestId: "req-1" };
    before({ context });
    expect(added).toEqual([context]);
  });
});
