/**
 * The run ledger hooks of processBatch (shared/runtime/process-batch.ts) call by call, plus the
 * invocation wrappers (middlewares.ts) and processRecordGroups' last-resort catch. A unit test of
 * one function: the ledger is a RunTracker whose three writes are recorded (its real recordsOf
 * turns each tally into the counts written), the SQS calls go to a recording QueueActions. The
 * same hooks against dynalite are in test/ledger-runtime.test.ts; here every call the runtime
 * makes is stated exactly, including the ones the real ledger's conditions would turn into no-ops.
 */
import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { Context, SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { defineConnector } from "../../shared/connector";
import type { ConnectorContext } from "../../shared/connector";
import { PermanentError, TransientError } from "../../shared/errors";
import type { RecordCounts, RunLedger } from "../../shared/ledger";
import { createEnvelope, type NormalizedMessage } from "../../shared/messages";
import { InvocationMetrics, type MetricsSink } from "../../shared/observability";
import { processBatch, processRecordGroups, publishMetrics, QueueActions, readRuntimeConfig, withInvocationObservability } from "../../shared/runtime";
import type { RuntimeConfig } from "../../shared/runtime";
import { type RecordTally, RunTracker } from "../../shared/runtime/run-tracking";
import { testIntegration } from "../fixtures/test-connector";

const INTEGRATION = "ledger-exact";
const CONNECTOR = "ledger-exact-connector";

type Handle = (payload: { step: string }, context: ConnectorContext) => Promise<void>;
let behaviour: Handle = async () => undefined;

const connector = defineConnector({
  type: CONNECTOR,
  label: "Ledger exact connector",
  integrationType: testIntegration,
  entity: "products",
  direction: "import",
  defaults: {},
  ledger: { records: { written: ["Written"] } },
  messages: { work: z.object({ step: z.string() }) },
  handle: (message, context) => behaviour(message.payload, context as unknown as ConnectorContext),
});

type Call =
  | { call: "open"; unitId: string }
  | { call: "settle"; unitId: string; state: "done" | "dead"; records: RecordCounts; error: string | undefined }
  | { call: "deadItems"; unitId: string; replays: Array<{ id: string; type: string; error: string }> };

/** A RunTracker whose writes are recorded; `fail` names the calls that throw (a DynamoDB error). */
class RecordingTracker extends RunTracker {
  calls: Call[] = [];
  constructor(private readonly fail: ReadonlySet<Call["call"]> = new Set()) {
    super(undefined as unknown as RunLedger, { integration: INTEGRATION, connector: CONNECTOR }, connector.ledger);
  }
  private maybeFail(call: Call["call"]) {
    if (this.fail.has(call)) throw new Error(`ProvisionedThroughputExceededException: ${call} throttled`);
  }
  override async open(meta: NormalizedMessage): Promise<void> {
    this.calls.push({ call: "open", unitId: meta.id });
    this.maybeFail("open");
  }
  override async settle(meta: NormalizedMessage, state: "done" | "dead", tally: RecordTally, error?: string): Promise<boolean> {
    this.calls.push({ call: "settle", unitId: meta.id, state, records: this.recordsOf(tally), error });
    this.maybeFail("settle");
    return true;
  }
  override async deadItems(meta: NormalizedMessage, replays: readonly { id: string; type: string; error: string }[]): Promise<void> {
    this.calls.push({ call: "deadItems", unitId: meta.id, replays: [...replays] });
    this.maybeFail("deadItems");
  }
}

class RecordingActions extends QueueActions {
  dlq: string[] = [];
  constructor(config: RuntimeConfig) {
    super(async () => {
      throw new Error("no SQS in a unit test");
    }, config);
  }
  override async changeVisibility(): Promise<boolean> {
    return true;
  }
  override async emit(): Promise<void> {}
  override async sendToDlq(_body: string, reason: { code: string; externalId?: string }): Promise<void> {
    this.dlq.push(`${reason.code}:${reason.externalId ?? ""}`);
  }
  override async enqueue(): Promise<void> {}
}

const recordingLogger = () => {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> | undefined }> = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) => void lines.push({ level, message, extra });
  const logger = { level: 12, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } as unknown as PowertoolsLogger;
  return { logger, lines };
};

const body = (id: string, step: string, hop = 0) =>
  JSON.stringify(createEnvelope({ id, integration: INTEGRATION, connector: CONNECTOR, type: "work", payload: { step }, correlationId: "run-1", hop }));

const record = (messageId: string, text: string, receiveCount: number): SQSRecord =>
  ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: text,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: {},
    eventSourceARN: "arn:aws:sqs:eu-west-1:000000000000:q",
  }) as unknown as SQSRecord;

const setup = (fail: ReadonlySet<Call["call"]> = new Set()) => {
  const config = readRuntimeConfig(
    {},
    {
      integration: INTEGRATION,
      connector: CONNECTOR,
      dlqUrl: "https://sqs.eu-west-1.amazonaws.com/000000000000/exact-dlq",
      alertsQueueUrl: "a",
      recordConcurrency: 1,
      maxReceiveCount: 3,
      deadlineMarginMs: 500,
    },
  );
  const actions = new RecordingActions(config);
  const metrics = new InvocationMetrics({ addMetric: () => undefined, publishStoredMetrics: () => undefined });
  const { logger, lines } = recordingLogger();
  const runs = new RecordingTracker(fail);
  const run = (records: SQSRecord[]) =>
    processBatch(
      { Records: records },
      { getRemainingTimeInMillis: () => 30_000 },
      { connector: connector as never, config, actions, logger, metrics, client: () => ({}) as never, oro: () => ({}) as never, random: () => 1, runs },
    );
  return { run, runs, metrics, lines, actions };
};

const NO_COUNTS = { read: 0, written: 0, skipped: 0, failed: 0 };

describe("processBatch: what the run ledger is told", () => {
  it("a transient failure on the last receive is settled dead once, with its own error and what it counted before failing", async () => {
    behaviour = async (payload, ctx) => {
      if (payload.step !== "flaky") return;
      ctx.count("Written", 2);
      throw new TransientError("upstream answered 503", { code: "HTTP_503" });
    };
    const t = setup();
    // Receive 2 of 3: retried, nothing settled. Receive 3 of 3: SQS dead-letters it next.
    const response = await t.run([record("m1", body("early", "flaky"), 2), record("m2", body("last", "flaky"), 3)]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m1" }, { itemIdentifier: "m2" }]);
    expect(t.runs.calls).toEqual([
      { call: "open", unitId: "early" },
      { call: "open", unitId: "last" },
      {
        call: "settle",
        unitId: "last",
        state: "dead",
        records: { ...NO_COUNTS, written: 2 },
        error: "moved to the DLQ by SQS after attempt 3: HTTP_503: upstream answered 503",
      },
    ]);
  });

  it("a record that succeeds or is dead-lettered by the runtime on its last receive is settled once, never dead-lettered again", async () => {
    behaviour = async (payload, ctx) => {
      if (payload.step === "bad") throw new PermanentError("page is malformed", { code: "BAD_PAGE" });
      ctx.count("Written", 1);
    };
    const t = setup();
    const response = await t.run([record("m1", body("ok-last", "ok"), 3), record("m2", body("bad-last", "bad"), 3)]);
    expect(response.batchItemFailures).toEqual([]);
    expect(t.runs.calls).toEqual([
      { call: "open", unitId: "ok-last" },
      { call: "settle", unitId: "ok-last", state: "done", records: { ...NO_COUNTS, written: 1 }, error: undefined },
      { call: "open", unitId: "bad-last" },
      { call: "settle", unitId: "bad-last", state: "dead", records: NO_COUNTS, error: "BAD_PAGE: page is malformed" },
    ]);
  });

  it("only a message of hop 0 opens a unit: a later hop was opened by the message that enqueued it", async () => {
    behaviour = async (_payload, ctx) => ctx.count("Written", 3);
    const t = setup();
    await t.run([record("m1", body("page-1", "ok", 1), 1)]);
    expect(t.runs.calls).toEqual([{ call: "settle", unitId: "page-1", state: "done", records: { ...NO_COUNTS, written: 3 }, error: undefined }]);
  });

  it("items without a replay count as failed records of the message; an item with a replay is a dead unit with its own error", async () => {
    behaviour = async (_payload, ctx) =>
      ctx.failItems([
        { error: new PermanentError("sku A has no name", { code: "BAD_ITEM", externalId: "A" }) },
        { error: new PermanentError("sku B has no name", { code: "BAD_ITEM", externalId: "B" }) },
        {
          error: new PermanentError("sku C has no price", { code: "NO_PRICE", externalId: "C" }),
          replay: { type: "work", id: "items/C", payload: { step: "ok" } },
        },
      ]);
    const t = setup();
    const response = await t.run([record("m1", body("items", "ok", 1), 1)]);
    expect(response.batchItemFailures).toEqual([]);
    expect(t.actions.dlq).toEqual(["BAD_ITEM:A", "BAD_ITEM:B", "NO_PRICE:C"]);
    expect(t.runs.calls).toEqual([
      { call: "deadItems", unitId: "items", replays: [{ id: "items/C", type: "work", error: "NO_PRICE: sku C has no price" }] },
      { call: "settle", unitId: "items", state: "done", records: { ...NO_COUNTS, failed: 2 }, error: undefined },
    ]);
  });

  it("a ledger write that fails is counted and logged with its error; the record still succeeds", async () => {
    behaviour = async () => undefined;
    const t = setup(new Set(["open", "settle"]));
    const response = await t.run([record("m1", body("root", "ok"), 1)]);
    expect(response.batchItemFailures).toEqual([]);
    expect(t.runs.calls.map((c) => c.call)).toEqual(["open", "settle"]);
    expect(t.metrics.get("LedgerErrors")).toBe(2);
    expect(t.metrics.get("RecordsOk")).toBe(1);
    expect(t.lines.filter((l) => l.level === "error")).toEqual([
      {
        level: "error",
        message: "run ledger write failed; the record goes on, the run may stay shown as running",
        extra: { error: "ProvisionedThroughputExceededException: open throttled" },
      },
      {
        level: "error",
        message: "run ledger write failed; the record goes on, the run may stay shown as running",
        extra: { error: "ProvisionedThroughputExceededException: settle throttled" },
      },
    ]);
  });
});

describe("processRecordGroups: a throw while giving a group back", () => {
  it("reports each record of the group once, those given back before the throw included", async () => {
    const rec = (id: string) => ({ messageId: id, body: `body-${id}`, attributes: { ApproximateReceiveCount: "1" } }) as unknown as SQSRecord;
    const given: string[] = [];
    const response = await processRecordGroups(
      { getRemainingTimeInMillis: () => 30_000 },
      {
        settings: { maxReceiveCount: 3, backoffBaseSeconds: 10, backoffCapSeconds: 900, deadlineMarginMs: 1_000 },
        actions: {
          changeVisibility: async (r: SQSRecord) => {
            if (r.messageId === "2") throw new Error("ChangeMessageVisibility failed");
            given.push(r.messageId);
            return true;
          },
          sendToDlq: async () => undefined,
        },
        random: () => 0.5,
      },
      {
        rejected: [],
        lanes: [["g"]],
        concurrency: 1,
        recordsOf: () => [rec("1"), rec("2"), rec("3")],
        handle: async () => {
          throw new TransientError("upstream down", { code: "HTTP_503" });
        },
        reasonOf: () => ({ code: "X", message: "m", connector: "c", integration: "i", envelopeId: undefined }),
      },
    );
    expect(given).toEqual(["1"]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "1" }, { itemIdentifier: "2" }, { itemIdentifier: "3" }]);
  });
});

describe("invocation wrappers (middlewares.ts)", () => {
  const sink = () => {
    const written: Array<[string, number]> = [];
    let publishes = 0;
    const metrics: MetricsSink = { addMetric: (name, _unit, value) => void written.push([name, value]), publishStoredMetrics: () => void publishes++ };
    return { metrics, written, publishes: () => publishes };
  };

  it("publishMetrics publishes the invocation's counts once after the handler, and once after an error", async () => {
    for (const hook of ["after", "onError"] as const) {
      const s = sink();
      const metrics = new InvocationMetrics(s.metrics);
      metrics.count("RecordsOk", 4);
      const middleware = publishMetrics(() => metrics);
      await middleware[hook]?.({} as never);
      expect(s.written).toEqual([["RecordsOk", 4]]);
      expect(s.publishes()).toBe(1);
    }
  });

  it("withInvocationObservability runs a handler called without a Lambda context, and still publishes", async () => {
    const s = sink();
    const metrics = new InvocationMetrics(s.metrics);
    metrics.count("RecordsOk", 1);
    const { logger } = recordingLogger();
    const handler = withInvocationObservability(
      logger,
      () => metrics,
      async (event: { n: number }) => event.n * 2,
    );
    await expect(handler({ n: 21 }, undefined as unknown as Context)).resolves.toBe(42);
    expect(s.written).toEqual([["RecordsOk", 1]]);
    expect(s.publishes()).toBe(1);
  });
});
