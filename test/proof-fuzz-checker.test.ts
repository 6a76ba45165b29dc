import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { SQS_MAX_MESSAGE_BYTES } from "../proof/common/sqs";
import type { FuzzCase } from "../proof/fuzz/generate";
import { type FuzzResult, fuzzPassed } from "../proof/fuzz/run";
import { attributeDlq, checkFuzz, MIN_REASON_BYTES } from "../proof/fuzz/verify";

/**
 * The fuzz checker (proof/fuzz/verify.ts) on hand-made outcomes: which body each DLQ copy belongs
 * to, and where each bad and good body ended up (issue 16, gap 1).
 */

const bad = (variant: string, body = `{"bad":"${variant}"}`, category = "json"): FuzzCase => ({ kind: "bad", category, variant, body });
const good = (id: string): FuzzCase => ({ kind: "good", category: "good", variant: "good", body: `{"id":"${id}"}`, id });
const reason = { ErrorCode: { DataType: "String", StringValue: "MALFORMED_MESSAGE" }, ErrorMessage: { DataType: "String", StringValue: "not JSON" } };
/** A DLQ copy the runtime sent: SourceMessageId names the original SQS message (`:<item>` for an item). */
const copy = (source: string, attributes: Record<string, { DataType: string; StringValue: string }> = reason, body = "x"): Message => ({
  MessageId: `dlq-${source}`,
  Body: body,
  MessageAttributes: { ...attributes, SourceMessageId: { DataType: "String", StringValue: source } },
});

describe("Function: attributeDlq", () => {
  it("finds the body of a copy by SourceMessageId (item suffix cut), by its own id after an SQS redrive, or by its body", () => {
    const cases = [bad("a"), bad("b"), bad("c"), bad("d")];
    const sent = { ids: ["m-a", "m-b", "m-c", undefined], refused: new Map([[3, "InvalidMessageContents"]]) };
    const dlq: Message[] = [
      copy("m-a"),
      copy("m-b:SKU-1"),
      // SQS moved it after maxReceiveCount: same MessageId, no attributes of ours.
      { MessageId: "m-c", Body: cases[2]?.body as string },
      // At the size limit: no room for attributes, found by its body.
      { MessageId: "other", Body: cases[0]?.body as string },
      copy("m-unknown"),
      // Never sent (refused by SQS): its body does not count.
      { MessageId: "other-2", Body: cases[3]?.body as string },
    ];

    const { copies, unattributed } = attributeDlq(cases, sent, dlq);

    expect([...copies].map(([index, list]) => [index, list.map((m) => m.MessageId)])).toEqual([
      [0, ["dlq-m-a", "other"]],
      [1, ["dlq-m-b:SKU-1"]],
      [2, ["m-c"]],
    ]);
    expect(unattributed).toBe(2);
  });
});

describe("Function: checkFuzz", () => {
  it("sorts every bad body into its outcome and counts b from the eligible ones only", () => {
    const huge = `"${"x".repeat(SQS_MAX_MESSAGE_BYTES - MIN_REASON_BYTES)}"`;
    const cases = [bad("with-reason"), bad("no-reason"), bad("missing"), bad("refused"), bad("bad-attribute"), bad("huge", huge, "size"), bad("twice")];
    const sent = { ids: ["m0", "m1", "m2", undefined, "m4", "m5", "m6"], refused: new Map([[3, "InvalidMessageContents: bad character"]]) };
    const dlq: Message[] = [
      copy("m0"),
      copy("m1", {}),
      copy("m4", { ...reason, ErrorMessage: { DataType: "String", StringValue: "lone surrogate \ud800" } }),
      copy("m5", {}),
      // Two copies (a redelivery): with reason only if both carry it.
      copy("m6"),
      copy("m6", {}),
    ];

    const check = checkFuzz(cases, sent, dlq, new Map());

    expect(check.bad).toEqual({ generated: 7, refused: 1, noRoom: 1, eligible: 5, withReason: 1 });
    expect(check.categories.get("json")?.outcomes).toEqual({
      "dlq-with-reason": 1,
      "dlq-without-reason": 2,
      missing: 1,
      "refused-by-sqs": 1,
      "dlq-invalid-attributes": 1,
    });
    expect(check.categories.get("size")?.outcomes).toEqual({ "no-room-for-reason": 1 });
    expect(check.categories.get("json")).toMatchObject({ generated: 6, refused: 1 });
    const shown = (variant: string) => JSON.stringify(`{"bad":"${variant}"}`);
    expect(check.categories.get("json")?.examples).toEqual([
      `with-reason: dlq-with-reason ${shown("with-reason")}`,
      `no-reason: dlq-without-reason ${shown("no-reason")}`,
      `missing: missing ${shown("missing")}`,
      `refused: refused-by-sqs (InvalidMessageContents: bad character) ${shown("refused")}`,
      `bad-attribute: dlq-invalid-attributes ${shown("bad-attribute")}`,
      `twice: dlq-without-reason ${shown("twice")}`,
    ]);
    expect(check.categories.get("size")?.examples[0]).toMatch(/^huge: no-room-for-reason "\\"x{119}… \(\d+ chars\)"$/);
    expect(check.unattributedDlq).toBe(0);
  });

  it("counts a body just below the limit without a reason as a failure, not as no room", () => {
    const body = `"${"x".repeat(SQS_MAX_MESSAGE_BYTES - MIN_REASON_BYTES - 2)}"`;
    expect(Buffer.byteLength(body)).toBe(SQS_MAX_MESSAGE_BYTES - MIN_REASON_BYTES);
    const check = checkFuzz([bad("edge", body)], { ids: ["m0"], refused: new Map() }, [copy("m0", {})], new Map());
    expect(check.bad).toEqual({ generated: 1, refused: 0, noRoom: 0, eligible: 1, withReason: 0 });
  });

  it("counts good bodies processed once, twice, never, or dead-lettered, and refused by SQS", () => {
    const cases = [good("g1"), good("g2"), good("g3"), good("g4"), good("g5")];
    const sent = { ids: ["m1", "m2", "m3", "m4", undefined], refused: new Map([[4, "too big"]]) };
    const processed = new Map([
      ["g1", 1],
      ["g2", 2],
      ["g4", 1],
    ]);

    const check = checkFuzz(cases, sent, [copy("m4")], processed);

    expect(check.good).toEqual({ sent: 5, refused: 1, processedOnce: 1, processedTwice: 1, notProcessed: 1, inDlq: 1 });
    expect(check.categories.get("good")?.examples).toEqual([
      "g2: processed 2x, 0 DLQ copies ",
      "g3: processed 0x, 0 DLQ copies ",
      "g4: processed 1x, 1 DLQ copies not JSON",
      "good: refused by SQS (too big)",
    ]);
  });
});

describe("Function: checkFuzz, example of a dead-lettered good body", () => {
  it("joins every copy's reason with '; ' (a copy without one as '(no reason)') and cuts the join at 200 characters", () => {
    const long = "r".repeat(150);
    const withLong = { ...reason, ErrorMessage: { DataType: "String", StringValue: long } };
    const dlq: Message[] = [copy("m1", withLong), { ...copy("m1", {}), MessageId: "dlq-m1-again" }, { ...copy("m1", withLong), MessageId: "dlq-m1-third" }];

    const check = checkFuzz([good("g1")], { ids: ["m1"], refused: new Map() }, dlq, new Map([["g1", 1]]));

    const joined = `${long}; (no reason); ${long}`;
    expect(check.categories.get("good")?.examples).toEqual([`g1: processed 1x, 3 DLQ copies ${joined.slice(0, 200)}`]);
  });
});

describe("Function: fuzzPassed", () => {
  const passing = {
    timedOut: false,
    crashes: [],
    bad: { generated: 10, refused: 1, noRoom: 1, eligible: 8, withReason: 8 },
    good: { sent: 5, refused: 0, processedOnce: 5, processedTwice: 0, notProcessed: 0, inDlq: 0 },
    pollution: [],
    secrets: { hits: [] },
  } as unknown as FuzzResult;

  it("passes only with every eligible bad body dead-lettered with its reason, every good body once, no crash, pollution or secret", () => {
    expect(fuzzPassed(passing)).toBe(true);
    for (const over of [
      { timedOut: true },
      { crashes: [{ handler: "h", records: 1, reason: "r" }] },
      { bad: { ...passing.bad, withReason: 7 } },
      { good: { ...passing.good, processedOnce: 4 } },
      { good: { ...passing.good, refused: 1, processedOnce: 4 } },
      { pollution: ["({}).polluted is inherited"] },
      { secrets: { hits: [{}] } },
    ]) {
      expect(fuzzPassed({ ...passing, ...over } as FuzzResult), JSON.stringify(over)).toBe(false);
    }
  });
});

describe("Fuzz checker edges (mutation testing)", () => {
  it("needs both reason attributes on every copy, and valid attributes on every copy", () => {
    const codeOnly = { ErrorCode: reason.ErrorCode };
    const invalid = { ...reason, ErrorMessage: { DataType: "String", StringValue: "nul \u0000" } };
    const cases = [bad("code-only"), bad("one-invalid")];
    const check = checkFuzz(cases, { ids: ["m0", "m1"], refused: new Map() }, [copy("m0", codeOnly), copy("m1"), copy("m1", invalid)], new Map());
    expect(check.categories.get("json")?.outcomes).toEqual({ "dlq-without-reason": 1, "dlq-invalid-attributes": 1 });
  });

  it("shortens bodies over 120 characters in examples, keeps one of exactly 120, and cuts a refusal to 90", () => {
    const exact = `"${"y".repeat(118)}"`;
    const long = `"${"z".repeat(200)}"`;
    const refusal = `R${"r".repeat(150)}`;
    const check = checkFuzz(
      [bad("exact", exact, "a"), bad("long", long, "b"), bad("refused", "{}", "c")],
      { ids: ["m0", "m1", undefined], refused: new Map([[2, refusal]]) },
      [],
      new Map(),
    );
    expect(check.categories.get("a")?.examples).toEqual([`exact: missing ${JSON.stringify(exact)}`]);
    expect(check.categories.get("b")?.examples).toEqual([`long: missing ${JSON.stringify(`${long.slice(0, 120)}… (202 chars)`)}`]);
    expect(check.categories.get("c")?.examples).toEqual([`refused: refused-by-sqs (${refusal.slice(0, 90)}) "{}"`]);
  });

  it("keeps one example of success and up to six of failure per category", () => {
    const cases = [bad("ok-1"), bad("ok-2"), ...Array.from({ length: 8 }, (_, i) => bad(`lost-${i}`))];
    const check = checkFuzz(cases, { ids: cases.map((_, i) => `m${i}`), refused: new Map() }, [copy("m0"), copy("m1")], new Map());
    const examples = check.categories.get("json")?.examples ?? [];
    expect(examples).toHaveLength(6);
    expect(examples.filter((e) => e.includes("dlq-with-reason"))).toHaveLength(1);
    expect(examples[5]).toMatch(/^lost-4: missing /);
  });

  it("keeps five examples of good bodies gone wrong, each DLQ reason joined and cut to 200 characters, and counts a refused good body", () => {
    const cases = Array.from({ length: 7 }, (_, i) => good(`g${i}`));
    const long = { ...reason, ErrorMessage: { DataType: "String", StringValue: "e".repeat(150) } };
    const dlq = [copy("m0", long), copy("m0", { ErrorCode: reason.ErrorCode })];
    const check = checkFuzz(cases, { ids: ["m0", "m1", "m2", "m3", "m4", "m5", undefined], refused: new Map([[6, "too big"]]) }, dlq, new Map([["g0", 1]]));
    const examples = check.categories.get("good")?.examples ?? [];
    expect(examples[0]).toBe(`g0: processed 1x, 2 DLQ copies ${`${"e".repeat(150)}; (no reason)`.slice(0, 200)}`);
    expect(examples).toHaveLength(6);
    expect(examples[5]).toBe("good: refused by SQS (too big)");
    expect(check.categories.get("good")).toMatchObject({ generated: 7, refused: 1 });
  });
});
