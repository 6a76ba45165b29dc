import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { lambdaContext, toSqsRecord } from "../local-stack/event-source";
import { defineConnector, defineIntegrationType } from "../shared/connector";
import { PermanentError, TransientError } from "../shared/errors";
import { RunLedger } from "../shared/ledger";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The exact state the run ledger ends in (shared/runtime/process-batch.ts hooks, real handler,
 * fauxqs, dynalite): a page that counted records and then failed transiently on its last receive,
 * a page with failed items (with and without a replay), and a later hop that fails before its
 * run was ever opened. Call-by-call checks of the same hooks: test/unit/process-batch-ledger-exact.test.ts.
 */
const integration = defineIntegrationType({ type: "none", label: "none", settings: z.object({}), createClient: () => ({}) });
const connector = defineConnector({
  type: "ledger-exact",
  label: "ledger exact",
  integrationType: integration,
  entity: "products",
  direction: "import",
  defaults: {},
  ledger: { listing: ["window"], records: { written: ["Written"] } },
  messages: { window: z.object({ pages: z.number() }), page: z.object({ mode: z.optional(z.enum(["flaky", "items"])) }) },
  async handle(message, ctx) {
    if (message.type === "window") {
      return ctx.enqueue(Array.from({ length: message.payload.pages }, (_, i) => ({ type: "page", id: `${message.meta.id}/p${i + 1}`, payload: {} })));
    }
    if (message.payload.mode === "flaky") {
      ctx.count("Written", 2);
      throw new TransientError("upstream answered 503", { code: "HTTP_503" });
    }
    if (message.payload.mode === "items") {
      ctx.count("Written", 5);
      return ctx.failItems([
        { error: new PermanentError("sku A has no name", { code: "BAD_ITEM", externalId: "A" }) },
        { error: new PermanentError("sku B has no name", { code: "BAD_ITEM", externalId: "B" }) },
        {
          error: new PermanentError("sku C has no price", { code: "NO_PRICE", externalId: "C" }),
          replay: { type: "page", id: `${message.meta.id}/C`, payload: {} },
        },
      ]);
    }
    ctx.count("Written", 1);
  },
});

let aws: LocalAws;
let table: string;
beforeAll(async () => {
  aws = await startLocalAws();
  table = await aws.dynamodb.createStateTable("runtime-ledger-exact");
});
afterAll(async () => aws?.stop());

const setup = async () => {
  const queues = await aws.createConnectorQueues("ledger-exact", { maxReceiveCount: 3 });
  const alertsQueueUrl = await aws.createQueue("ledger-exact-alerts");
  const handler = createConnectorHandler(connector, {
    env: {},
    overrides: {
      integration: "probe",
      connector: connector.type,
      ...queues,
      alertsQueueUrl,
      maxReceiveCount: 3,
      settings: {},
      recordConcurrency: 1,
      deadlineMarginMs: 500,
      backoffBaseSeconds: 0,
      stateTableName: table,
    },
    onRunFinished: () => async () => undefined,
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
      "arn:aws:sqs:us-east-1:000000000000:ledger-exact",
    );
  const read = (runId: string) => ledger.read({ integration: "probe", connector: connector.type, runId });
  const units = async (runId: string) =>
    Object.fromEntries((await read(runId)).units.map((u) => [u.id, { state: u.state, records: u.records, error: u.error }]));
  return { handler, record, read, units };
};

const counts = (over: Partial<Record<"read" | "written" | "skipped" | "failed", number>>) => ({ read: 0, written: 0, skipped: 0, failed: 0, ...over });

describe("run ledger state after the runtime's hooks", () => {
  it("ends each unit in its exact state, counts and error", async () => {
    const t = await setup();
    await t.handler({ Records: [t.record("a", "window", { pages: 1 }, 1), t.record("b", "window", { pages: 1 }, 1)] }, lambdaContext(30_000));

    // a/p1 counts 2 written, then fails transiently on its last receive: SQS dead-letters it next.
    const last = await t.handler({ Records: [t.record("a/p1", "page", { mode: "flaky" }, 3, "a")] }, lambdaContext(30_000));
    expect(last?.batchItemFailures).toHaveLength(1);
    const a = await t.read("a");
    expect(a.summary).toMatchObject({
      outcome: "failed",
      units: { listingPlanned: 1, listingDone: 1, pagesPlanned: 1, pagesDone: 0, pagesDeadLettered: 1 },
      records: counts({ written: 2 }),
      lastError: "moved to the DLQ by SQS after attempt 3: HTTP_503: upstream answered 503",
    });
    expect((await t.units("a"))["a/p1"]).toEqual({
      state: "dead",
      records: counts({ written: 2 }),
      error: "moved to the DLQ by SQS after attempt 3: HTTP_503: upstream answered 503",
    });

    // b/p1 writes 5 and fails three items: A and B stay failed records of b/p1, C is a dead unit of its own.
    const items = await t.handler({ Records: [t.record("b/p1", "page", { mode: "items" }, 1, "b")] }, lambdaContext(30_000));
    expect(items?.batchItemFailures).toEqual([]);
    expect(await t.units("b")).toEqual({
      b: { state: "done", records: counts({}), error: undefined },
      "b/p1": { state: "done", records: counts({ written: 5, failed: 2 }), error: undefined },
      "b/p1/C": { state: "dead", records: counts({ failed: 1 }), error: "NO_PRICE: sku C has no price" },
    });
    expect((await t.read("b")).summary).toMatchObject({
      outcome: "partly failed",
      units: { pagesPlanned: 2, pagesDone: 1, pagesDeadLettered: 1 },
      records: counts({ written: 5, failed: 3 }),
      lastError: "NO_PRICE: sku C has no price",
    });

    // A later hop failing transiently before its run exists opens nothing (hop 0 alone opens a unit).
    const ghost = await t.handler({ Records: [t.record("ghost/p1", "page", { mode: "flaky" }, 1, "ghost")] }, lambdaContext(30_000));
    expect(ghost?.batchItemFailures).toHaveLength(1);
    expect(await t.read("ghost")).toEqual({ summary: undefined, units: [] });
  });
});
