import type { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { ALERT_EVENT_VERSION, type FailureEvent } from "../shared/alerts";
import { SQS_MAX_MESSAGE_BYTES, sqsEntryBytes } from "../shared/aws";
import { QueueActions, sealKeyOf, sealOf, verifySeal } from "../shared/runtime";

/**
 * The DLQ copy's attributes byte for byte (issue 16, mutation testing, beside
 * runtime-queue-actions.test.ts): where a cut of the reason lands next to a surrogate pair, which
 * attributes a sealed copy keeps when the body leaves just enough room (the seal's 64 hex
 * characters count from the start), a reason that cannot be shortened to a non-empty text, and
 * the exact error codes and texts when there is no queue to send to or SQS refuses an entry
 * without saying why. The SQS client records the commands (a unit test of one class).
 *
 * Bytes SQS counts per attribute: name + data type + value (shared/aws sqsEntryBytes). For the
 * reason below: ErrorCode 9+6+10 = 25, ErrorMessage 12+6+14 = 32, Connector 9+6+9 = 24,
 * Integration 11+6+8 = 25, Attempt 7+6+1 = 14, FailedAt 8+6+24 = 38, SourceMessageId 15+6+1 = 22,
 * EnvelopeId 10+6+3 = 19, AttributeSeal 13+6+64 = 83.
 */
type Attributes = Record<string, { DataType: string; StringValue: string }>;
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
  return { sqs: async () => client, sent, attributes: (i: number) => sent[i]?.input.MessageAttributes as Attributes };
};
const urls = (over: Partial<{ queueUrl: string | undefined; alertsQueueUrl: string | undefined }> = {}) => ({
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
const key = sealKeyOf({ apiKey: "dlq-attributes-seal-key-1" });
const sealed = (r: ReturnType<typeof recorder>) => new QueueActions(r.sqs, urls(), async () => key);
/** A body that leaves `room` bytes for the attributes. */
const bodyLeaving = (room: number) => "x".repeat(SQS_MAX_MESSAGE_BYTES - room);
const names = (attributes: Attributes) => Object.keys(attributes).sort();

describe("Class: QueueActions.sendToDlq (attribute text)", () => {
  it("cuts the reason at 1,000 UTF-16 units, dropping only a high surrogate the cut would leave alone", async () => {
    const r = recorder();
    const actions = new QueueActions(r.sqs, urls());
    // A pair at the start, the cut in plain text: 2 + 998 units, nothing more taken.
    await actions.sendToDlq("b", { ...reason, message: `\u{1F600}${"x".repeat(1_000)}` }, { messageId: "m" });
    // The cut between the two halves of a pair: 999 units.
    await actions.sendToDlq("b", { ...reason, message: `${"y".repeat(999)}\u{1F600}` }, { messageId: "m" });
    // Exactly 1,000 units, ending in a pair: kept whole.
    await actions.sendToDlq("b", { ...reason, message: `${"z".repeat(998)}\u{1F600}` }, { messageId: "m" });
    expect(r.attributes(0).ErrorMessage).toEqual(attr(`\u{1F600}${"x".repeat(998)}`));
    expect(r.attributes(1).ErrorMessage).toEqual(attr("y".repeat(999)));
    expect(r.attributes(2).ErrorMessage).toEqual(attr(`${"z".repeat(998)}\u{1F600}`));
  });

  it("writes ItemId only when the reason has one (0 included), EnvelopeId and ExternalId only when non-empty", async () => {
    const r = recorder();
    const actions = new QueueActions(r.sqs, urls());
    await actions.sendToDlq("b", reason, { messageId: "m-1" });
    await actions.sendToDlq("b", { ...reason, envelopeId: "", externalId: "", itemId: 0 }, { messageId: "m-2" });
    expect({ ...r.attributes(0), FailedAt: undefined }).toEqual({
      ErrorCode: attr("VALIDATION"),
      ErrorMessage: attr("sku: not blank"),
      Connector: attr("erp-stock"),
      Integration: attr("erp-main"),
      Attempt: attr("2", "Number"),
      FailedAt: undefined,
      SourceMessageId: attr("m-1"),
      EnvelopeId: attr("e-1"),
    });
    expect(names(r.attributes(1))).toEqual(["Attempt", "Connector", "ErrorCode", "ErrorMessage", "FailedAt", "Integration", "ItemId", "SourceMessageId"]);
    expect(r.attributes(1).ItemId).toEqual(attr("0", "Number"));
  });
});

describe("Class: QueueActions.sendToDlq (SQS's 10 attributes)", () => {
  it("drops SourceMessageId for the seal when all ten reason attributes are set, and keeps it when one is missing", async () => {
    const r = recorder();
    await sealed(r).sendToDlq("b", { ...reason, externalId: "SKU-1", itemId: 7 }, { messageId: "m-1" });
    await sealed(r).sendToDlq("b", { ...reason, externalId: "SKU-1" }, { messageId: "m-2" });
    expect(names(r.attributes(0))).toEqual([
      "Attempt",
      "AttributeSeal",
      "Connector",
      "EnvelopeId",
      "ErrorCode",
      "ErrorMessage",
      "ExternalId",
      "FailedAt",
      "Integration",
      "ItemId",
    ]);
    expect(names(r.attributes(1))).toEqual([
      "Attempt",
      "AttributeSeal",
      "Connector",
      "EnvelopeId",
      "ErrorCode",
      "ErrorMessage",
      "ExternalId",
      "FailedAt",
      "Integration",
      "SourceMessageId",
    ]);
    expect(r.attributes(1).SourceMessageId).toEqual(attr("m-2"));
  });
});

describe("Class: QueueActions.sendToDlq (a sealed copy at the size limit)", () => {
  it("keeps every attribute and a valid seal when the room is exactly their size (282 bytes)", async () => {
    const r = recorder();
    const body = bodyLeaving(282);
    await sealed(r).sendToDlq(body, reason, { messageId: "m" });
    const attributes = r.attributes(0);
    expect(names(attributes)).toEqual([
      "Attempt",
      "AttributeSeal",
      "Connector",
      "EnvelopeId",
      "ErrorCode",
      "ErrorMessage",
      "FailedAt",
      "Integration",
      "SourceMessageId",
    ]);
    const read = (name: string) => attributes[name]?.StringValue;
    expect(attributes.AttributeSeal).toEqual(attr(sealOf(key, read, body)));
    expect(verifySeal(key, read, body, read("AttributeSeal"))).toBe(true);
    expect(sqsEntryBytes({ MessageBody: body, MessageAttributes: attributes })).toBe(SQS_MAX_MESSAGE_BYTES);
  });

  it("sizes the seal as its 64 hex characters: one byte less room drops FailedAt (38 bytes) and keeps the seal", async () => {
    const r = recorder();
    const body = bodyLeaving(281);
    await sealed(r).sendToDlq(body, reason, { messageId: "m" });
    const attributes = r.attributes(0);
    expect(names(attributes)).toEqual(["Attempt", "AttributeSeal", "Connector", "EnvelopeId", "ErrorCode", "ErrorMessage", "Integration", "SourceMessageId"]);
    expect(sqsEntryBytes({ MessageBody: body, MessageAttributes: attributes })).toBe(SQS_MAX_MESSAGE_BYTES - 38 + 1);
    expect(verifySeal(key, (name) => attributes[name]?.StringValue, body, attributes.AttributeSeal?.StringValue)).toBe(true);
  });

  it("keeps the seal when shortening the reason makes the attributes fit exactly", async () => {
    const r = recorder();
    // ErrorCode 25 + AttributeSeal 83 + ErrorMessage 18 + 17 characters = 143 bytes.
    const body = bodyLeaving(143);
    await sealed(r).sendToDlq(body, { ...reason, message: "m".repeat(200) }, { messageId: "m" });
    const attributes = r.attributes(0);
    expect(names(attributes)).toEqual(["AttributeSeal", "ErrorCode", "ErrorMessage"]);
    expect(attributes.ErrorMessage).toEqual(attr("m".repeat(17)));
    expect(verifySeal(key, (name) => attributes[name]?.StringValue, body, attributes.AttributeSeal?.StringValue)).toBe(true);
    expect(sqsEntryBytes({ MessageBody: body, MessageAttributes: attributes })).toBe(SQS_MAX_MESSAGE_BYTES);
  });

  it("drops the seal before the reason, and shortens the reason into the room the seal leaves", async () => {
    const r = recorder();
    // 126 bytes: ErrorCode 25 + AttributeSeal 83 + ErrorMessage 18 leave no byte for the text, so the
    // seal goes and the reason gets its 83 bytes: 83 characters.
    const body = bodyLeaving(126);
    await sealed(r).sendToDlq(body, { ...reason, message: "m".repeat(200) }, { messageId: "m" });
    const attributes = r.attributes(0);
    expect(names(attributes)).toEqual(["ErrorCode", "ErrorMessage"]);
    expect(attributes.ErrorMessage).toEqual(attr("m".repeat(83)));
    expect(sqsEntryBytes({ MessageBody: body, MessageAttributes: attributes })).toBe(SQS_MAX_MESSAGE_BYTES);
  });
});

describe("Class: QueueActions.sendToDlq (a reason that cannot be shortened)", () => {
  it("drops ErrorMessage rather than send it empty when no whole character fits (SQS refuses an empty value)", async () => {
    const r = recorder();
    // ErrorCode 25 + ErrorMessage 18 + 8 bytes of two emoji = 51; room 45 leaves 2 bytes for the text: less than one emoji.
    await new QueueActions(r.sqs, urls()).sendToDlq(bodyLeaving(45), { ...reason, message: "\u{1F600}\u{1F600}" }, { messageId: "m" });
    expect(r.attributes(0)).toEqual({ ErrorCode: attr("VALIDATION") });
  });

  it("keeps as many whole characters as fit", async () => {
    const r = recorder();
    // Room 47: 4 bytes for the text, one emoji.
    await new QueueActions(r.sqs, urls()).sendToDlq(bodyLeaving(47), { ...reason, message: "\u{1F600}\u{1F600}" }, { messageId: "m" });
    expect(r.attributes(0)).toEqual({ ErrorCode: attr("VALIDATION"), ErrorMessage: attr("\u{1F600}") });
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

describe("Class: QueueActions.emit / enqueue (errors word for word)", () => {
  it("refuses to emit without an alerts queue, or to fan out without a queue, as a CONFIGURATION transient error, sending nothing", async () => {
    const r = recorder();
    const noAlerts = (await new QueueActions(r.sqs, urls({ alertsQueueUrl: undefined })).emit([failure]).catch((e: unknown) => e)) as Error & { code?: string };
    const noQueue = (await new QueueActions(r.sqs, urls({ queueUrl: undefined }))
      .enqueue([{ type: "page", id: "p", payload: {} }], "c", 1)
      .catch((e: unknown) => e)) as Error & { code?: string };
    expect([noAlerts.constructor.name, noAlerts.code, noAlerts.message]).toEqual([
      "TransientError",
      "CONFIGURATION",
      "this function has no ALERTS_QUEUE_URL to send alert events to",
    ]);
    expect([noQueue.constructor.name, noQueue.code, noQueue.message]).toEqual([
      "TransientError",
      "CONFIGURATION",
      "this function has no QUEUE_URL to fan out to",
    ]);
    expect(r.sent).toEqual([]);
  });

  it('says "error: " for a refused entry SQS gives no code or message for', async () => {
    const r = recorder(() => ({ Failed: [{ Id: "0", SenderFault: true }] }));
    const error = (await new QueueActions(r.sqs, urls()).emit([failure, failure]).catch((e: unknown) => e)) as Error & { code?: string };
    expect([error.message, error.code]).toEqual(["could not send 1 of 2 messages to the alerts queue: error: ", "ALERT_SEND_FAILED"]);
  });
});
