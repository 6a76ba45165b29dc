import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { createEnvelope } from "../shared/messages";
import { parseRecordBody } from "../shared/runtime";
import { testConnector } from "./fixtures/test-connector";

/**
 * parseRecordBody's DLQ reasons as whole strings (issue 16, mutation testing, beside
 * runtime-parse-record.test.ts, which matches their beginnings): which shape a body is judged
 * by (a `topic` alone makes it a webhook body), the "(root)" of a problem with no path, the "; "
 * between problems, and the ", " between the message types a connector accepts. The texts after
 * the ":" are zod's own messages (zod/mini words them "Invalid input").
 */
const owner = { integration: "main", connector: testConnector.type };
const reasonOf = (body: unknown, connector = testConnector) => {
  const result = parseRecordBody(JSON.stringify(body), connector, owner);
  return result.ok ? "ok" : result.error.message;
};
const ENVELOPE = "message is not a valid envelope v1 {version, id, integration, connector, type, payload}: ";
const WEBHOOK = "message is not a valid Oro webhook body {topic, timestamp, messageId, eventData}: ";

describe("Function: parseRecordBody (whole reasons)", () => {
  it("judges a body with `topic` and no `version` as an Oro webhook body, and names each missing field", () => {
    expect(reasonOf({ topic: "order.created" })).toBe(
      `${WEBHOOK}timestamp: Invalid input; messageId: Invalid input; eventData: Invalid input: expected object`,
    );
    expect(reasonOf({ eventData: [] })).toBe(
      `${WEBHOOK}topic: Invalid input; timestamp: Invalid input; messageId: Invalid input; eventData: Invalid input: expected object`,
    );
    expect(reasonOf({ topic: "order.created", timestamp: 1, messageId: "m", eventData: [] })).toBe(`${WEBHOOK}eventData: Invalid input: expected object`);
  });

  it("says (root) for a body that is no object, and counts the problems past five", () => {
    expect(reasonOf([1])).toBe(`${ENVELOPE}(root): Invalid input`);
    expect(reasonOf({ version: 1 })).toBe(
      `${ENVELOPE}id: Invalid input; integration: Invalid input; connector: Invalid input; type: Invalid input; payload: Invalid input: expected object`,
    );
    expect(reasonOf({})).toBe(
      `${ENVELOPE}version: Invalid input; id: Invalid input; integration: Invalid input; connector: Invalid input; type: Invalid input; and 1 more`,
    );
  });

  it("lists every message type a connector accepts, comma-separated, for an unknown type", () => {
    const twoTypes = { ...testConnector, messages: { work: z.object({}), page: z.object({}) } } as unknown as typeof testConnector;
    const body = createEnvelope({ id: "e1", integration: "main", connector: testConnector.type, type: "nope", payload: {} });
    expect(reasonOf(body, twoTypes)).toBe('connector test-connector does not accept message type "nope"; it accepts: work, page');
  });
});
