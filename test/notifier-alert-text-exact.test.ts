/**
 * The alert text and the stored facts the notifier writes (functions/notifier/alert-text.ts):
 * exact messages, the 2,000-character bound with its occurrences tail, and what is read back from
 * an alert another writer may have left half-filled.
 */
import { describe, expect, it } from "vitest";
import { alertMessage, foldAlert, MAX_MESSAGE_CHARS } from "../functions/notifier";
import { readAlertInfo } from "../functions/notifier/alert-text";
import type { FailureEvent } from "../shared/alerts";
import { failureEvent } from "./helpers/alert-events";

const failure = (over: Partial<FailureEvent> = {}): FailureEvent => failureEvent({ occurredAt: "2026-11-26T20:00:00.000Z", ...over });

describe("Function: alertMessage", () => {
  it("ends the reason with a period unless it ends with a sentence mark; one inside does not count", () => {
    const event = failure({ message: "first part. second part", dlq: "" });
    expect(alertMessage({ count: 1, firstSeenAt: event.occurredAt, lastSeenAt: event.occurredAt, latest: event })).toBe(
      `[${event.connector}] first part. second part. It will be retried; if it keeps failing it lands in the connector's DLQ.`,
    );
    const asked = failure({ message: "is Oro up?", dlq: "" });
    expect(alertMessage({ count: 1, firstSeenAt: asked.occurredAt, lastSeenAt: asked.occurredAt, latest: asked })).toBe(
      `[${asked.connector}] is Oro up? It will be retried; if it keeps failing it lands in the connector's DLQ.`,
    );
  });

  it("stays within 2,000 characters and keeps the occurrences tail whole when the text is longer", () => {
    const event = failure({ message: "x".repeat(990), dlq: `dlq-${"d".repeat(900)}` });
    const message = alertMessage({ count: 3, firstSeenAt: "2026-11-26T19:00:00.000Z", lastSeenAt: event.occurredAt, latest: event });
    const tail = " (3 occurrences since 2026-11-26T19:00:00Z)";
    expect(message).toHaveLength(MAX_MESSAGE_CHARS);
    expect(message.endsWith(tail)).toBe(true);
    expect(message.startsWith(`[${event.connector}] ${"x".repeat(990)}. The messages are in DLQ dlq-`)).toBe(true);
  });
});

describe("Function: readAlertInfo", () => {
  it("reads only well-formed fields, and sets no key for a missing one", () => {
    expect(readAlertInfo({})).toStrictEqual({});
    expect(readAlertInfo({ count: 0, firstSeenAt: 5, lastSeenAt: "", connector: null })).toStrictEqual({});
    expect(readAlertInfo({ count: 2.5 })).toStrictEqual({});
    expect(readAlertInfo({ count: 4, firstSeenAt: "a", lastSeenAt: "b", connector: "c", other: 1 })).toStrictEqual({
      count: 4,
      firstSeenAt: "a",
      lastSeenAt: "b",
      connector: "c",
    });
    expect(readAlertInfo({ lastSeenAt: "b" })).toStrictEqual({ lastSeenAt: "b" });
    expect(readAlertInfo({ connector: "c" })).toStrictEqual({ connector: "c" });
    expect(readAlertInfo([1])).toStrictEqual({});
    expect(readAlertInfo(null)).toStrictEqual({});
  });
});

describe("Function: foldAlert", () => {
  it("keeps the earliest first time and the latest last time, in ISO form", () => {
    const event = failure({ occurredAt: "2026-11-26T20:00:00.000Z" });
    const folded = foldAlert(
      { count: 2, firstSeenAt: "2026-11-26T19:00:00.000Z", lastSeenAt: "2026-11-26T20:00:00.000Z", latest: event },
      { count: 5, firstSeenAt: "2026-11-26T18:00:00Z", lastSeenAt: "2026-11-26T21:00:00Z", connector: "stored-connector" },
    );
    expect(folded.additionalInfo).toMatchObject({
      count: 7,
      firstSeenAt: "2026-11-26T18:00:00.000Z",
      lastSeenAt: "2026-11-26T21:00:00.000Z",
      connector: "stored-connector",
    });
  });
});
