import { readFileSync } from "node:fs";
import * as crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createIngressHandler, IngressEnv, signBody, verifySignature } from "../functions/webhook-ingress";
import { lambdaContext } from "../local-stack/event-source";
import { functionUrlEvent } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

// The real timingSafeEqual, watched: the ingress must compare the digests with it (issue 16, gap 2).
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/**
 * The webhook signature over the bytes Oro really sends (docs/reference/oro-api.md §8.1). Oro signs the body it posts:
 * `WebhookNotificationSender::getRequestOptions` does `json_encode($payload, JSON_THROW_ON_ERROR)`
 * and `hash_hmac('sha256', $jsonPayload, $secret)` (oroinc/platform 7.0.4
 * src/Oro/Bundle/IntegrationBundle/Model/WebhookNotificationSender.php). PHP's default flags
 * escape `/` as `\/` and every non-ASCII character as `\uXXXX` (lower-case hex, UTF-16 units),
 * which JSON.stringify never writes: an ingress that re-serialises the parsed body before the
 * HMAC refuses every real delivery with such a character. Other producers may pretty-print or
 * send raw UTF-8 (JSON_UNESCAPED_UNICODE). Every variant must verify and be forwarded byte for byte.
 */
const SECRET = "whsec-php-escapes-0123456789";

/** PHP's `json_encode($value)` with default flags. */
const phpJsonEncode = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** PHP's `json_encode($value, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)`: 4 spaces, raw UTF-8. */
const phpPrettyUnescaped = (value: unknown): string => JSON.stringify(value, null, 4);

/**
 * `astral`: a character outside the BMP (🚚). Escaped (`\ud83d\ude9a`) it is ASCII; raw, fauxqs 2.x
 * refuses it although SQS accepts #x10000-#x10FFFF (see proof/fuzz/generate.ts), so the raw UTF-8
 * bodies keep to the BMP.
 */
const payload = (messageId: string, astral = true) => ({
  topic: "order.created",
  // Now: the ingress refuses timestamps outside its replay window (functions/webhook-ingress/replay.ts).
  timestamp: Math.floor(Date.now() / 1000),
  messageId,
  eventData: {
    data: {
      type: "orders",
      id: "42",
      attributes: {
        identifier: "O-42/2026",
        customerName: "Jürgen Müller",
        city: "東京",
        note: `ship ${astral ? "🚚" : "→"} via https://carrier.example/track?id=1&x=<a>`,
        quote: 'say "hi"',
      },
    },
  },
});

let aws: LocalAws;
let queueUrl: string;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  queueUrl = await aws.createQueue("signature-orders");
});
afterAll(async () => {
  await aws?.stop();
});
beforeEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

const ingress = () => {
  const secretName = `oro/webhook-signature-${++counter}`;
  aws.secrets.put(secretName, { secret: SECRET });
  const handler = createIngressHandler({
    env: { [IngressEnv.WEBHOOK_SECRET_NAME]: secretName, [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify({ "order.created": queueUrl }) },
  });
  return (body: string | Buffer, signature: string, options: { base64?: boolean } = {}) =>
    handler(
      functionUrlEvent(
        body,
        { "content-type": "application/json", "webhook-topic": "order.created", "webhook-signature": signature, "webhook-signature-algorithm": "HMAC-SHA256" },
        options,
      ),
      lambdaContext(10_000, "webhook-ingress"),
    );
};

describe("Webhook signature over the raw body", () => {
  it("the PHP encoder writes what JSON.stringify does not (the test bodies really differ from canonical JSON)", () => {
    const body = phpJsonEncode(payload("m-1"));
    expect(body).toContain("O-42\\/2026");
    expect(body).toContain("J\\u00fcrgen M\\u00fcller");
    expect(body).toContain("\\u6771\\u4eac");
    expect(body).toContain("\\ud83d\\ude9a");
    expect(body).not.toBe(JSON.stringify(JSON.parse(body)));
    expect(JSON.parse(body)).toEqual(payload("m-1"));
  });

  const variants: Array<[string, (value: unknown) => string, boolean]> = [
    ["PHP json_encode defaults (\\/ and \\uXXXX escapes), as Oro sends it", phpJsonEncode, true],
    ["pretty-printed with raw UTF-8 (JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)", phpPrettyUnescaped, false],
    ["PHP escapes with CRLF line ends and a trailing newline", (v) => `${phpJsonEncode(v).replace(/,/g, ",\r\n  ")}\n`, true],
  ];
  for (const [name, encode, astral] of variants) {
    it(`accepts a body signed over its own bytes: ${name}, and forwards those bytes unchanged`, async () => {
      const call = ingress();
      const messageId = crypto.randomUUID();
      const body = encode(payload(messageId, astral));

      const result = await call(body, signBody(body, SECRET));

      expect(result.statusCode).toBe(202);
      expect(JSON.parse(result.body ?? "{}")).toEqual({ accepted: true, messageId });
      const forwarded = await aws.drain(queueUrl);
      expect(forwarded.map((m) => m.Body)).toEqual([body]);
      expect(Buffer.from(forwarded[0]?.Body ?? "", "utf8").equals(Buffer.from(body, "utf8"))).toBe(true);
    });
  }

  it("verifies a base64-delivered body with raw UTF-8 over the decoded bytes", async () => {
    const call = ingress();
    const body = phpPrettyUnescaped(payload(crypto.randomUUID(), false));
    const bytes = Buffer.from(body, "utf8");
    expect(bytes.length).toBeGreaterThan(body.length);

    const result = await call(bytes, signBody(bytes, SECRET), { base64: true });

    expect(result.statusCode).toBe(202);
    expect((await aws.drain(queueUrl)).map((m) => m.Body)).toEqual([body]);
  });

  it("refuses a signature over the re-serialised body: only the bytes sent count", async () => {
    const call = ingress();
    const body = phpJsonEncode(payload(crypto.randomUUID()));
    const canonical = JSON.stringify(JSON.parse(body));

    const result = await call(body, signBody(canonical, SECRET));

    expect(result.statusCode).toBe(401);
    expect(await aws.drain(queueUrl)).toEqual([]);
  });
});

describe("Function: verifySignature (constant-time comparison)", () => {
  const body = Buffer.from(phpJsonEncode(payload("m-ct")), "utf8");
  const right = signBody(body, SECRET);

  it("compares the raw 32-byte digests with crypto.timingSafeEqual, once per secret, right or wrong", () => {
    const safeEqual = vi.mocked(crypto.timingSafeEqual);
    expect(verifySignature(body, right, [SECRET])).toBe(true);
    expect(safeEqual).toHaveBeenCalledTimes(1);
    // A guess right in all but the last hex digit still goes through the constant-time compare.
    const nearly = `${right.slice(0, 63)}${right.endsWith("0") ? "1" : "0"}`;
    expect(verifySignature(body, nearly, ["other-secret-0123456789", SECRET])).toBe(false);
    expect(safeEqual).toHaveBeenCalledTimes(3);
    for (const [a, b] of safeEqual.mock.calls) {
      expect(Buffer.isBuffer(a) && Buffer.isBuffer(b)).toBe(true);
      expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
    }
    // Upper-case hex (same bytes) verifies: the digests are compared as bytes, not as text.
    expect(verifySignature(body, right.toUpperCase(), [SECRET])).toBe(true);
  });

  it("tries every secret even after one matched, so the time does not tell which one did", () => {
    const safeEqual = vi.mocked(crypto.timingSafeEqual);
    expect(verifySignature(body, right, [SECRET, "previous-secret-0123456789"])).toBe(true);
    expect(safeEqual).toHaveBeenCalledTimes(2);
  });

  it("refuses a digest of the wrong length before comparing (timingSafeEqual needs equal lengths)", () => {
    const safeEqual = vi.mocked(crypto.timingSafeEqual);
    expect(verifySignature(body, right.slice(0, 62), [SECRET])).toBe(false);
    expect(verifySignature(body, `${right}00`, [SECRET])).toBe(false);
    expect(safeEqual).not.toHaveBeenCalled();
  });

  it("has no string comparison of hex digests in the verification (structural)", () => {
    const source = readFileSync(new URL("../functions/webhook-ingress/signature.ts", import.meta.url), "utf8");
    const verify = source.slice(source.indexOf("export const verifySignature"), source.indexOf("export const signBody"));
    expect(verify).toContain("timingSafeEqual(");
    expect(verify).not.toMatch(/digest\(\s*["']hex["']\s*\)/);
    expect(verify).not.toMatch(/toString\(\s*["']hex["']\s*\)/);
    expect(verify).not.toMatch(/\.equals\(/);
  });
});
