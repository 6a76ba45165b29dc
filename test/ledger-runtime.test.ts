import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { lambdaContext, toSqsRecord } from "../local-stack/event-source";
import { defineConnector, defineIntegrationType } from "../shared/connector";
import { PermanentError, TransientError } from "../shared/errors";
import { RunLedger, type RunStatus } from "../shared/ledger";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The runtime's ledger hooks (shared/runtime/process-batch.ts) on real local services: fauxqs for
 * the DLQ / alerts / fan-out, dynalite for the state table, the real handler. Batches are built by
 * hand so each record's receive count and the invocation's time left are exact.
 */
const integration = defineIntegrationType({ type: "none", label: "none", settings: z.object({}), createClient: () => ({}) });
const connector = defineConnector({
  type: "ledger-probe",
  label: "ledger probe",
  integrationType: integration,
  entity: "products",
  direction: "import",
  defaults: {},
  ledger: { listing: ["window"], records: { read: ["Read"], written: ["Written"] } },
  messages: { window: z.object({ pages: z.number() }), page: z.object({ fail: z.optional(z.enum(["transient", "permanent"])) }) },
  async handle(message, ctx) {
    if (message.type === "window") {
      ctx.describeRun?.({ from: "2026-08-01T00:00:00Z", to: "2026-08-01T00:15:00Z" });
      ctx.count("Read", message.payload.pages * 2);
      return ctx.enqueue(Array.from({ length: message.payload.pages }, (_, i) => ({ type: "page", id: `${message.meta.id}/p${i + 1}`, payload: {} })));
    }
    if (message.payload.fail === "transient") throw new TransientError("upstream answered 503", { code: "HTTP_503" });
    if (message.payload.fail === "permanent") throw new PermanentError("page is malformed", { code: "BAD_PAGE" });
    ctx.count("Written", 2);
  },
});

let aws: LocalAws;
let table: string;
beforeAll(async () => {
  aws = await startLocalAws();
  table = await aws.dynamodb.createStateTable("runtime-ledger");
});
afterAll(async () => aws?.stop());

let n = 0;
const setup = async (options: { stateTableName?: string } = {}) => {
  const name = `ledger-probe-${++n}`;
  const queues = await aws.createConnectorQueues(name, { maxReceiveCount: 3 });
  const alertsQueueUrl = await aws.createQueue(`${name}-alerts`);
  const statuses: RunStatus[] = [];
  const handler = createConnectorHandler(connector, {
    env: {},
    overrides: {
      integration: "probe",
      connector: connector.type,
      ...queues,
      alertsQueueUrl,
      maxReceiveCount: 3,
      settings: {},
      recordConcurrency: 4,
      deadlineMarginMs: 500,
      backoffBaseSeconds: 0,
      stateTableName: options.stateTableName ?? table,
    },
    onRunFinished: () => async (status) => void statuses.push(status),
  });
  const ledger = new RunLedger({ tableName: table, client: async () => aws.dynamodb.client });
  let seq = 0;
  const record = (id: string, type: string, payload: Record<string, unknown>, receiveCount: number, correlationId?: string) =>
    toSqsRecord(
      {
        MessageId: `m-${++seq}`,
        ReceiptHandle: `rh-${seq}`,
        Body: JSON.stringify({
          ...createEnvelope({ id, integration: "probe", connector: connector.type, type, payload }),
          ...(correlationId ? { correlationId, hop: 1 } : {}),
        }),
        Attributes: { ApproximateReceiveCount: String(receiveCount) },
      },
      `arn:aws:sqs:us-east-1:000000000000:${name}`,
    );
  const run = async (runId: string) => (await ledger.read({ integration: "probe", connector: connector.type, runId })).summary;
  return { handler, statuses, record, run, queues };
};

describe("runtime hooks of the run ledger", () => {
  it("registers what a window enqueued, counts its pages once, and learns SQS's dead-lettering at the last receive", async () => {
    const t = await setup();
    await t.handler({ Records: [t.record("w1", "window", { pages: 3 }, 1)] }, lambdaContext(30_000));
    expect(await t.run("w1")).toMatchObject({
      outcome: "running",
      rootType: "window",
      windowTo: "2026-08-01T00:15:00Z",
      units: { listingPlanned: 1, listingDone: 1, pagesPlanned: 3, pagesDone: 0 },
      records: { read: 6 },
    });
    // p1 twice in one batch and once more later: counted once. p2 fails transiently on receive 2 of 3 (not yet dead).
    await t.handler(
      { Records: [t.record("w1/p1", "page", {}, 1, "w1"), t.record("w1/p1", "page", {}, 1, "w1"), t.record("w1/p2", "page", { fail: "transient" }, 2, "w1")] },
      lambdaContext(30_000),
    );
    await t.handler({ Records: [t.record("w1/p1", "page", {}, 2, "w1")] }, lambdaContext(30_000));
    expect(await t.run("w1")).toMatchObject({ outcome: "running", units: { pagesDone: 1, pagesDeadLettered: 0 }, records: { written: 2 } });
    // p2 on its last receive (3 of 3): reported failed, so SQS moves it next; p3 is not even started (deadline).
    const last = await t.handler({ Records: [t.record("w1/p2", "page", { fail: "transient" }, 3, "w1")] }, lambdaContext(30_000));
    expect(last?.batchItemFailures).toHaveLength(1);
    const late = await t.handler({ Records: [t.record("w1/p3", "page", {}, 3, "w1")] }, lambdaContext(100));
    expect(late?.batchItemFailures).toHaveLength(1);
    const summary = await t.run("w1");
    expect(summary).toMatchObject({
      outcome: "partly failed",
      units: { pagesPlanned: 3, pagesDone: 1, pagesDeadLettered: 2 },
      records: { read: 6, written: 2, failed: 0 },
    });
    expect(summary?.lastError).toBe(
      "moved to the DLQ by SQS after attempt 3: not processed on its last receive (attempt 3 of 3: the invocation's deadline, or its FIFO group held back)",
    );
    expect(t.statuses.map((s) => s.outcome)).toEqual(["partly failed"]);
  });

  it("a permanent failure settles its page dead with the reason; a record whose ledger write fails still succeeds", async () => {
    const t = await setup();
    await t.handler({ Records: [t.record("w2", "window", { pages: 1 }, 1)] }, lambdaContext(30_000));
    await t.handler({ Records: [t.record("w2/p1", "page", { fail: "permanent" }, 1, "w2")] }, lambdaContext(30_000));
    expect(await t.run("w2")).toMatchObject({ outcome: "failed", lastError: "BAD_PAGE: page is malformed", units: { pagesPlanned: 1, pagesDeadLettered: 1 } });
    expect((await aws.drain(t.queues.dlqUrl)).map((m) => JSON.parse(m.Body ?? "{}").id)).toEqual(["w2/p1"]);

    const broken = await setup({ stateTableName: "no-such-table" });
    const response = await broken.handler({ Records: [broken.record("w3", "window", { pages: 1 }, 1)] }, lambdaContext(30_000));
    expect(response?.batchItemFailures).toEqual([]);
    expect(await aws.drain(broken.queues.queueUrl)).toHaveLength(1);
  });
});
