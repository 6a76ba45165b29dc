import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backfill, windowEnds } from "../ops/commands/backfill";
import { checkIntegration } from "../ops/commands/check";
import { peekDlq } from "../ops/commands/dlq-peek";
import { redriveDlq } from "../ops/commands/dlq-redrive";
import { sendMessage } from "../ops/commands/send";
import { status } from "../ops/commands/status";
import type { OpsContext } from "../ops/context";
import { createContext } from "../ops/context";
import { ExitCode, UnreachableError, UsageError } from "../ops/errors";
import type { OpsError } from "../ops/errors";
import { run } from "../ops/cli";
import type { OpsIo } from "../ops/io";
import { pollOnce } from "../local-stack/event-source";
import { createEnvelope } from "../shared/messages";
import { createOroClient } from "../shared/oro";
import { createConnectorHandler, parseRecordBody } from "../shared/runtime";
import { connectors } from "../functions/registry";
import { loopConnector, upstream } from "./fixtures/failure-loop-connector";
import { SECRET, startOpsHarness, testRegistry } from "./ops-harness";
import type { OpsHarness } from "./ops-harness";

let h: OpsHarness;
let ctx: OpsContext;

beforeAll(async () => {
  h = await startOpsHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

beforeEach(async () => {
  await h.purge();
  h.resetSecrets();
  ctx = h.context();
});

afterEach(() => ctx.close());

const Q = {
  akeneo: "opst-akeneo-main-akeneo-products",
  akeneoDlq: "opst-akeneo-main-akeneo-products-dlq",
  orders: "opst-erp-main-oro-orders-to-erp",
  ordersDlq: "opst-erp-main-oro-orders-to-erp-dlq",
  fifo: "opst-erp-fifo-oro-orders-to-erp.fifo",
  loop: "opst-loop-main-loop-products",
  loopDlq: "opst-loop-main-loop-products-dlq",
  range: "opst-range-main-ops-range",
  alerts: "opst-alerts",
  alertsDlq: "opst-alerts-dlq",
};

const drain = (name: string): Promise<Message[]> => h.aws.drain(h.url(name), 1);
const depth = async (name: string) => {
  const attributes =
    (
      await h.aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: h.url(name), AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
      )
    ).Attributes ?? {};
  return { visible: Number(attributes.ApproximateNumberOfMessages), inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible) };
};
const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value });

/** A DLQ message as the runtime writes it (permanent failure). */
const runtimeDlqMessage = async (dlq: string, envelopeId: string, code = "MALFORMED_MESSAGE", connector = "akeneo-products", integration = "akeneo-main") => {
  const body = JSON.stringify(createEnvelope({ id: envelopeId, integration, connector, type: "window", payload: { scheduledTime: "2025-01-01T00:15:00Z" } }));
  await h.aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: h.url(dlq),
      MessageBody: body,
      MessageAttributes: {
        ErrorCode: text(code),
        ErrorMessage: text(`window payload is invalid (${code})`),
        Connector: text(connector),
        Integration: text(integration),
        Attempt: { DataType: "Number", StringValue: "1" },
        FailedAt: text("2025-01-01T00:16:00.000Z"),
        SourceMessageId: text(randomUUID()),
        EnvelopeId: text(envelopeId),
      },
    }),
  );
  return body;
};

/** A message SQS's redrive policy moved (no attributes). */
const sqsMovedMessage = async (dlq: string, envelopeId: string, integration = "akeneo-main", connector = "akeneo-products", type = "window") => {
  const body = JSON.stringify(
    createEnvelope({ id: envelopeId, integration, connector, type, payload: type === "window" ? { scheduledTime: envelopeId } : {} }),
  );
  await h.aws.sqs.send(new SendMessageCommand({ QueueUrl: h.url(dlq), MessageBody: body }));
  return body;
};

const captureIo = (stdin = ""): OpsIo & { stdout: string[]; stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    errRaw: (t) => stderr.push(t),
    stderrIsTTY: false,
    readStdin: async () => stdin,
    env: {},
  };
};

describe("send", () => {
  it("sends a valid envelope unchanged", async () => {
    const envelope = createEnvelope({
      id: "2025-01-01T00:15:00Z",
      integration: "akeneo-main",
      connector: "akeneo-products",
      type: "window",
      payload: { scheduledTime: "2025-01-01T00:15:00Z" },
    });
    const result = await sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify(envelope));
    expect(result).toMatchObject({ envelopeId: "2025-01-01T00:15:00Z", type: "window", queue: Q.akeneo, dryRun: false });
    const [message] = await drain(Q.akeneo);
    expect(JSON.parse(message?.Body ?? "")).toEqual(envelope);
    expect(message?.MessageId).toBe(result.messageId);
  });

  it("wraps a bare payload with --type in an envelope the runtime accepts", async () => {
    const result = await sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify({ from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z" }), {
      type: "window",
      id: "manual-1",
    });
    const [message] = await drain(Q.akeneo);
    const body = JSON.parse(message?.Body ?? "");
    expect(body).toMatchObject({
      version: 1,
      id: "manual-1",
      integration: "akeneo-main",
      connector: "akeneo-products",
      type: "window",
      payload: { from: "2025-01-01T00:00:00Z" },
    });
    expect(result.envelopeId).toBe("manual-1");
    expect(
      parseRecordBody(
        message?.Body ?? "",
        connectors.find((c) => c.type === "akeneo-products")!,
        { integration: "akeneo-main", connector: "akeneo-products" },
      ).ok,
    ).toBe(true);
  });

  it("accepts Oro's webhook body unchanged", async () => {
    const body = { topic: "order.created", timestamp: 1_735_689_600, messageId: "wh-1", eventData: { data: { type: "orders", id: "42" } } };
    const result = await sendMessage(ctx, "erp-main", "oro-orders-to-erp", JSON.stringify(body));
    expect(result).toMatchObject({ envelopeId: "wh-1", type: "order.created" });
    expect(JSON.parse((await drain(Q.orders))[0]?.Body ?? "")).toEqual(body);
  });

  it("refuses what the connector would reject, naming the problem, and sends nothing", async () => {
    await expect(
      sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify({ window: "w", products: "not-an-array" }), { type: "page" }),
    ).rejects.toThrow(/page message payload is invalid: products/);
    await expect(sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify({ x: 1 }), { type: "order.created" })).rejects.toThrow(
      /does not accept message type "order.created"; it accepts: window, continuation, page/,
    );
    await expect(sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify({ scheduledTime: "2025-01-01T00:00:00Z" }))).rejects.toThrow(
      /bare payload: give its message type with --type/,
    );
    await expect(
      sendMessage(
        ctx,
        "akeneo-main",
        "akeneo-products",
        JSON.stringify({ version: 1, id: "x", integration: "akeneo-main", connector: "akeneo-products", payload: {} }),
      ),
    ).rejects.toThrow(/not a valid envelope v1.*type/);
    const otherQueue = createEnvelope({ id: "x", integration: "erp-main", connector: "oro-orders-to-erp", type: "order.created", payload: {} });
    await expect(sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify(otherQueue))).rejects.toThrow(
      /reached the queue of akeneo-main\/akeneo-products/,
    );
    await expect(sendMessage(ctx, "akeneo-main", "akeneo-products", "{not json")).rejects.toBeInstanceOf(UsageError);
    await expect(sendMessage(ctx, "akeneo-main", "nope", "{}")).rejects.toThrow(/not enabled for integration 'akeneo-main'.*enabled: akeneo-products/);
    expect(await drain(Q.akeneo)).toHaveLength(0);
  });

  it("gives FIFO messages a group id and a deduplication id from the envelope", async () => {
    const body = { topic: "order.created", timestamp: 1_735_689_600, messageId: "wh-fifo", eventData: { data: { type: "orders", id: "7" } } };
    const first = await sendMessage(ctx, "erp-fifo", "oro-orders-to-erp", JSON.stringify(body));
    const again = await sendMessage(ctx, "erp-fifo", "oro-orders-to-erp", JSON.stringify(body), { groupId: "orders" });
    expect(first.groupId).toBe("oro-orders-to-erp");
    expect(again.groupId).toBe("orders");
    const messages = await h.aws.drain(h.url(Q.fifo), 1);
    // The same envelope twice within the dedup window is one message.
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Attributes?.MessageGroupId).toBe("oro-orders-to-erp");
  });

  it("validates without sending on a dry run", async () => {
    const result = await sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify({ scheduledTime: "2025-01-01T00:00:00Z" }), {
      type: "window",
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(result.messageId).toBeUndefined();
    expect(await drain(Q.akeneo)).toHaveLength(0);
  });
});

describe("dlq peek", () => {
  it("decodes bodies and error attributes and leaves every message in the DLQ", async () => {
    await runtimeDlqMessage(Q.akeneoDlq, "w-1");
    await sqsMovedMessage(Q.akeneoDlq, "w-2");
    await h.aws.sqs.send(new SendMessageCommand({ QueueUrl: h.url(Q.akeneoDlq), MessageBody: "not json at all" }));

    const result = await peekDlq(ctx, "akeneo-main", "akeneo-products");
    expect(result.messages).toHaveLength(3);
    const byId = new Map(result.messages.map((m) => [m.envelopeId ?? "raw", m]));
    expect(byId.get("w-1")).toMatchObject({
      deadLetteredBy: "runtime",
      type: "window",
      error: { code: "MALFORMED_MESSAGE", attempt: 1, envelopeId: "w-1", failedAt: "2025-01-01T00:16:00.000Z", connector: "akeneo-products" },
      bodyIsJson: true,
    });
    expect(byId.get("w-2")).toMatchObject({ deadLetteredBy: "sqs-redrive-policy", error: { code: undefined } });
    expect(byId.get("raw")).toMatchObject({ bodyIsJson: false, body: "not json at all" });
    expect(result.messages.every((m) => m.sentAt !== undefined)).toBe(true);
    expect(result.notReleased).toBe(0);
    // Visible again at once: nothing consumed.
    expect(await depth(Q.akeneoDlq)).toEqual({ visible: 3, inFlight: 0 });
  });

  it("stops at --max", async () => {
    for (let i = 0; i < 15; i++) await sqsMovedMessage(Q.akeneoDlq, `w-${i}`);
    const result = await peekDlq(ctx, "akeneo-main", "akeneo-products", { max: 12 });
    expect(result.messages).toHaveLength(12);
    expect(new Set(result.messages.map((m) => m.messageId)).size).toBe(12);
    expect((await depth(Q.akeneoDlq)).visible).toBe(15);
    await expect(peekDlq(ctx, "akeneo-main", "akeneo-products", { max: 0 })).rejects.toBeInstanceOf(UsageError);
  });
});

describe("dlq redrive", () => {
  it("moves everything back with receive/send/delete where StartMessageMoveTask is missing (fauxqs), marking SQS-moved messages", async () => {
    await runtimeDlqMessage(Q.akeneoDlq, "w-1");
    await sqsMovedMessage(Q.akeneoDlq, "w-2");
    const result = await redriveDlq(ctx, "akeneo-main", "akeneo-products");
    expect(result).toMatchObject({ method: "receive-send-delete", moved: 2, kept: 0, failed: 0, notDeleted: 0 });
    expect(result.fallbackReason).toMatch(/StartMessageMoveTask is not available here \(InvalidAction\)/);
    expect(await depth(Q.akeneoDlq)).toEqual({ visible: 0, inFlight: 0 });

    const back = await drain(Q.akeneo);
    const byEnvelope = new Map(back.map((m) => [JSON.parse(m.Body ?? "{}").id as string, m]));
    const runtimeOne = byEnvelope.get("w-1")?.MessageAttributes ?? {};
    expect(runtimeOne.ErrorCode?.StringValue).toBe("MALFORMED_MESSAGE");
    expect(runtimeOne.ErrorMessage?.StringValue).toMatch(/window payload is invalid/);
    expect(runtimeOne.EnvelopeId?.StringValue).toBe("w-1");
    expect(runtimeOne.RedrivenFrom?.StringValue).toBe(Q.akeneoDlq);
    const sqsOne = byEnvelope.get("w-2")?.MessageAttributes ?? {};
    expect(sqsOne.ErrorCode?.StringValue).toBe("REDRIVEN");
    expect(sqsOne.RedrivenFrom?.StringValue).toBe(Q.akeneoDlq);
  });

  it("moves the notifier's dead-lettered alert events back to the alerts queue (`dlq redrive notifier`)", async () => {
    const event = JSON.stringify({ version: 1, kind: "failure", integration: "akeneo-main" });
    await h.aws.sqs.send(new SendMessageCommand({ QueueUrl: h.url(Q.alertsDlq), MessageBody: event }));
    const result = await redriveDlq(ctx, "notifier", undefined);
    expect(result).toMatchObject({ connector: "notifier", dlq: Q.alertsDlq, queue: Q.alerts, moved: 1, failed: 0 });
    expect((await drain(Q.alerts)).map((m) => m.Body)).toEqual([event]);
    expect(await depth(Q.alertsDlq)).toEqual({ visible: 0, inFlight: 0 });
    // Any other single word is still a usage error.
    await expect(redriveDlq(ctx, "akeneo-main", undefined)).rejects.toBeInstanceOf(UsageError);
    expect(await run(["dlq", "redrive", "akeneo-main", "--config", "deploy.config.json"], captureIo())).toBe(2);
  });

  it("moves only the selected messages (--code, --envelope-id, --connector) and keeps the rest visible", async () => {
    await runtimeDlqMessage(Q.akeneoDlq, "w-1", "MALFORMED_MESSAGE");
    await runtimeDlqMessage(Q.akeneoDlq, "w-2", "HTTP_503");
    await runtimeDlqMessage(Q.akeneoDlq, "w-3", "HTTP_503");
    await sqsMovedMessage(Q.akeneoDlq, "w-4");

    const byCode = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { filter: { codes: ["http_503"] } });
    expect(byCode).toMatchObject({ method: "receive-send-delete", moved: 2, kept: 2, failed: 0 });
    expect(byCode.fallbackReason).toBeUndefined();
    expect((await drain(Q.akeneo)).map((m) => JSON.parse(m.Body ?? "{}").id).sort()).toEqual(["w-2", "w-3"]);
    expect(await depth(Q.akeneoDlq)).toEqual({ visible: 2, inFlight: 0 });

    const byId = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { filter: { envelopeIds: ["w-4"], codes: ["none"] } });
    expect(byId).toMatchObject({ moved: 1, kept: 1 });
    expect(byId.items).toEqual([{ messageId: expect.any(String), envelopeId: "w-4", code: undefined }]);

    const none = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { filter: { connectors: ["erp-stock"] } });
    expect(none).toMatchObject({ moved: 0, kept: 1 });
    const byConnector = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { filter: { connectors: ["akeneo-products"] } });
    expect(byConnector).toMatchObject({ moved: 1, kept: 0 });
    expect(await depth(Q.akeneoDlq)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("lists what would move on a dry run and moves nothing; --max bounds a run", async () => {
    for (let i = 0; i < 25; i++) await sqsMovedMessage(Q.akeneoDlq, `w-${i}`);
    const dry = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, moved: 25, kept: 0 });
    expect(dry.items).toHaveLength(25);
    expect(await depth(Q.akeneoDlq)).toEqual({ visible: 25, inFlight: 0 });
    expect(await drain(Q.akeneo)).toHaveLength(0);

    const bounded = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { max: 12 });
    expect(bounded.moved).toBe(12);
    expect((await depth(Q.akeneoDlq)).visible).toBe(13);
  });

  it("keeps group and order attributes on FIFO queues", async () => {
    const body = JSON.stringify({ topic: "order.created", timestamp: 1, messageId: "wh-9", eventData: { data: { type: "orders", id: "9" } } });
    await h.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: h.url("opst-erp-fifo-oro-orders-to-erp-dlq.fifo"),
        MessageBody: body,
        MessageGroupId: "order-9",
        MessageDeduplicationId: "d-9",
      }),
    );
    const result = await redriveDlq(ctx, "erp-fifo", "oro-orders-to-erp");
    expect(result.moved).toBe(1);
    const [message] = await h.aws.drain(h.url(Q.fifo), 1);
    expect(message?.Attributes?.MessageGroupId).toBe("order-9");
    expect(message?.MessageAttributes?.ErrorCode?.StringValue).toBe("REDRIVEN");
  });

  it("makes the runtime send a recovery event for a message SQS's redrive policy had moved", async () => {
    upstream.down = false;
    upstream.broken = false;
    await sqsMovedMessage(Q.loopDlq, "sku-1", "loop-main", "loop-products", "sync");
    expect((await redriveDlq(ctx, "loop-main", "loop-products")).moved).toBe(1);

    const handler = createConnectorHandler(loopConnector, {
      env: {},
      // As the stack sets it: the integration's secret, from which the seal key is derived.
      overrides: {
        integration: "loop-main",
        connector: "loop-products",
        integrationSecretName: SECRET.loop,
        queueUrl: h.url(Q.loop),
        dlqUrl: h.url(Q.loopDlq),
        alertsQueueUrl: h.url(Q.alerts),
        maxReceiveCount: 5,
        recordConcurrency: 1,
        deadlineMarginMs: 500,
        backoffBaseSeconds: 0,
        fifo: false,
      },
    });
    await pollOnce({ sqs: h.aws.sqs, queueUrl: h.url(Q.loop), handler });
    const events = (await drain(Q.alerts)).map((m) => JSON.parse(m.Body ?? "{}"));
    expect(events).toEqual([expect.objectContaining({ kind: "recovery", integration: "loop-main", connector: "loop-products", envelopeId: "sku-1" })]);
  });

  it("throws UnreachableError (exit 3) when SQS cannot be reached", async () => {
    const down = createContext({ local: { ...h.endpoints, sqsEndpoint: "http://127.0.0.1:9" }, configPath: h.configPath });
    try {
      await expect(redriveDlq(down, "akeneo-main", "akeneo-products")).rejects.toBeInstanceOf(UnreachableError);
      await expect(peekDlq(down, "akeneo-main", "akeneo-products")).rejects.toThrow(/cannot reach the local stack's SQS at http:\/\/127.0.0.1:9.*npm start/);
    } finally {
      down.close();
    }
  });

  it("uses StartMessageMoveTask where SQS has it, and follows the task to the end", async () => {
    const calls: string[] = [];
    let polls = 0;
    const real = ctx.sqs;
    const fake = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name.replace(/Command$/, "");
        calls.push(name);
        if (name === "GetQueueUrl" || name === "GetQueueAttributes") return (real.send as (c: unknown) => Promise<unknown>)(command);
        if (name === "StartMessageMoveTask") return { TaskHandle: "task-1" };
        if (name === "ListMessageMoveTasks") {
          polls++;
          return {
            Results: [
              {
                TaskHandle: "task-1",
                Status: polls < 2 ? "RUNNING" : "COMPLETED",
                ApproximateNumberOfMessagesMoved: polls < 2 ? 3 : 7,
                ApproximateNumberOfMessagesToMove: 7,
              },
            ],
          };
        }
        throw new Error(`unexpected ${name}`);
      },
      destroy: () => undefined,
    };
    ctx.sqs = fake as unknown as typeof ctx.sqs;
    try {
      const result = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { pollIntervalMs: 5 });
      expect(result).toMatchObject({ method: "move-task", moved: 7, taskStatus: "COMPLETED", taskHandle: "task-1", failed: 0 });
      expect(result.notes.join(" ")).toMatch(/--copy/);
      expect(calls.filter((c) => c === "StartMessageMoveTask")).toHaveLength(1);
      expect(calls).not.toContain("ReceiveMessage");
    } finally {
      ctx.sqs = real;
    }
  });
});

describe("backfill", () => {
  const now = new Date("2025-03-01T00:00:00Z");

  it("cuts a range into schedule windows, the last one ending at --to", () => {
    expect(windowEnds(new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T00:40:00Z"), 15).map((d) => d.toISOString())).toEqual([
      "2025-01-01T00:15:00.000Z",
      "2025-01-01T00:30:00.000Z",
      "2025-01-01T00:40:00.000Z",
    ]);
  });

  it("enqueues the same envelope the schedule sends, one per window, id = the window's end", async () => {
    const result = await backfill(ctx, "akeneo-main", "akeneo-products", { from: "2025-01-01T00:00:00Z", to: "2025-01-01T02:00:00Z", now });
    expect(result).toMatchObject({ type: "window", intervalMinutes: 15, overlapMinutes: 5, payloadForm: "scheduledTime", sent: 8, failed: 0 });
    const bodies = (await drain(Q.akeneo)).map((m) => JSON.parse(m.Body ?? "{}"));
    expect(bodies.map((b) => b.id).sort()).toEqual(result.windows.map((w) => w.id));
    expect(bodies.find((b) => b.id === "2025-01-01T00:15:00Z")).toEqual({
      version: 1,
      id: "2025-01-01T00:15:00Z",
      integration: "akeneo-main",
      connector: "akeneo-products",
      type: "window",
      createdAt: expect.any(String),
      payload: { scheduledTime: "2025-01-01T00:15:00Z" },
    });
    expect(result.windows[0]).toMatchObject({ from: "2024-12-31T23:55:00Z", to: "2025-01-01T00:15:00Z" });
    const akeneo = connectors.find((c) => c.type === "akeneo-products")!;
    for (const b of bodies) expect(parseRecordBody(JSON.stringify(b), akeneo, { integration: "akeneo-main", connector: "akeneo-products" }).ok).toBe(true);
  });

  it("sends {from, to} when the connector's window message takes only explicit bounds", async () => {
    const result = await backfill(ctx, "range-main", "ops-range", { from: "2025-01-01T00:00:00Z", to: "2025-01-01T03:00:00Z", now });
    expect(result).toMatchObject({ payloadForm: "from-to", intervalMinutes: 60, sent: 3 });
    const bodies = (await drain(Q.range)).map((m) => JSON.parse(m.Body ?? "{}"));
    expect(bodies.find((b) => b.id === "2025-01-01T02:00:00Z")?.payload).toEqual({ from: "2025-01-01T00:55:00Z", to: "2025-01-01T02:00:00Z" });
  });

  it("lists windows on a dry run and refuses ranges over the cap, in the future, or without an interval", async () => {
    const dry = await backfill(ctx, "akeneo-main", "akeneo-products", { from: "2025-01-01T00:00:00Z", to: "2025-01-01T01:00:00Z", dryRun: true, now });
    expect(dry.windows.map((w) => w.id)).toEqual(["2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:45:00Z", "2025-01-01T01:00:00Z"]);
    expect(dry.sent).toBe(0);
    expect(await drain(Q.akeneo)).toHaveLength(0);

    await expect(backfill(ctx, "akeneo-main", "akeneo-products", { from: "2025-01-01T00:00:00Z", to: "2025-01-31T00:00:00Z", now })).rejects.toThrow(
      /2880 windows of 15 min, over the cap of 500/,
    );
    await expect(
      backfill(ctx, "akeneo-main", "akeneo-products", { from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z", maxWindows: 10, now }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(backfill(ctx, "akeneo-main", "akeneo-products", { from: "2025-02-28T00:00:00Z", to: "2025-03-02T00:00:00Z", now })).rejects.toThrow(
      /in the future/,
    );
    await expect(backfill(ctx, "akeneo-main", "akeneo-products", { from: "yesterday", to: "2025-01-02T00:00:00Z", now })).rejects.toThrow(
      /--from "yesterday" is not an ISO 8601 time/,
    );
    await expect(backfill(ctx, "loop-main", "loop-products", { from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z", now })).rejects.toThrow(
      /no schedule; give the message type with --type/,
    );
    // The orders connector has a schedule (its reconciliation window), so a backfill of it is windows too.
    const orders = await backfill(ctx, "erp-main", "oro-orders-to-erp", { from: "2025-01-01T00:00:00Z", to: "2025-01-01T01:00:00Z", dryRun: true, now });
    expect(orders.windows.map((w) => w.id)).toEqual(["2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:45:00Z", "2025-01-01T01:00:00Z"]);
    expect(await drain(Q.akeneo)).toHaveLength(0);
  });
});

describe("check", () => {
  /** The webhook `ops webhook register` would create (owned by the API user). */
  const registerOrderWebhook = async () => {
    const oro = createOroClient({
      getConnection: async () => ({ baseUrl: h.oro.url, apiPrefix: "/admin/api", clientId: "ops-cli", clientSecret: "ops-cli-oauth-secret" }),
    });
    await oro.create({
      type: "webhooks",
      attributes: { notificationUrl: "https://ingress.example.test/", secret: "whsec-check-0123456789" },
      relationships: { topic: { data: { type: "webhooktopics", id: "order.created" } }, format: { data: { type: "webhookformats", id: "default" } } },
    });
  };
  it("passes when secrets, Oro and the external system are all right, listing what it checked", async () => {
    const akeneo = await checkIntegration(ctx, "akeneo-main");
    expect(akeneo.ok).toBe(true);
    expect(akeneo.checks.map((c) => `${c.status} ${c.name}`)).toEqual([
      "ok akeneo secret",
      "ok akeneo settings",
      "ok Oro secret",
      "ok Oro connection settings",
      "ok Oro authentication",
      "ok Oro read products",
      "ok Oro read notificationalerts",
      "ok Oro CREATE products",
      "ok Oro EDIT products",
      "ok Oro CREATE notificationalerts",
      "ok Oro EDIT notificationalerts",
      "ok akeneo connection",
      "ok akeneo-products identifier attribute",
    ]);
    await h.oro.admin.reset({ seed: false });
    await registerOrderWebhook();
    const erp = await checkIntegration(ctx, "erp-main");
    expect(erp.ok, JSON.stringify(erp.checks)).toBe(true);
    expect(erp.checks.map((c) => c.name)).toContain("Oro read orders");
    expect(erp.checks.find((c) => c.name === "Oro EDIT orders")?.detail).toMatch(
      /^PATCH orders\/0 answered 404: the API user has EDIT \(used by oro-orders-to-erp\); nothing was written$/,
    );
    expect(erp.checks.find((c) => c.name === "Oro webhook order.created owner")).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/owned by the API user 1, who has VIEW on orders/),
    });
    expect(erp.checks.find((c) => c.name === "erp connection")?.detail).toMatch(/GET \/stock\?limit=1/);
    // The probes wrote nothing.
    expect(h.oro.store.list("notificationalerts")).toEqual([]);
    expect(h.oro.store.mustTable("orders").get("0")).toBeUndefined();
  });

  it("names each permission the deployment lacks: write rights per resource, and VIEW of the webhook owner", async () => {
    await h.oro.admin.reset({ seed: false });
    await registerOrderWebhook();
    h.oro.acl.deny({ type: "orders", permission: "EDIT" });
    h.oro.acl.deny({ type: "notificationalerts", permission: "CREATE" });
    const denied = await checkIntegration(ctx, "erp-main");
    expect(denied.ok).toBe(false);
    const failed = denied.checks.filter((c) => c.status === "failed");
    expect(failed.map((c) => c.name)).toEqual(["Oro EDIT orders", "Oro CREATE notificationalerts"]);
    expect(failed[0]).toMatchObject({
      detail: "Oro denies EDIT on orders (403): oro-orders-to-erp cannot write",
      hint: expect.stringContaining("grant the API user's role EDIT on orders"),
    });
    expect(failed[1]?.hint).toMatch(/Create notification alerts via API/);

    // Without VIEW on orders the webhook's deliveries are skipped (and the connector cannot read them either).
    h.oro.acl.reset();
    h.oro.acl.deny({ type: "orders", permission: "VIEW" });
    const noView = await checkIntegration(ctx, "erp-main");
    expect(noView.checks.find((c) => c.name === "Oro webhook order.created owner")).toMatchObject({
      status: "failed",
      detail: "the webhook's owner (the API user 1) has no VIEW on orders: Oro skips every order.created delivery",
    });

    // A webhook owned by someone else cannot be vouched for; none at all means no events.
    h.oro.acl.reset();
    for (const w of h.oro.store.list("webhooks"))
      h.oro.store.mustTable("webhooks").put({ ...w, relationships: { ...w.relationships, owner: { type: "users", id: "7" } } });
    const foreign = await checkIntegration(ctx, "erp-main");
    expect(foreign.checks.find((c) => c.name === "Oro webhook order.created owner")).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(/is owned by user 7, not the API user 1/),
    });
    for (const w of h.oro.store.list("webhooks")) h.oro.store.mustTable("webhooks").delete(w.id);
    const none = await checkIntegration(ctx, "erp-main");
    expect(none.checks.find((c) => c.name === "Oro webhook order.created")).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("oro-connectors webhook register --url <WebhookUrl> --topic order.created"),
    });
    expect(none.ok).toBe(true);
  });

  it("fails with a hint per problem, and never prints a secret", async () => {
    h.aws.secrets.put(SECRET.akeneo, { baseUrl: h.akeneo.url, ...h.akeneo.credentials, password: "wrong-password-xyz" });
    h.aws.secrets.put(SECRET.oro, { baseUrl: h.oro.url, clientId: "ops-cli", clientSecret: "not-the-secret-abc" });
    const result = await checkIntegration(ctx, "akeneo-main");
    expect(result.ok).toBe(false);
    const byName = new Map(result.checks.map((c) => [c.name, c]));
    expect(byName.get("Oro authentication")).toMatchObject({ status: "failed", hint: expect.stringMatching(/OAuth application/) });
    expect(byName.get("Oro permissions")?.status).toBe("skipped");
    expect(byName.get("akeneo connection")).toMatchObject({ status: "failed", hint: expect.stringMatching(/refused the credentials/) });
    const printed = JSON.stringify(result);
    expect(printed).not.toContain("wrong-password-xyz");
    expect(printed).not.toContain("not-the-secret-abc");
  });

  it("prints base URLs without user info or secret-looking query values", async () => {
    const url = new URL(h.oro.url);
    url.username = "ops-user";
    url.password = "pa55-in-the-url";
    url.searchParams.set("access_token", "tok-in-the-url-123");
    h.aws.secrets.put(SECRET.oro, { baseUrl: url.toString(), clientId: "ops-cli", clientSecret: "not-the-secret-abc" });
    const result = await checkIntegration(ctx, "erp-main");
    const detail = result.checks.find((c) => c.name === "Oro connection settings")?.detail ?? "";
    expect(detail).toContain(`baseUrl http://127.0.0.1:${url.port}/?access_token=[REDACTED]`);
    const printed = JSON.stringify(result);
    expect(printed).not.toContain("pa55-in-the-url");
    expect(printed).not.toContain("tok-in-the-url-123");
  });

  it("reports a secret of the wrong shape by field, and a missing secret", async () => {
    h.aws.secrets.put(SECRET.erp, { baseUrl: "not a url", apiKey: "" });
    const bad = await checkIntegration(ctx, "erp-main");
    const settings = bad.checks.find((c) => c.name === "erp settings");
    expect(settings).toMatchObject({ status: "failed" });
    expect(settings?.detail).toMatch(/baseUrl/);
    expect(settings?.detail).toMatch(/apiKey/);
    expect(bad.checks.find((c) => c.name === "erp connection")).toBeUndefined();

    const config = JSON.parse(
      JSON.stringify({
        oroSecretName: "ops/missing-oro",
        region: "us-east-1",
        stackName: "opst",
        integrations: [{ name: "erp-main", type: "erp", secretName: "ops/missing", connectors: { "oro-orders-to-erp": {} } }],
      }),
    );
    const path = join(h.dir, "missing.config.json");
    writeFileSync(path, JSON.stringify(config));
    const other = createContext({ local: h.endpoints, configPath: path, registry: testRegistry });
    try {
      const missing = await checkIntegration(other, "erp-main");
      expect(missing.ok).toBe(false);
      expect(missing.checks.map((c) => `${c.status} ${c.name}`)).toEqual(["failed erp secret", "failed Oro secret"]);
      expect(missing.checks[0]?.detail).toMatch(/does not exist/);
    } finally {
      other.close();
    }
  });

  it("throws UnreachableError (exit 3) when Secrets Manager cannot be reached", async () => {
    const down = createContext({ local: { ...h.endpoints, secretsManagerEndpoint: "http://127.0.0.1:9" }, configPath: h.configPath });
    try {
      const error = await checkIntegration(down, "erp-main").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as OpsError).exitCode).toBe(ExitCode.unreachable);
    } finally {
      down.close();
    }
  });
});

describe("status", () => {
  const alert = (attributes: Record<string, unknown>) =>
    fetch(`${h.oro.url}/oauth2-token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=ops-cli&client_secret=ops-cli-oauth-secret`,
    })
      .then((r) => r.json() as Promise<{ access_token: string }>)
      .then(({ access_token }) =>
        fetch(`${h.oro.url}/admin/api/notificationalerts`, {
          method: "POST",
          headers: { authorization: `Bearer ${access_token}`, "content-type": "application/vnd.api+json", accept: "application/vnd.api+json" },
          body: JSON.stringify({
            data: {
              type: "notificationalerts",
              id: randomUUID(),
              attributes: { resourceType: "products", operation: "import", alertType: "sync", ...attributes },
            },
          }),
        }),
      )
      .then((r) => expect(r.status).toBe(201));

  beforeEach(async () => {
    await h.oro.admin.reset({ seed: false });
  });

  it("reports no failures when every queue is empty and no alert is open", async () => {
    const result = await status(ctx, { integration: "akeneo-main" });
    expect(result.failuresFound).toBe(false);
    expect(result.connectors).toHaveLength(1);
    expect(result.connectors[0]).toMatchObject({
      integration: "akeneo-main",
      connector: "akeneo-products",
      schedule: "rate(15 minutes)",
      queue: { visible: 0, inFlight: 0, oldestAgeSource: "not-measured" },
      dlq: { visible: 0, oldestAgeSeconds: undefined },
      runs: { available: true, lastSucceeded: undefined, lastFailed: undefined, current: undefined },
      backlog: 0,
      lastRecovered: undefined,
    });
    expect(result.alerts).toEqual({ available: true, unresolved: 0, items: [] });
  });

  it("shows depths, the oldest DLQ message, unresolved alerts first and the last recovery", async () => {
    await sendMessage(ctx, "akeneo-main", "akeneo-products", JSON.stringify({ scheduledTime: "2025-01-01T00:00:00Z" }), { type: "window" });
    await runtimeDlqMessage(Q.akeneoDlq, "w-1");
    await sqsMovedMessage(Q.akeneoDlq, "w-2");
    await alert({
      sourceType: "akeneo-main",
      step: "window",
      message: "Akeneo answered 503",
      resolved: true,
      additionalInfo: { connector: "akeneo-products", envelopeId: "2025-01-01T00:15:00Z", count: 1 },
    });
    await alert({
      sourceType: "akeneo-main",
      step: "page",
      externalId: "SKU-1",
      message: "name is missing",
      additionalInfo: { connector: "akeneo-products", envelopeId: "p-1", count: 3 },
    });
    await alert({ sourceType: "someone-else", message: "not ours" });

    const result = await status(ctx, { now: new Date(Date.now() + 60_000) });
    expect(result.failuresFound).toBe(true);
    const akeneo = result.connectors.find((c) => c.connector === "akeneo-products");
    expect(akeneo?.queue.visible).toBe(1);
    expect(akeneo?.dlq).toMatchObject({ visible: 2, oldestAgeSource: "peek" });
    expect(akeneo?.dlq.oldestAgeSeconds).toBeGreaterThanOrEqual(59);
    expect(akeneo?.lastRecovered).toMatchObject({ envelopeId: "2025-01-01T00:15:00Z" });
    expect(result.connectors.find((c) => c.connector === "oro-orders-to-erp")?.dlq.visible).toBe(0);
    expect(await depth(Q.akeneoDlq)).toEqual({ visible: 2, inFlight: 0 });
    if (!result.alerts.available) throw new Error(result.alerts.error);
    expect(result.alerts.unresolved).toBe(1);
    expect(result.alerts.items.map((a) => [a.resolved, a.externalId ?? null, a.count])).toEqual([
      [false, "SKU-1", 3],
      [true, null, 1],
    ]);
  });

  it("still reports the queues when Oro cannot be reached", async () => {
    h.aws.secrets.put(SECRET.oro, { baseUrl: "http://127.0.0.1:9", clientId: "x", clientSecret: "y" });
    const result = await status(ctx, {});
    expect(result.alerts.available).toBe(false);
    expect(result.connectors.length).toBeGreaterThan(0);
  });
});

describe("webhook (register-webhook as a subcommand)", () => {
  it("registers, lists and deletes with the Oro secret from the deploy config", async () => {
    // The signing secret on stdin, not inline (ps and shell history would see it).
    const io = captureIo("0123456789abcdef-signing\n");
    const base = ["--local", "--endpoints", h.endpointsPath];
    const url = "https://ingress.example.test/";
    const code = await run(["webhook", "register", "--url", url, "--topic", "order.created", "--secret-file", "-", ...base], io);
    expect(io.stderr.join("\n")).toBe("");
    expect(code).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/created webhook .*: topic order.created -> https:\/\/ingress.example.test\//);
    expect(await run(["webhook", "list", "--url", url, ...base], io)).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/found webhook/);
    expect(await run(["webhook", "delete", "--url", url, ...base], io)).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/deleted webhook/);
    expect(io.stdout.join("\n")).not.toContain("0123456789abcdef-signing");
    expect(await run(["webhook", "frobnicate", ...base], io)).toBe(ExitCode.usage);
  });
});

describe("backfill: windows that leave no gaps", () => {
  it("sends explicit bounds when --interval differs from the schedule's rate, so the windows still touch", async () => {
    const result = await backfill(ctx, "akeneo-main", "akeneo-products", {
      from: "2025-01-01T00:00:00Z",
      to: "2025-01-01T03:00:00Z",
      intervalMinutes: 60,
      now: new Date("2026-01-01T00:00:00Z"),
    });
    expect(result).toMatchObject({ payloadForm: "from-to", intervalMinutes: 60, sent: 3 });
    const windows = result.windows.map((w) => ({ from: w.from, to: w.to }));
    // Each window starts (minus the overlap) where the previous one ended.
    for (let i = 1; i < windows.length; i++)
      expect(new Date(windows[i]?.from ?? "").getTime()).toBeLessThanOrEqual(new Date(windows[i - 1]?.to ?? "").getTime());
    expect(windows[0]?.from).toBe("2024-12-31T23:55:00Z");
  });
});
