import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventSourceMapping } from "../local-stack/event-source-mapping";
import { createRandom } from "../proof/common/random";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws.stop();
});

const run = async (name: string, duplicateDelivery?: Parameters<typeof startEventSourceMapping>[0]["duplicateDelivery"]) => {
  const queues = await aws.createConnectorQueues(name, { maxReceiveCount: 10 });
  for (let i = 0; i < 60; i++) await aws.send(queues.queueUrl, `m-${i}`);
  const deliveries = new Map<string, number[]>();
  const handler = async (event: { Records: { body: string; attributes: { ApproximateReceiveCount: string } }[] }) => {
    for (const r of event.Records) deliveries.set(r.body, [...(deliveries.get(r.body) ?? []), Number(r.attributes.ApproximateReceiveCount)]);
    return { batchItemFailures: [] };
  };
  const esm = startEventSourceMapping({
    sqs: aws.sqs,
    queueUrl: queues.queueUrl,
    handler: handler as never,
    maxConcurrency: 2,
    ...(duplicateDelivery ? { duplicateDelivery } : {}),
  });
  try {
    await esm.idle({ timeoutMs: 15_000, settleMs: 200 });
  } finally {
    await esm.stop();
  }
  return { deliveries, stats: esm.stats };
};

describe("Event source mapping emulator: duplicate delivery", () => {
  it("is off by default: every processed message is delivered once and deleted", async () => {
    const { deliveries, stats } = await run("dup-off");
    expect(deliveries.size).toBe(60);
    expect([...deliveries.values()].every((d) => d.length === 1)).toBe(true);
    expect(stats.redelivered).toBe(0);
    expect(stats.deleted).toBe(60);
  });

  it("delivers processed messages again at random, at most maxDeliveries times each, and then deletes them", async () => {
    const { deliveries, stats } = await run("dup-on", { rate: 0.5, maxDeliveries: 3, random: createRandom(3).next });
    expect(deliveries.size).toBe(60);
    const counts = [...deliveries.values()].map((d) => d.length);
    expect(Math.max(...counts)).toBe(3);
    expect(counts.filter((n) => n > 1).length).toBeGreaterThan(10);
    // Each delivery is a real receive: the count SQS reports goes 1, 2, 3.
    for (const d of deliveries.values()) expect(d).toEqual(d.map((_, i) => i + 1));
    expect(stats.redelivered).toBe(counts.reduce((a, n) => a + n - 1, 0));
    expect(stats.deleted).toBe(60);
    expect(stats.received).toBe(60 + stats.redelivered);
  });
});
