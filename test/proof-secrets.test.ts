import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { scanForSecrets, type SecretForm, secretLeaves, secretNeedles } from "../proof/secrets-scan";

/**
 * The secret scan itself: it must find a planted secret in every form and every place, or its
 * "0 hits" after a proof run means nothing. The forms are planted with encoders written here,
 * independently of shared/observability/secret-forms.ts that the scan uses.
 */
// Every form differs from the others: "/" (PHP \/, %2F), "é" (PHP \u00e9, %C3%A9, lower-case
// %c3%a9), space (+ in forms), "%" (double encoding), '"' and "\\" (JSON), "?>>" (base64 + and /).
const SECRET = 'proof-Secret/+=&"valué\\ 42%??>>~';
const OTHER = "other-api-key-0123456789";
type Encoder = (s: string) => string;
const forms: Record<Exclude<SecretForm, "partial">, Encoder> = {
  raw: (s) => s,
  url: (s) => encodeURIComponent(s),
  "url-lower": (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  form: (s) => new URLSearchParams({ v: s }).toString().slice(2),
  "url-double": (s) => encodeURIComponent(encodeURIComponent(s)),
  json: (s) => JSON.stringify(s).slice(1, -1),
  // PHP json_encode($s), written out by hand: \/ for "/", \u00e9 for "é", JSON's \" and \\.
  "php-json": () => 'proof-Secret\\/+=&\\"valu\\u00e9\\\\ 42%??>>~',
  // Symfony's JsonResponse adds JSON_HEX_TAG|APOS|AMP|QUOT: & " > as \u0026 \u0022 \u003E.
  "php-json-hex": () => "proof-Secret\\/+=\\u0026\\u0022valu\\u00e9\\\\ 42%??\\u003E\\u003E~",
  hex: (s) => Buffer.from(s).toString("hex"),
  "hex-upper": (s) => Buffer.from(s).toString("hex").toUpperCase(),
  base64: (s) => Buffer.from(s).toString("base64"),
  base64url: (s) => Buffer.from(s).toString("base64url"),
};
const places = {
  log: (text: string) => ({ lines: ["clean line", `{"level":"ERROR","message":"calling with ${text}"}`] }),
  body: (text: string) => ({ messages: [{ Body: "{}" }, { Body: `{"k":"${text}"}` } as Message] }),
  attribute: (text: string) => ({
    messages: [{ Body: "{}", MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: `rejected ${text}` } } } as Message],
  }),
  binaryAttribute: (text: string) => ({
    messages: [{ Body: "{}", MessageAttributes: { Blob: { DataType: "Binary", BinaryValue: Buffer.from(`x${text}`) } } } as Message],
  }),
  lambdaRecordAttribute: (text: string) => ({ messages: [{ body: "{}", attributes: { ErrorMessage: { stringValue: text, dataType: "String" } } }] }),
  connectorQueue: (text: string) => ({ queueMessages: [{ Body: `{"payload":{"note":"${text}"}}` } as Message] }),
  alert: (text: string) => ({ alerts: [{ kind: "failure", message: `upstream said ${text}` }] }),
  alertJson: (text: string) => ({ alerts: [`{"kind":"failure","message":"${text}"}`] }),
  notificationAlert: (text: string) => ({ notificationAlerts: [{ type: "notificationalerts", attributes: { message: `Oro: ${text}` } }] }),
  opsOutput: (text: string) => ({ opsOutput: ["dlq peek erp-main erp-stock", `  ErrorMessage: ${text}`] }),
};

describe("secret scan", () => {
  for (const [form, encode] of Object.entries(forms) as [SecretForm, Encoder][]) {
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
    for (const prefix of ["", "u", "us", "user:", "client-id-7:"]) {
      const header = `Authorization: Basic ${Buffer.from(`${prefix}${SECRET}:tail`).toString("base64")}`;
      expect(
        scanForSecrets({ secrets: [SECRET], lines: [header] }).hits.map((h) => h.form),
        prefix,
      ).toContain("base64");
    }
  });

  it("finds OAuth tokens, listed after the secrets", () => {
    const token = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJjIn0.sig-Abc_123";
    const result = scanForSecrets({
      secrets: [SECRET],
      tokens: [token],
      lines: [`Authorization: Bearer ${token}`],
      messages: [{ Body: JSON.stringify({ t: encodeURIComponent(token) }) }],
    });
    expect(result.hits).toEqual([
      { secret: 1, form: "raw", place: "log", index: 0 },
      { secret: 1, form: "raw", place: "message", index: 0, field: "body" },
    ]);
    expect(result.counts.tokens).toBe(1);
    expect(result.summary).toBe("secrets: 2 hits in 1 lines, 1 messages, 0 alerts, 1 tokens");
  });

  it("finds partial secrets: half the secret anywhere, and a prefix of 6+ characters where a text is cut", () => {
    const half = SECRET.slice(0, Math.floor(SECRET.length / 2));
    expect(scanForSecrets({ secrets: [SECRET], lines: [`x ${half} y`] }).hits).toEqual([{ secret: 0, form: "partial", place: "log", index: 0 }]);
    expect(scanForSecrets({ secrets: [SECRET], lines: [`rejected: ${SECRET.slice(0, 6)}…`] }).hits).toEqual([
      { secret: 0, form: "partial", place: "log", index: 0 },
    ]);
    expect(
      scanForSecrets({
        secrets: [SECRET],
        messages: [{ Body: "{}", MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: `cut ${SECRET.slice(0, 9)}` } } } as Message],
      }).hits,
    ).toEqual([{ secret: 0, form: "partial", place: "message", index: 0, field: "attribute:ErrorMessage" }]);
  });

  it("reports places and indexes, never the value, and counts what it read", () => {
    const result = scanForSecrets({
      secrets: [SECRET],
      lines: ["a", "b", `leak ${SECRET} end`],
      messages: [{ Body: "x" }, { Body: "y", MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: `${SECRET} end` } } }],
      alerts: [{}, {}, {}],
      notificationAlerts: [{ attributes: { message: `${encodeURIComponent(SECRET)} end` } }],
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
      lines: ["upstream rejected key ***", SECRET.slice(0, 5), `${SECRET.slice(0, 5)}…`, "abc abc"],
      messages: [{ Body: SECRET.toUpperCase() }],
      queueMessages: [{ Body: '{"id":"1"}' }],
      alerts: [{ message: "***" }],
      opsOutput: ["ok"],
    });
    expect(result.hits).toEqual([]);
    expect(result.summary).toBe("secrets: 0 hits in 4 lines, 1 messages, 1 alerts, 1 queue messages, 1 ops lines");
  });

  it("misses what it documents it misses: encoded partials, cut prefixes under 6 characters, other encodings", () => {
    const misses = [
      encodeURIComponent(SECRET.slice(0, 17)),
      `cut ${SECRET.slice(0, 5)}`,
      Buffer.from(SECRET, "utf16le").toString("hex"),
      [...SECRET].map((c) => `&#${c.codePointAt(0)};`).join(""),
    ];
    for (const text of misses) expect(scanForSecrets({ secrets: [SECRET], lines: [text] }).hits, text).toEqual([]);
  });

  it("derives every form of each secret", () => {
    const needles = secretNeedles([SECRET]);
    expect(new Set(Object.values(forms).map((encode) => encode(SECRET))).size).toBe(Object.keys(forms).length);
    for (const form of [...Object.keys(forms), "partial"])
      expect(
        needles.some((n) => n.form === form),
        form,
      ).toBe(true);
  });

  it("reads the sensitive leaves of secrets at any depth, and leaves identifiers out", () => {
    const leaves = secretLeaves({
      "oro/main": { baseUrl: "https://oro.example.com", clientId: "oro-client", clientSecret: "oro-Secret/1" },
      "pim/main": { username: "connector", auth: { password: "pim-Passwort ü", tokens: [{ refresh: "rt-1234567" }] } },
      "webhook/signing": "bare-string-secret-0001",
      "erp/main": { baseUrl: "https://erp.example.com", apiKey: "erp-Key+0001", maxConnections: 4 },
    });
    expect(leaves.sort()).toEqual(["bare-string-secret-0001", "erp-Key+0001", "oro-Secret/1", "pim-Passwort ü", "rt-1234567"]);
  });
});
