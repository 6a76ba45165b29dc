import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ALERT_EVENT_VERSION, type FailureEvent } from "../shared/alerts";
import { SQS_MAX_MESSAGE_BYTES } from "../shared/aws";
import { registerSecretValues } from "../shared/observability";
import { QueueActions } from "../shared/runtime";

/**
 * The SQS calls of the runtime with exact values (issue 16, mutation testing): the DLQ copy and its
 * reason attributes, what gives way when a body leaves no room, FIFO ids, alert and fan-out
 * batches, visibility changes, and the errors when SQS refuses. The SQS client records the
 * commands (a unit test of one class; the runtime suites run the same on fauxqs).
 */
type Sent = { name: string; input: Record<string, unknown> };
const recorder = (answer: (command: Sent) => unknown = () => ({})) => {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const entry = { name: command.constructor.name, input: command.input };
      sent.push(entry);
      return answer(entry);
    },
  } as unknown as SQSClient;
  return { sqs: async () => client, sent };
};
const urls = (over: Partial<{ queueUrl: string | undefined; fifo: boolean }> = {}) => ({
  queueUrl: "https://sqs/q",
  dlqUrl: "https://sqs/dlq",
  alertsQueueUrl: "https://sqs/alerts",
  fifo: false,
  connector: "erp-stock",
  integration: "erp-main",
  ...over,
});
const reason = { code: "VALIDATION", message: "sku: not blank", connector: "erp-stock", integration: "erp-main", attempt: 2, envelopeId: "e-1" };
const attr = (value: string, type = "String") => ({ DataType: type, StringValue: value });

describe("Class: QueueActions.sendToDlq", () => {
  it("copies the body with the reason and where it came from", async () => {
    const r = recorder();
    await new QueueActions(r.sqs, urls()).sendToDlq('{"a":1}', { ...reason, externalId: "SKU-1", itemId: 7 }, { messageId: "m-1" });
    expect(r.sent).toHaveLength(1);
    const { name, input } = r.sent[0] as Sent;
    expect(name).toBe("SendMessageCommand");
    expect(input.QueueUrl).toBe("https://sqs/dlq");
    expect(input.MessageBody).toBe('{"a":1}');
    const attributes = input.MessageAttributes as Record<string, { DataType: string; StringValue: string }>;
    expect({ ...attributes, FailedAt: undefined }).toEqual({
      ErrorCode: attr("VALIDATION"),
      ErrorMessage: attr("sku: not blank"),
      Connector: attr("erp-stock"),
      Integration: attr("erp-main"),
      Attempt: attr("2", "Number"),
      FailedAt: undefined,
      SourceMessageId: attr("m-1"),
      EnvelopeId: attr("e-1"),
      ExternalId: attr("SKU-1"),
      ItemId: attr("7", "Number"),
    });
    expect(Date.parse(attributes.FailedAt?.StringValue ?? "")).not.toBeNaN();
    expect(input.MessageGroupId).toBeUndefined();
  });

  it("redacts the reason, says (no message) for an empty one, cuts it to 1,000 characters and replaces what SQS refuses", async () => {
    registerSecretValues({ apiKey: "erp-key-queue-actions-1" });
    const r = recorder();
    const actions = new QueueActions(r.sqs, urls());
    await actions.sendToDlq("b", { ...reason, message: "key erp-key-queue-actions-1 refused" }, { messageId: "m" });
    await actions.sendToDlq("b", { ...reason, message: "" }, { messageId: "m" });
    await actions.sendToDlq("b", { ...reason, message: `${"x".repeat(999)}\u{1F600}tail` }, { messageId: "m" });
    await actions.sendToDlq("b", { ...reason, message: "nul \u0000 lone \ud800 end", envelopeId: "id-\ufffe" }, { messageId: "m" });
    const message = (i: number, name = "ErrorMessage") => (r.sent[i]?.input.MessageAttributes as Record<string, { StringValue: string }>)[name]?.StringValue;
    expect(message(0)).toBe("key *** refused");
    expect(message(1)).toBe("(no message)");
    // A cut never splits a surrogate pair.
    expect(message(2)).toBe("x".repeat(999));
    expect(message(3)).toBe("nul \ufffd lone \ufffd end");
    expect(message(3, "EnvelopeId")).toBe("id-\ufffd");
  });

  it("gives FIFO DLQ copies a group (the source's, else the connector) and a stable dedup id", async () => {
    const r = recorder();
    const actions = new QueueActions(r.sqs, urls({ fifo: true }));
    await actions.sendToDlq("body", reason, { messageId: "m-1", groupId: "orders:42" });
    await actions.sendToDlq("body", reason, { messageId: "m-1" });
    await actions.sendToDlq("body", { ...reason, code: "OTHER" }, { messageId: "m-1" });
    const [a, b, c] = r.sent.map((s) => s.input);
    expect([a?.MessageGroupId, b?.MessageGroupId]).toEqual(["orders:42", "erp-stock"]);
    expect(a?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(b?.MessageDeduplicationId).toBe(a?.MessageDeduplicationId);
    expect(c?.MessageDeduplicationId).not.toBe(a?.MessageDeduplicationId);
  });

  it("drops the optional attributes first when the body leaves little room, the reason last", async () => {
    const r = recorder();
    const actions = new QueueActions(r.sqs, urls());
    const names = (i: number) => Object.keys(r.sent[i]?.input.MessageAttributes as object).sort();
    // Bytes SQS counts (name + type + value): ErrorCode 25, ErrorMessage 32, Connector 24,
    // Integration 25, SourceMessageId 22. 103 bytes of room: Integration goes, Connector stays.
    await actions.sendToDlq("x".repeat(SQS_MAX_MESSAGE_BYTES - 103), { ...reason, externalId: "SKU-1", itemId: 1 }, { messageId: "m" });
    expect(names(0)).toEqual(["Connector", "ErrorCode", "ErrorMessage", "SourceMessageId"]);
    await actions.sendToDlq("x".repeat(SQS_MAX_MESSAGE_BYTES - 102), reason, { messageId: "m" });
    expect(names(1)).toEqual(["ErrorCode", "ErrorMessage", "SourceMessageId"]);
    // Room for a shortened message only.
    // 60 bytes: ErrorCode (25) and ErrorMessage with 60 - 25 - 18 = 17 characters of its text.
    await actions.sendToDlq("x".repeat(SQS_MAX_MESSAGE_BYTES - 60), { ...reason, message: "m".repeat(200) }, { messageId: "m" });
    expect(names(2)).toEqual(["ErrorCode", "ErrorMessage"]);
    const short = (r.sent[2]?.input.MessageAttributes as Record<string, { StringValue: string }>).ErrorMessage?.StringValue ?? "";
    expect(short).toBe("m".repeat(17));
    // A body at the limit: no attribute at all.
    await actions.sendToDlq("x".repeat(SQS_MAX_MESSAGE_BYTES), reason, { messageId: "m" });
    expect(names(3)).toEqual([]);
    // 25 bytes: ErrorCode alone.
    await actions.sendToDlq("x".repeat(SQS_MAX_MESSAGE_BYTES - 25), reason, { messageId: "m" });
    expect(names(4)).toEqual(["ErrorCode"]);
  });

  it("turns an SQS refusal into a transient error that names it, redacted", async () => {
    registerSecretValues({ apiKey: "erp-key-queue-actions-2" });
    const r = recorder(() => {
      throw Object.assign(new Error("denied for erp-key-queue-actions-2"), { name: "AccessDenied" });
    });
    const error = (await new QueueActions(r.sqs, urls()).sendToDlq("b", reason, { messageId: "m" }).catch((e: unknown) => e)) as Error & { code?: string };
    expect([error.message, error.code, error.constructor.name]).toEqual([
      "could not send the message to the DLQ: AccessDenied: denied for ***",
      "DLQ_SEND_FAILED",
      "TransientError",
    ]);
  });
});

const failure: FailureEvent = {
  version: ALERT_EVENT_VERSION,
  kind: "failure",
  integration: "erp-main",
  entity: "products",
  operation: "import",
  step: "levels",
  alertType: "sync",
  connector: "erp-stock",
  code: "HTTP_503",
  message: "ERP answered 503",
  attempts: 5,
  disposition: "exhausted",
  occurredAt: "2026-12-01T10:00:00.000Z",
};

describe("Class: QueueActions.emit / enqueue", () => {
  it("sends alert events in batches of ten to the alerts queue, redacted and SQS-safe", async () => {
    registerSecretValues({ apiKey: "erp-key-queue-actions-3" });
    const r = recorder(() => ({ Failed: [] }));
    await new QueueActions(r.sqs, urls()).emit(
      Array.from({ length: 12 }, (_, i) => ({ ...failure, message: i === 0 ? "key erp-key-queue-actions-3 \u{1F600}" : `n${i}` })),
    );
    expect(r.sent.map((s) => [s.name, s.input.QueueUrl, (s.input.Entries as unknown[]).length])).toEqual([
      ["SendMessageBatchCommand", "https://sqs/alerts", 10],
      ["SendMessageBatchCommand", "https://sqs/alerts", 2],
    ]);
    const first = (r.sent[0]?.input.Entries as Array<{ Id: string; MessageBody: string }>)[0];
    expect(first?.Id).toBe("0");
    expect(first?.MessageBody).toContain("key *** \\ud83d\\ude00");
    expect(JSON.parse(first?.MessageBody ?? "{}")).toMatchObject({ message: "key *** \u{1F600}" });
  });

  it("says how many of a batch SQS refused, and why the first one was", async () => {
    const r = recorder(() => ({ Failed: [{ Id: "1", Code: "InvalidMessageContents", Message: "bad" }, { Id: "2" }] }));
    const error = (await new QueueActions(r.sqs, urls()).emit([failure, failure, failure]).catch((e: unknown) => e)) as Error & { code?: string };
    expect([error.message, error.code]).toEqual(["could not send 2 of 3 messages to the alerts queue: InvalidMessageContents: bad", "ALERT_SEND_FAILED"]);
    const thrown = recorder(() => {
      throw Object.assign(new Error("down"), { name: "ServiceUnavailable" });
    });
    const down = (await new QueueActions(thrown.sqs, urls()).enqueue([{ type: "page", id: "p-1", payload: {} }], "c", 1).catch((e: unknown) => e)) as Error & {
      code?: string;
    };
    expect([down.message, down.code]).toEqual(["could not send to the connector queue: ServiceUnavailable: down", "ENQUEUE_FAILED"]);
  });

  it("wraps fan-out messages in envelopes on its own queue, with FIFO ids from type and id", async () => {
    const r = recorder(() => ({}));
    await new QueueActions(r.sqs, urls({ queueUrl: "https://sqs/q.fifo", fifo: true })).enqueue(
      [
        { type: "page", id: "p-1", payload: { n: 1 }, groupId: "g" },
        { type: "page", id: "p-2", payload: { n: 2 } },
      ],
      "corr-1",
      3,
    );
    const entries = r.sent[0]?.input.Entries as Array<{ Id: string; MessageBody: string; MessageGroupId: string; MessageDeduplicationId: string }>;
    expect(r.sent[0]?.input.QueueUrl).toBe("https://sqs/q.fifo");
    expect(entries.map((e) => [e.Id, e.MessageGroupId])).toEqual([
      ["0", "g"],
      ["1", "erp-stock"],
    ]);
    expect(entries[0]?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]?.MessageDeduplicationId).not.toBe(entries[1]?.MessageDeduplicationId);
    expect(JSON.parse(entries[0]?.MessageBody ?? "{}")).toMatchObject({
      version: 1,
      id: "p-1",
      integration: "erp-main",
      connector: "erp-stock",
      type: "page",
      correlationId: "corr-1",
      hop: 3,
      payload: { n: 1 },
    });
    await expect(new QueueActions(r.sqs, urls({ queueUrl: undefined })).enqueue([{ type: "page", id: "p", payload: {} }], "c", 1)).rejects.toThrow(
      "this function has no QUEUE_URL to fan out to",
    );
  });
});

describe("Class: QueueActions.changeVisibility", () => {
  const record = { receiptHandle: "rh-1", eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:erp-stock-q" } as SQSRecord;
  it("changes the visibility on the function's queue, else on the queue named by the record's ARN", async () => {
    const r = recorder();
    expect(await new QueueActions(r.sqs, urls()).changeVisibility(record, 30)).toBe(true);
    expect(await new QueueActions(r.sqs, urls({ queueUrl: undefined })).changeVisibility(record, 0)).toBe(true);
    expect(r.sent.map((s) => [s.name, s.input])).toEqual([
      ["ChangeMessageVisibilityCommand", { QueueUrl: "https://sqs/q", ReceiptHandle: "rh-1", VisibilityTimeout: 30 }],
      [
        "ChangeMessageVisibilityCommand",
        { QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/erp-stock-q", ReceiptHandle: "rh-1", VisibilityTimeout: 0 },
      ],
    ]);
  });
  it("reports false instead of throwing when SQS refuses (the queue's own timeout applies)", async () => {
    const r = recorder(() => {
      throw new Error("receipt handle expired");
    });
    expect(await new QueueActions(r.sqs, urls()).changeVisibility(record, 30)).toBe(false);
  });
});
