import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redriveDlq } from "../ops/commands/dlq-redrive";
import { SQS_BATCH_MAX_BYTES as MAX_BATCH_BYTES, sqsSendBatches as sizeBoundedBatches } from "../shared/aws";
import { createContext, type OpsContext } from "../ops/context";
import { type LocalStack, startLocalStack } from "../local-stack/stack";
import { receiveAll } from "../proof/common/sqs";
import { createEnvelope } from "../shared/messages";

/**
 * Regression (found by the outage run): `dlq redrive` sent up to ten DLQ messages in one
 * SendMessageBatch whatever their size, so a DLQ of Akeneo page messages (up to 200 KB each) could
 * not be redriven at all: SQS refused the batch (BatchRequestTooLong, over 1 MiB in total).
 */
let stack: LocalStack;
let ctx: OpsContext;
beforeAll(async () => {
  stack = await startLocalStack({ ephemeralPorts: true, endpointsFile: false, fireSchedulesAtStart: false, seedSandboxes: false });
  // Nothing consumes the connector queue: the test reads what the redrive put there.
  await stack.connectors.find((c) => c.resolved.connector === "akeneo-products")?.mapping.stop();
  ctx = createContext({ local: stack.endpoints, configPath: stack.endpoints.configPath });
}, 30_000);
afterAll(async () => {
  ctx?.close();
  await stack?.stop();
});

describe("dlq redrive of big messages", () => {
  it("splits SendMessageBatch under SQS's 1 MiB total", () => {
    const entry = (id: number, bytes: number) => ({
      Id: String(id),
      MessageBody: "x".repeat(bytes),
      MessageAttributes: { ErrorCode: { DataType: "String", StringValue: "HTTP_503" } },
    });
    const batches = sizeBoundedBatches(Array.from({ length: 10 }, (_, i) => entry(i, 200_000)));
    expect(batches.map((b) => b.length)).toEqual([5, 5]);
    expect(sizeBoundedBatches(Array.from({ length: 10 }, (_, i) => entry(i, 100)))).toHaveLength(1);
    // One message at the limit goes alone.
    expect(sizeBoundedBatches([entry(0, 10), entry(1, MAX_BATCH_BYTES - 40), entry(2, 10)]).map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it("moves ten 200 KB page messages back to the connector queue, bodies and reasons intact", async () => {
    const akeneo = stack.connectors.find((c) => c.resolved.connector === "akeneo-products");
    if (!akeneo) throw new Error("akeneo-products is not enabled");
    const bodies = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify(
        createEnvelope({
          id: `page-${i}`,
          integration: "akeneo-main",
          connector: "akeneo-products",
          type: "page",
          payload: { window: "w", products: [{ identifier: `P-${i}`, pad: "x".repeat(200_000) }] },
        }),
      ),
    );
    for (const body of bodies) {
      await stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: akeneo.dlqUrl,
          MessageBody: body,
          MessageAttributes: {
            ErrorCode: { DataType: "String", StringValue: "HTTP_503" },
            ErrorMessage: { DataType: "String", StringValue: "Oro answered 503" },
          },
        }),
      );
    }
    const result = await redriveDlq(ctx, "akeneo-main", "akeneo-products", { copy: true });
    expect(result).toMatchObject({ moved: 10, failed: 0, kept: 0, notDeleted: 0 });
    expect(await stack.depth(akeneo.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const back = await receiveAll(stack.sqs, akeneo.queueUrl, { timeoutMs: 10_000 });
    expect(back.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(back.every((m) => m.MessageAttributes?.ErrorCode?.StringValue === "HTTP_503" && m.MessageAttributes?.RedrivenFrom?.StringValue)).toBe(true);
  });
});
