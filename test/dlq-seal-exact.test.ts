import { type MessageAttributeValue, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollOnce } from "../local-stack/event-source";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler, SEAL_ATTRIBUTE, sealKeyOf, sealOf, verifySeal } from "../shared/runtime";
import { loopConnector } from "./fixtures/failure-loop-connector";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The seal's shape check (shared/runtime/attribute-seal.ts verifySeal) is anchored at both ends
 * (issue 16): a seal with anything before or after its 64 hex characters is refused. Unanchored
 * at the end, a valid seal with a character appended would verify (Buffer.from(hex) drops a
 * trailing odd or non-hex character); unanchored at the start, a prefixed seal would reach
 * timingSafeEqual with buffers of different length, which throws: a forged attribute must be
 * refused, never crash its record.
 */
const SECRET_NAME = "seal-exact/integration";
const SECRET_VALUE = { apiKey: "seal-exact-api-key-0123456789" };
const key = sealKeyOf(SECRET_VALUE);
const attrs: Record<string, string> = { ErrorCode: "MAPPING", ExternalId: "victim-sku", ItemId: "77", EnvelopeId: "sku-9" };
const read = (a: Record<string, string>) => (name: string) => a[name];

let aws: LocalAws;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  aws.secrets.put(SECRET_NAME, SECRET_VALUE);
});
afterAll(async () => aws?.stop());

describe("verifySeal: the seal must be exactly 64 lowercase hex characters", () => {
  const seal = sealOf(key, read(attrs), "{}");

  it("accepts the seal itself and refuses it with one character more, less, before or after", () => {
    expect(seal).toMatch(/^[0-9a-f]{64}$/);
    expect(verifySeal(key, read(attrs), "{}", seal)).toBe(true);
    // Appended: Buffer.from(`${seal}0`, "hex") is the seal's 32 bytes, so only the `$` anchor refuses these.
    expect(verifySeal(key, read(attrs), "{}", `${seal}0`)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", `${seal}x`)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", `${seal}00`)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", seal.slice(0, 63))).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", seal.toUpperCase())).toBe(false);
  });

  it("refuses a prefixed seal without throwing (Buffer.from would give 0 or 33 bytes: timingSafeEqual throws on unequal lengths)", () => {
    expect(() => Buffer.from(`x${seal}`, "hex").length).not.toThrow();
    expect(Buffer.from(`x${seal}`, "hex").length).toBe(0);
    expect(Buffer.from(`00${seal}`, "hex").length).toBe(33);
    expect(verifySeal(key, read(attrs), "{}", `x${seal}`)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", `00${seal}`)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", `0${seal}`)).toBe(false);
  });
});

describe("the runtime with a malformed seal on forged DLQ attributes (fauxqs)", () => {
  const setup = async () => {
    const integration = `seal-exact-${++counter}`;
    const source = await aws.createConnectorQueues(`${integration}-products`);
    const alerts = await aws.createQueue(`${integration}-alerts`);
    const handler = createConnectorHandler(loopConnector, {
      env: {},
      overrides: {
        integration,
        connector: loopConnector.type,
        integrationSecretName: SECRET_NAME,
        queueUrl: source.queueUrl,
        dlqUrl: source.dlqUrl,
        alertsQueueUrl: alerts,
        maxReceiveCount: 5,
        recordConcurrency: 1,
        deadlineMarginMs: 500,
        backoffBaseSeconds: 0,
        fifo: false,
      },
    });
    const body = JSON.stringify(createEnvelope({ id: "sku-9", integration, connector: loopConnector.type, type: "sync", payload: {} }));
    const sendWithSeal = (seal: string) =>
      aws.sqs.send(
        new SendMessageCommand({
          QueueUrl: source.queueUrl,
          MessageBody: body,
          MessageAttributes: Object.fromEntries(
            Object.entries({ ...attrs, [SEAL_ATTRIBUTE]: seal }).map(([k, v]) => [
              k,
              { DataType: k === "ItemId" ? "Number" : "String", StringValue: v } as MessageAttributeValue,
            ]),
          ),
        }),
      );
    return { source, alerts, handler, body, sendWithSeal };
  };

  for (const [name, malform] of [
    ["the valid seal with one hex character appended", (s: string) => `${s}0`],
    ["the valid seal behind a non-hex character", (s: string) => `x${s}`],
    ["the valid seal behind two hex characters", (s: string) => `00${s}`],
  ] as const) {
    it(`${name}: the message is processed as new (deleted, no recovery event, batch not failed)`, async () => {
      const t = await setup();
      await t.sendWithSeal(malform(sealOf(key, read(attrs), t.body)));
      const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.source.queueUrl, handler: t.handler });
      expect({ received: result.received, deleted: result.deleted, failed: [...result.failed] }).toEqual({ received: 1, deleted: 1, failed: [] });
      expect(await aws.drain(t.alerts)).toEqual([]);
      expect(await aws.drain(t.source.dlqUrl)).toEqual([]);
    });
  }
});
