import type { SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSqsText, SQS_MAX_MESSAGE_BYTES, sqsMessageBytes } from "../proof/common/sqs";
import { startProofRig, type ProofRig } from "../proof/common/rig";
import { coerce } from "../shared/converters/values";
import { normalizeEnvelope } from "../shared/messages";
import { buildQuery } from "../shared/oro/query";
import { QueueActions } from "../shared/runtime/queue-actions";

/**
 * Regressions the fuzz run found: each body below used to crash a batch, loop through retries
 * into the DLQ without its reason, or lose an alert.
 */
const fakeSqs = () => {
  const sent: (SendMessageCommand["input"] | SendMessageBatchCommand["input"])[] = [];
  const client = {
    send: async (command: { input: SendMessageCommand["input"] }) => (sent.push(command.input), { Successful: [], Failed: [] }),
  } as unknown as SQSClient;
  const actions = new QueueActions(async () => client, {
    queueUrl: "q",
    dlqUrl: "dlq",
    alertsQueueUrl: "alerts",
    fifo: false,
    connector: "erp-stock",
    integration: "erp-main",
  });
  return { sent, actions };
};
const reason = (extra: Partial<Parameters<QueueActions["sendToDlq"]>[1]> = {}) => ({
  code: "UNKNOWN_MESSAGE_TYPE",
  message: "connector erp-stock does not accept it",
  connector: "erp-stock",
  integration: "erp-main",
  attempt: 1,
  envelopeId: "id-1",
  ...extra,
});

describe("runtime pieces the fuzz run broke", () => {
  it("reads an Oro webhook whose timestamp is finite but outside Date's range", () => {
    for (const timestamp of [1e20, -1e20, "1e20", 8.65e12]) {
      const meta = normalizeEnvelope({ topic: "order.created", timestamp, messageId: "m", eventData: {} }, { integration: "i", connector: "c" });
      expect(meta.createdAt).toBe(String(timestamp));
    }
  });

  it("writes DLQ attributes SQS accepts, whatever characters the envelope id and the reason carry", async () => {
    const { sent, actions } = fakeSqs();
    await actions.sendToDlq(
      "{}",
      reason({ envelopeId: "id-\u0000-\ud800-\uffff-😀", message: `type "\udbff" unknown ${"é".repeat(999)}😀`, externalId: "\u0001" }),
      { messageId: "m-1" },
    );
    const attributes = (sent[0] as SendMessageCommand["input"]).MessageAttributes ?? {};
    for (const [, value] of Object.entries(attributes)) expect(isSqsText(value.StringValue ?? "")).toBe(true);
    expect(attributes.EnvelopeId?.StringValue).toBe("id-\uFFFD-\uFFFD-\uFFFD-😀");
  });

  it("fits the reason next to a body near SQS's size limit, and sends a body at the limit without attributes instead of retrying forever", async () => {
    const { sent, actions } = fakeSqs();
    const near = "x".repeat(SQS_MAX_MESSAGE_BYTES - 64);
    await actions.sendToDlq(near, reason({ message: "é".repeat(500) }), { messageId: "m-1" });
    const nearInput = sent[0] as SendMessageCommand["input"];
    expect(sqsMessageBytes(near, nearInput.MessageAttributes)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    expect(nearInput.MessageAttributes?.ErrorCode?.StringValue).toBe("UNKNOWN_MESSAGE_TYPE");
    expect(nearInput.MessageAttributes?.ErrorMessage?.StringValue).toMatch(/^é+$/);

    const small = "{}";
    await actions.sendToDlq(small, reason(), { messageId: "m-2" });
    expect(Object.keys((sent[1] as SendMessageCommand["input"]).MessageAttributes ?? {})).toEqual(
      expect.arrayContaining(["ErrorCode", "ErrorMessage", "SourceMessageId", "EnvelopeId", "FailedAt"]),
    );

    const full = "x".repeat(SQS_MAX_MESSAGE_BYTES);
    await actions.sendToDlq(full, reason(), { messageId: "m-3" });
    expect((sent[2] as SendMessageCommand["input"]).MessageAttributes).toEqual({});
  });

  it("escapes U+FFFE/U+FFFF in alert events and replay bodies (JSON.stringify leaves them raw; SQS refuses them)", async () => {
    const { sent, actions } = fakeSqs();
    await actions.emit([{ step: "\uffff", message: "\ufffe 😀" } as never]);
    const body = (sent[0] as SendMessageBatchCommand["input"]).Entries?.[0]?.MessageBody ?? "";
    expect(isSqsText(body)).toBe(true);
    // fauxqs (the local stack's SQS) refuses astral characters that AWS accepts: escaped, they pass both.
    expect(body).not.toMatch(/[\uD800-\uDFFF]/);
    expect(JSON.parse(body)).toEqual({ step: "\uffff", message: "\ufffe 😀" });
    const replay = actions.replayBody({ type: "stock.changed", id: "x", payload: { levels: [{ sku: "\uffff" }] } }, "c");
    expect(isSqsText(replay)).toBe(true);
    expect((JSON.parse(replay) as { payload: unknown }).payload).toEqual({ levels: [{ sku: "\uffff" }] });
  });

  it("builds an Oro query for a value with a lone surrogate instead of throwing URIError", () => {
    expect(buildQuery({ filter: { sku: ["SKU-\ud83d"] } })).toContain("SKU-%EF%BF%BD");
  });

  it("describes a value nested too deeply to serialise instead of overflowing the stack", () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}0${"}".repeat(20_000)}`) as unknown;
    expect(coerce(deep, "string")).toEqual({ ok: false, problem: "expected text, got {…}" });
  });
});

describe("erp-stock on the runtime, with the bodies that broke it", () => {
  let rig: ProofRig;
  beforeAll(async () => {
    rig = await startProofRig({ maxReceiveCount: 2 });
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("dead-letters each with its reason, in one attempt, with no batch crash and no lost alert", async () => {
    const envelope = (id: string, type: string, payload: string) =>
      `{"version":1,"id":${id},"integration":"erp-main","connector":"erp-stock","type":"${type}","payload":${payload}}`;
    const bodies = [
      `{"topic":"nope.topic","timestamp":1e20,"messageId":"ts","eventData":{}}`,
      envelope('"deep-array"', "stock.changed", `{"levels":[${"[".repeat(10_000)}0${"]".repeat(10_000)}]}`),
      envelope('"deep-object"', "stock.changed", `{"levels":[${'{"sku":'.repeat(10_000)}0${"}".repeat(10_000)}]}`),
      envelope('"surrogate-sku"', "stock.changed", `{"levels":[{"sku":"SKU-\\ud83d","unit":"each","quantity":"1"}]}`),
      envelope('"nul-\\u0000-\\ud800"', "nope", "{}"),
      envelope('"nonchar-\\uffff"', "nope", "{}"),
      envelope('"emoji-\\ud83d\\ude00"', "nope", "{}"),
      `{"topic":"\\udbff","timestamp":1,"messageId":"surrogate-topic","eventData":{}}`,
      "x".repeat(SQS_MAX_MESSAGE_BYTES - 64),
    ];
    for (const body of bodies) await rig.aws.send(rig.queueUrl, body);
    await rig.idle(15_000);
    expect(rig.crashes).toEqual([]);
    const dlq = await rig.dlqMessages();
    expect(dlq).toHaveLength(bodies.length);
    for (const message of dlq) {
      expect(message.MessageAttributes?.ErrorCode?.StringValue).toBeTruthy();
      expect(message.MessageAttributes?.ErrorMessage?.StringValue).toBeTruthy();
      // Dead-lettered by the runtime on the first attempt, not moved by SQS after retries.
      expect(message.MessageAttributes?.Attempt?.StringValue ?? "1").toBe("1");
      for (const value of Object.values(message.MessageAttributes ?? {})) expect(isSqsText(value.StringValue ?? "")).toBe(true);
    }
    expect(await rig.alertsDlqMessages()).toEqual([]);
    expect(rig.alertEvents).toHaveLength(bodies.length);
  });
});
