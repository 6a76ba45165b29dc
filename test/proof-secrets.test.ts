import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { scanForSecrets, type SecretForm, secretNeedles } from "../proof/secrets-scan";

/**
 * The secret scan itself: it must find a planted secret in every form and every place, or its
 * "0 hits" after a proof run means nothing.
 */
// Every form differs from the others (a quote and a backslash for JSON, "?>>" for base64's + and /).
const SECRET = 'proof-Secret/+=&"value\\ 42??>>~';
const OTHER = "other-api-key-0123456789";
const forms: Record<SecretForm, (s: string) => string> = {
  raw: (s) => s,
  url: (s) => encodeURIComponent(s),
  form: (s) => new URLSearchParams({ v: s }).toString().slice(2),
  json: (s) => JSON.stringify(s).slice(1, -1),
  base64: (s) => Buffer.from(s).toString("base64"),
  base64url: (s) => Buffer.from(s).toString("base64url"),
};
const places = {
  log: (text: string) => ({ lines: ["clean line", `{"level":"ERROR","message":"calling with ${text}"}`] }),
  body: (text: string) => ({ messages: [{ Body: "{}" }, { Body: `{"k":"${text}"}` } as Message] }),
  attribute: (text: string) => ({ messages: [{ Body: "{}", MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: `rejected ${text}` } } } as Message] }),
  binaryAttribute: (text: string) => ({ messages: [{ Body: "{}", MessageAttributes: { Blob: { DataType: "Binary", BinaryValue: Buffer.from(`x${text}`) } } } as Message] }),
  lambdaRecordAttribute: (text: string) => ({ messages: [{ body: "{}", attributes: { ErrorMessage: { stringValue: text, dataType: "String" } } }] }),
  alert: (text: string) => ({ alerts: [{ kind: "failure", message: `upstream said ${text}` }] }),
  alertJson: (text: string) => ({ alerts: [`{"kind":"failure","message":"${text}"}`] }),
  notificationAlert: (text: string) => ({ notificationAlerts: [{ type: "notificationalerts", attributes: { message: `Oro: ${text}` } }] }),
};

describe("secret scan", () => {
  for (const [form, encode] of Object.entries(forms) as [SecretForm, (s: string) => string][]) {
    for (const [place, plant] of Object.entries(places)) {
      it(`finds the ${form} form in a ${place}`, () => {
        const result = scanForSecrets({ secrets: [OTHER, SECRET], ...plant(encode(SECRET)) });
        expect(result.hits.length).toBeGreaterThan(0);
        expect(result.hits.every((h) => h.secret === 1)).toBe(true);
        expect(result.hits.map((h) => h.form)).toContain(form);
      });
    }
  }

  it("finds a secret base64-encoded inside a longer blob at every alignment (a Basic auth header)", () => {
    for (const prefix of ["", "u", "us", "user:"]) {
      const header = `Authorization: Basic ${Buffer.from(`${prefix}${SECRET}:tail`).toString("base64")}`;
      expect(scanForSecrets({ secrets: [SECRET], lines: [header] }).hits.map((h) => h.form), prefix).toContain("base64");
    }
  });

  it("reports places and indexes, never the value, and counts what it read", () => {
    const result = scanForSecrets({
      secrets: [SECRET],
      lines: ["a", "b", `leak ${SECRET}`],
      messages: [{ Body: "x" }, { Body: "y", MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: SECRET } } }],
      alerts: [{}, {}, {}],
      notificationAlerts: [{ attributes: { message: encodeURIComponent(SECRET) } }],
    });
    expect(result.hits).toEqual([
      { secret: 0, form: "raw", place: "log", index: 2 },
      { secret: 0, form: "raw", place: "message", index: 1, field: "attribute:ErrorMessage" },
      { secret: 0, form: "url", place: "notificationalert", index: 0 },
    ]);
    expect(result.summary).toBe("secrets: 3 hits in 3 lines, 2 messages, 4 alerts");
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("finds nothing in clean output (redacted, near misses, short values ignored)", () => {
    const result = scanForSecrets({
      secrets: [SECRET, "abc"],
      lines: ["upstream rejected key ***", SECRET.slice(0, -1), "abc abc"],
      messages: [{ Body: SECRET.toUpperCase() }],
      alerts: [{ message: "***" }],
    });
    expect(result.hits).toEqual([]);
    expect(result.summary).toBe("secrets: 0 hits in 3 lines, 1 messages, 1 alerts");
  });

  it("derives every form of each secret", () => {
    const needles = secretNeedles([SECRET]);
    expect(new Set(Object.values(forms).map((encode) => encode(SECRET))).size).toBe(Object.keys(forms).length);
    for (const form of Object.keys(forms)) expect(needles.some((n) => n.form === form)).toBe(true);
  });
});
