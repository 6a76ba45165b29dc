import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oroOrdersToErp } from "../functions/oro-orders-to-erp/connector";
import { isPermanent } from "../shared/errors";
import { HttpRequestInvalidError, request } from "../shared/http";
import { connectorRig, startErpStack } from "./erp-local-stack";
import type { ErpStack } from "./erp-local-stack";
import { startTestServer } from "./helpers/http-test-server";

/**
 * A CR/LF (or NUL) in an id that ends up in a URL or a header fails the record at once, with a
 * clear permanent error, instead of an undici InvalidArgumentError the runtime retried ten times
 * (or, in a URL, a line break WHATWG URL drops silently, addressing another record).
 */
describe("HTTP requests with a line break in an id", () => {
  it("are refused before anything is sent, as a permanent error naming the header, never its value", async () => {
    const server = await startTestServer((_req, res) => res.end("{}"));
    try {
      const attempts = [
        () => request({ url: `${server.url}/orders/42`, headers: { "idempotency-key": "oro-order:42:evil\r\nX-Injected: 1" } }),
        () => request({ url: `${server.url}/orders/4\n2` }),
        () => request({ url: `${server.url}/orders?filter=a\rb` }),
        () => request({ url: `${server.url}/orders/42`, headers: { authorization: "Bearer tok\0en" } }),
      ];
      const errors = [];
      for (const attempt of attempts) errors.push(await attempt().catch((error: unknown) => error));
      expect(errors.map((e) => e instanceof HttpRequestInvalidError && isPermanent(e))).toEqual([true, true, true, true]);
      expect((errors[0] as Error).message).toMatch(/header "idempotency-key" holds a line break or NUL/);
      expect((errors[1] as Error).message).toMatch(/the URL's path holds a line break or NUL/);
      expect((errors[2] as Error).message).toMatch(/the URL's query holds a line break or NUL/);
      expect((errors[3] as Error).message).not.toContain("tok");
      expect(server.log.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe("oro-orders-to-erp with a CR/LF in the event id", () => {
  let stack: ErpStack;
  beforeAll(async () => {
    stack = await startErpStack();
  });
  afterAll(async () => stack?.stop());

  it("dead-letters the record on its first attempt with HTTP_REQUEST_INVALID, and exports a clean one", async () => {
    await stack.oro.admin.reset();
    await stack.erp.admin.reset({ seed: false });
    const rig = await connectorRig(stack, oroOrdersToErp);
    const [bad, good] = [
      (await stack.oro.admin.createOrder({ customerId: "2", lines: [{ sku: "SKU-0004", quantity: 1, value: 7 }] })).data.id,
      (await stack.oro.admin.createOrder({ customerId: "2", lines: [{ sku: "SKU-0004", quantity: 2, value: 14 }] })).data.id,
    ];
    // The envelope id becomes part of the ERP Idempotency-Key header.
    await rig.send("order", "replay-1\r\nX-Injected: yes", { orderId: bad });
    await rig.send("order", "replay-2", { orderId: good });

    const run = await rig.drain();

    expect(run.failed).toBe(0);
    const dlq = await rig.dlq();
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.MessageAttributes?.ErrorCode?.StringValue).toBe("HTTP_REQUEST_INVALID");
    expect(dlq[0]?.MessageAttributes?.Attempt?.StringValue).toBe("1");
    expect((await stack.erp.admin.orders()).map((o) => o.order.source.orderId)).toEqual([good]);
  });
});
