import { type MessageAttributeValue, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pollOnce } from "../local-stack/event-source";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler, DlqAttribute, SEAL_ATTRIBUTE, sealKeyOf, sealOf, verifySeal } from "../shared/runtime";
import { loopConnector, upstream } from "./fixtures/failure-loop-connector";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * Forged DLQ attributes must not resolve alerts: any sender to a connector queue can set
 * ErrorCode / ExternalId / ItemId, and the runtime only trusts a set its own seal covers.
 */
const SECRET_NAME = "seal/integration";
const SECRET_VALUE = { apiKey: "seal-api-key-0123456789" };

let aws: LocalAws;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  aws.secrets.put(SECRET_NAME, SECRET_VALUE);
});
afterAll(async () => aws?.stop());
beforeEach(() => {
  upstream.down = false;
  upstream.broken = false;
});

const setup = async () => {
  const integration = `seal-${++counter}`;
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
  const sendWith = (attributes: Record<string, string>) =>
    aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: source.queueUrl,
        MessageBody: body,
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([k, v]) => [k, { DataType: k === "ItemId" ? "Number" : "String", StringValue: v } as MessageAttributeValue]),
        ),
      }),
    );
  const run = async () => {
    await pollOnce({ sqs: aws.sqs, queueUrl: source.queueUrl, handler });
    return (await aws.drain(alerts)).map((m) => JSON.parse(m.Body ?? "{}") as Record<string, unknown>);
  };
  return { integration, source, body, sendWith, run };
};

describe("DLQ attribute seal", () => {
  const key = sealKeyOf(SECRET_VALUE);
  const attrs: Record<string, string> = { ErrorCode: "MAPPING", ExternalId: "victim-sku", ItemId: "77", EnvelopeId: "sku-9" };
  const read = (a: Record<string, string>) => (name: string) => a[name];

  it("verifies only the exact attributes and body it was made over, under the same key", () => {
    const seal = sealOf(key, read(attrs), "{}");
    expect(verifySeal(key, read(attrs), "{}", seal)).toBe(true);
    for (const name of Object.keys(attrs)) expect(verifySeal(key, read({ ...attrs, [name]: `${attrs[name]}x` }), "{}", seal), name).toBe(false);
    expect(verifySeal(key, read(attrs), "{ }", seal)).toBe(false);
    expect(verifySeal(sealKeyOf({ apiKey: "another" }), read(attrs), "{}", seal)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", undefined)).toBe(false);
    expect(verifySeal(key, read(attrs), "{}", "zz")).toBe(false);
  });

  it("a producer's forged ErrorCode / ExternalId / ItemId resolve nothing: the message is processed as new", async () => {
    const t = await setup();
    await t.sendWith(attrs);
    expect(await t.run()).toEqual([]);
    // A seal made under another key (a guess) does no better.
    await t.sendWith({ ...attrs, [SEAL_ATTRIBUTE]: sealOf(sealKeyOf({ guessed: true }), read(attrs), t.body) });
    expect(await t.run()).toEqual([]);
  });

  it("a set sealed with the connector's key is a redrive: the recovery names the item", async () => {
    const t = await setup();
    await t.sendWith({ ...attrs, [SEAL_ATTRIBUTE]: sealOf(key, read(attrs), t.body) });
    const events = await t.run();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "recovery", integration: t.integration, envelopeId: "sku-9", externalId: "victim-sku", itemId: 77 });
  });

  it("the runtime seals what it dead-letters, within SQS's 10 attributes", async () => {
    const t = await setup();
    upstream.broken = true;
    await aws.send(t.source.queueUrl, t.body);
    await pollOnce({
      sqs: aws.sqs,
      queueUrl: t.source.queueUrl,
      handler: createConnectorHandler(loopConnector, {
        env: {},
        overrides: {
          integration: t.integration,
          connector: loopConnector.type,
          integrationSecretName: SECRET_NAME,
          queueUrl: t.source.queueUrl,
          dlqUrl: t.source.dlqUrl,
          alertsQueueUrl: t.source.queueUrl,
          maxReceiveCount: 5,
          recordConcurrency: 1,
          deadlineMarginMs: 500,
          backoffBaseSeconds: 0,
          fifo: false,
        },
      }),
    });
    const [copy] = await aws.drain(t.source.dlqUrl);
    const attributes = copy?.MessageAttributes ?? {};
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
    expect(attributes[DlqAttribute.code]?.StringValue).toBe("MAPPING");
    expect(verifySeal(key, (name) => attributes[name]?.StringValue, copy?.Body ?? "", attributes[SEAL_ATTRIBUTE]?.StringValue)).toBe(true);
  });
});
