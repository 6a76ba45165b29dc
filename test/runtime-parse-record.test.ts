import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { createEnvelope } from "../shared/messages";
import { parseRecordBody } from "../shared/runtime";
import { testConnector } from "./fixtures/test-connector";

/**
 * parseRecordBody's reasons, word for word (issue 16, mutation testing): the DLQ reason is what an
 * operator reads to fix a message, so its exact text is the behaviour.
 */
const owner = { integration: "main", connector: testConnector.type };
const envelope = (over: Record<string, unknown> = {}) => ({
  ...createEnvelope({ id: "e1", integration: "main", connector: testConnector.type, type: "work", payload: { outcome: "ok" } }),
  ...over,
});
const reason = (body: unknown) => {
  const result = parseRecordBody(typeof body === "string" ? body : JSON.stringify(body), testConnector, owner);
  return result.ok ? "ok" : { code: result.error.code, message: result.error.message, meta: result.meta?.id };
};

describe("Function: parseRecordBody (reasons)", () => {
  it("names the shape a body claims, and (root) when it is no object at all", () => {
    for (const body of [[1, 2], null, 7, '"text"']) {
      expect(reason(body), JSON.stringify(body)).toMatchObject({
        code: "MALFORMED_MESSAGE",
        message: expect.stringMatching(/^message is not a valid envelope v1 \{version, id, integration, connector, type, payload\}: \(root\): /),
        meta: undefined,
      });
    }
    // A body with `version` is an envelope even when it also has `topic`.
    expect(reason({ version: 1, topic: "order.created" })).toMatchObject({ message: expect.stringMatching(/^message is not a valid envelope v1 /) });
    expect(reason({ eventData: {} })).toMatchObject({
      message: expect.stringMatching(/^message is not a valid Oro webhook body \{topic, timestamp, messageId, eventData\}: /),
    });
  });

  it("lists at most five problems and counts the rest", () => {
    const many = z.object(Object.fromEntries(["a", "b", "c", "d", "e", "f", "g"].map((k) => [k, z.string()])));
    const connector = { ...testConnector, messages: { work: many } };
    const result = parseRecordBody(JSON.stringify(envelope({ payload: {} })), connector as never, owner);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/^work message payload is invalid: a: [^;]+; b: [^;]+; c: [^;]+; d: [^;]+; e: [^;]+; and 2 more$/);
      expect(result.meta?.id).toBe("e1");
    }
    const five = z.object(Object.fromEntries(["a", "b", "c", "d", "e"].map((k) => [k, z.string()])));
    const exact = parseRecordBody(JSON.stringify(envelope({ payload: {} })), { ...testConnector, messages: { work: five } } as never, owner);
    expect(!exact.ok && exact.error.message).toMatch(/e: [^;]+$/);
  });

  it("joins nested paths with dots", () => {
    const nested = { ...testConnector, messages: { work: z.object({ levels: z.array(z.object({ sku: z.string() })) }) } };
    const result = parseRecordBody(JSON.stringify(envelope({ payload: { levels: [{ sku: "A" }, { sku: 5 }] } })), nested as never, owner);
    expect(!result.ok && result.error.message).toMatch(/^work message payload is invalid: levels\.1\.sku: /);
  });

  it("says where a message for another connector or integration belongs, and what types this connector takes", () => {
    expect(reason(envelope({ integration: "other" }))).toEqual({
      code: "UNKNOWN_MESSAGE_TYPE",
      message: "message for other/test-connector reached the queue of main/test-connector; send it to its own connector's queue",
      meta: "e1",
    });
    expect(reason(envelope({ type: "nope" }))).toEqual({
      code: "UNKNOWN_MESSAGE_TYPE",
      message: 'connector test-connector does not accept message type "nope"; it accepts: work',
      meta: "e1",
    });
    expect(reason("{")).toMatchObject({
      code: "MALFORMED_MESSAGE",
      message: expect.stringMatching(/^message body is not JSON \(.+\); send a JSON envelope \(schemas\/envelope\.schema\.json\)$/),
    });
  });
});
