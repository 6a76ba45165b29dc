import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { describeHits, scanForSecrets, secretLeaves } from "../proof/secrets-scan";

/**
 * The secret scan's bookkeeping on hand-made outputs whose leaks are known (issue 16, mutation
 * testing): which hit is reported once and which twice, the exact field of a message, the counts
 * and summary, the report lines, the 4-character floor, the "..." cut, and the 100,000-object
 * bound on an alert. test/proof-secrets.test.ts plants every form in every place.
 *
 * The secrets are letters, digits and "-" only: every encoding but hex and base64 leaves them
 * as they are, so a planted raw copy is exactly one form.
 */
const A = "Zq7-secret-value-0042";
const B = "Kx9-other-secret-7781";
const hex = (s: string) => Buffer.from(s).toString("hex");

describe("secret scan: hits", () => {
  it("reports a hit once per place, index, secret, form and field, and keeps each of these apart", () => {
    const result = scanForSecrets({
      secrets: [A, B],
      lines: [`${A} twice ${A}`, `once ${A}`, `${A} and ${B}`, `${A} as hex ${hex(A)}`],
      messages: [{ Body: `{"k":"${A}"}`, MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: `rejected ${A}` } } }],
      // The JSON text and the leaf both hold it: one hit.
      alerts: [{ message: `upstream said ${A}` }],
    });
    expect(result.hits).toEqual([
      { secret: 0, form: "raw", place: "log", index: 0 },
      { secret: 0, form: "raw", place: "log", index: 1 },
      { secret: 0, form: "raw", place: "log", index: 2 },
      { secret: 1, form: "raw", place: "log", index: 2 },
      { secret: 0, form: "raw", place: "log", index: 3 },
      { secret: 0, form: "hex", place: "log", index: 3 },
      { secret: 0, form: "raw", place: "message", index: 0, field: "body" },
      { secret: 0, form: "raw", place: "message", index: 0, field: "attribute:ErrorMessage" },
      { secret: 0, form: "raw", place: "alert", index: 0 },
    ]);
    expect(describeHits(result.hits)).toEqual([
      "secret #0 (raw) in log #0",
      "secret #0 (raw) in log #1",
      "secret #0 (raw) in log #2",
      "secret #1 (raw) in log #2",
      "secret #0 (raw) in log #3",
      "secret #0 (hex) in log #3",
      "secret #0 (raw) in message #0 body",
      "secret #0 (raw) in message #0 attribute:ErrorMessage",
      "secret #0 (raw) in alert #0",
    ]);
  });

  it("reads every kind of message field under its exact name: body, string, StringValue, stringValue, BinaryValue and binaryValue (decoded and as base64)", () => {
    const messages = [
      { body: `lower-case body ${A}` },
      { Body: undefined, MessageAttributes: { Plain: `plain ${A}` } } as unknown as Message,
      { Body: "{}", MessageAttributes: { Text: { DataType: "String", StringValue: A } } },
      { body: "{}", attributes: { Record: { stringValue: A, dataType: "String" } } },
      { Body: "{}", MessageAttributes: { Blob: { DataType: "Binary", BinaryValue: Buffer.from(A) } } },
      { body: "{}", attributes: { Blob64: { binaryValue: Buffer.from(A).toString("base64"), dataType: "Binary" } } },
    ];
    const result = scanForSecrets({ secrets: [A], messages });
    expect(result.hits).toEqual([
      { secret: 0, form: "raw", place: "message", index: 0, field: "body" },
      { secret: 0, form: "raw", place: "message", index: 1, field: "attribute:Plain" },
      { secret: 0, form: "raw", place: "message", index: 2, field: "attribute:Text" },
      { secret: 0, form: "raw", place: "message", index: 3, field: "attribute:Record" },
      { secret: 0, form: "raw", place: "message", index: 4, field: "attribute:Blob" },
      { secret: 0, form: "base64", place: "message", index: 4, field: "attribute:Blob" },
      { secret: 0, form: "base64", place: "message", index: 5, field: "attribute:Blob64" },
      { secret: 0, form: "raw", place: "message", index: 5, field: "attribute:Blob64" },
    ]);
    // The same on the connector queues.
    expect(scanForSecrets({ secrets: [A], queueMessages: messages }).hits.map((h) => `${h.place} #${h.index} ${h.field ?? ""}`)).toEqual(
      result.hits.map((h) => `queue #${h.index} ${h.field ?? ""}`),
    );
  });

  it("scans a secret of exactly 4 characters (the floor), raw and as a sensitive leaf", () => {
    expect(scanForSecrets({ secrets: ["q7Zx"], lines: ["sent q7Zx upstream"] }).hits).toEqual([{ secret: 0, form: "raw", place: "log", index: 0 }]);
    expect(secretLeaves({ "api/main": { password: "q7Zx", apiKey: "abc" } })).toEqual(["q7Zx"]);
  });

  it("finds a prefix of 6 characters cut with '...' at the end of a text, as with '…'", () => {
    expect(scanForSecrets({ secrets: [A], lines: [`rejected: ${A.slice(0, 6)}...`, `rejected: ${A.slice(0, 6)}…`] }).hits).toEqual([
      { secret: 0, form: "partial", place: "log", index: 0 },
      { secret: 0, form: "partial", place: "log", index: 1 },
    ]);
  });
});

describe("secret scan: alerts", () => {
  it("reads the leaves of an alert JSON cannot write (a cycle), and an undefined alert as no text", () => {
    const cyclic: Record<string, unknown> = { message: `upstream said ${A}` };
    cyclic.self = cyclic;
    expect(scanForSecrets({ secrets: [A], alerts: [cyclic] }).hits).toEqual([{ secret: 0, form: "raw", place: "alert", index: 0 }]);
    // JSON.stringify(undefined) is undefined: there is no text to scan, whatever the secrets are.
    expect(scanForSecrets({ secrets: ["Stryker was here!"], alerts: [undefined], notificationAlerts: [undefined] }).hits).toEqual([]);
  });

  it("walks at most 100,000 objects of one alert, counting objects only (not numbers)", () => {
    // A cycle first, so JSON.stringify fails at once and only the walk reads the leaves. The walk
    // pops the last entry first: items[n - 1] is the first object read after the root, items[0] the last.
    const alert = (n: number, secretAt: number) => {
      const root: unknown[] = [];
      root.push(root);
      for (let i = 0; i < n; i++) root.push({ n: i + 1_000_000, v: i === secretAt ? `leak ${A}` : "clean" });
      return root;
    };
    // 60,000 objects and 60,000 distinct numbers: every object is read.
    expect(scanForSecrets({ secrets: [A], alerts: [alert(60_000, 0)] }).hits).toEqual([{ secret: 0, form: "raw", place: "alert", index: 0 }]);
    // The root and 99,999 items make 100,000 objects: the leaves of the last one read (items[1]) are not.
    expect(scanForSecrets({ secrets: [A], alerts: [alert(100_000, 1)] }).hits).toEqual([]);
    expect(scanForSecrets({ secrets: [A], alerts: [alert(100_000, 2)] }).hits).toEqual([{ secret: 0, form: "raw", place: "alert", index: 0 }]);
  });
});

describe("secret scan: counts and summary", () => {
  it("counts what it read in each place, and the summary names the optional places only when given", () => {
    const result = scanForSecrets({
      secrets: [A, B, "abc"],
      tokens: ["tok-0123456789", "tok-9876543210"],
      lines: ["a", "b", "c"],
      messages: [{ Body: "x" }],
      queueMessages: [{ Body: "y" }, { Body: "z" }],
      alerts: [{}, {}],
      notificationAlerts: [{}, {}, {}],
      opsOutput: ["ok", "done", "bye", "end"],
    });
    expect(result.counts).toEqual({ lines: 3, messages: 1, queueMessages: 2, alerts: 2, notificationAlerts: 3, opsOutput: 4, secrets: 3, tokens: 2 });
    expect(result.summary).toBe("secrets: 0 hits in 3 lines, 1 messages, 5 alerts, 2 queue messages, 4 ops lines, 2 tokens");
    const bare = scanForSecrets({ secrets: [A], lines: [`x ${A}`] });
    expect(bare.counts).toEqual({ lines: 1, messages: 0, queueMessages: 0, alerts: 0, notificationAlerts: 0, opsOutput: 0, secrets: 1, tokens: 0 });
    expect(bare.summary).toBe("secrets: 1 hits in 1 lines, 0 messages, 0 alerts");
  });
});

describe("secret scan: secretLeaves", () => {
  it("takes every credential-named key (credential, signature, private too), arrays under them, and a bare secret string; not a bare array", () => {
    const leaves = secretLeaves({
      "a/main": { credentials: { user: "cred-user-0001" }, signatureKey: ["sig-0001", "sig-0002"], privatePem: "pem-0001", region: "eu-west-1" },
      "b/main": "bare-0001",
      "c/main": ["not-a-secret-0001"],
      "d/main": "abc",
    });
    expect(leaves.sort()).toEqual(["bare-0001", "cred-user-0001", "pem-0001", "sig-0001", "sig-0002"]);
  });
});

describe("secret scan: edges (mutation testing)", () => {
  it("reports a value listed twice (a secret that is also a token) under both indexes", () => {
    expect(scanForSecrets({ secrets: [A], tokens: [A], lines: [A] }).hits).toEqual([
      { secret: 0, form: "raw", place: "log", index: 0 },
      { secret: 1, form: "raw", place: "log", index: 0 },
    ]);
  });

  it("does not scan a 3-character secret in any form, and invents no token when none is given", () => {
    expect(scanForSecrets({ secrets: ["abc"], lines: [`hex ${hex("abc")}`, "Stryker was here"] }).hits).toEqual([]);
  });

  it("finds a 6-character cut prefix at the very end without an ellipsis, and one of a 7-character secret filling the tail", () => {
    expect(scanForSecrets({ secrets: [A], lines: [`rejected: ${A.slice(0, 6)}`] }).hits).toEqual([{ secret: 0, form: "partial", place: "log", index: 0 }]);
    expect(scanForSecrets({ secrets: ["Qw3-xy7"], lines: ["cut Qw3-xy"] }).hits).toEqual([{ secret: 0, form: "partial", place: "log", index: 0 }]);
  });

  it("reads an alert's JSON text too: a secret that is a number there is found", () => {
    expect(scanForSecrets({ secrets: ["40417731"], alerts: [{ status: 40417731 }] }).hits).toEqual([{ secret: 0, form: "raw", place: "alert", index: 0 }]);
  });
});
