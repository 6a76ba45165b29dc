import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local webhook receiver answering with the queued statuses (then 200). */
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const replies: Array<{ status: number; headers?: Record<string, string> }> = [];

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const reply = replies.shift() ?? { status: 200 };
      res.writeHead(reply.status, reply.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
  oro = await startOroSandbox({ clientId: "hooks", clientSecret: "hooks-secret", webhookRetry: { baseDelayMs: 10, maxAttempts: 3, maxDelayMs: 80 } });
  api = sandboxCaller(oro, "hooks", "hooks-secret");
});
afterAll(async () => {
  await oro.stop();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  await oro.admin.reset();
  received.length = 0;
  replies.length = 0;
});

async function registerWebhook(options: { secret?: string; format?: string; topic?: string } = {}): Promise<string> {
  const response = await api.post("/webhooks", {
    data: {
      type: "webhooks",
      attributes: { notificationUrl: receiverUrl, enabled: true, verifySsl: false, ...(options.secret ? { secret: options.secret } : {}) },
      relationships: {
        topic: { data: { type: "webhooktopics", id: options.topic ?? "order.created" } },
        format: { data: { type: "webhookformats", id: options.format ?? "default" } },
      },
    },
  });
  expect(response.status).toBe(201);
  expect(response.json.data.attributes).not.toHaveProperty("secret");
  return response.json.data.id as string;
}

describe("Oro sandbox: webhooks", () => {
  it("lists topics and formats", async () => {
    const topics = await api.get("/webhooktopics?page[size]=-1");
    expect(topics.json.data.map((t: { id: string }) => t.id)).toContain("order.created");
    const formats = await api.get("/webhookformats");
    expect(formats.json.data.map((f: { id: string }) => f.id).sort()).toEqual(["default", "thin"]);
  });

  it("delivers order.created with a valid HMAC-SHA256 signature", async () => {
    const secret = "whsec-test-123";
    const webhookId = await registerWebhook({ secret });
    const order = await oro.admin.createOrder({ customerId: "2", lines: [{ sku: "SKU-0005", quantity: 2, value: 4 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const body = JSON.parse(delivery!.body);
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(delivery!.headers["webhook-topic"]).toBe("order.created");
    expect(delivery!.headers["webhook-id"]).toBe(body.messageId);
    expect(delivery!.headers["webhook-signature-algorithm"]).toBe("HMAC-SHA256");
    expect(delivery!.headers["webhook-signature"]).toBe(createHmac("sha256", secret).update(delivery!.body).digest("hex"));
    expect(body).toMatchObject({ topic: "order.created", eventData: { data: { type: "orders", id: order.data.id } } });
    expect(typeof body.timestamp).toBe("number");
    expect(body.eventData.data.attributes.totalValue).toBe("8");
    expect(body.eventData.included.some((i: { type: string }) => i.type === "orderlineitems")).toBe(true);
    const log = await oro.admin.webhookDeliveries();
    expect(log).toMatchObject([{ webhookId, topic: "order.created", status: 200, outcome: "delivered", attempt: 1 }]);
  });

  it("sends no signature without a secret, thin format has type/id only, API-created orders fire too", async () => {
    await registerWebhook({ format: "thin" });
    const order = await api.post("/orders", {
      data: { type: "orders", relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: "x" }] } } },
      included: [{ type: "orderlineitems", id: "x", attributes: { quantity: 1, value: 1 }, relationships: { product: { data: { type: "products", id: "1" } }, productUnit: { data: { type: "productunits", id: "each" } } } }],
    });
    expect(order.status).toBe(201);
    await oro.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers).not.toHaveProperty("webhook-signature");
    expect(JSON.parse(received[0]!.body).eventData).toEqual({ data: { type: "orders", id: order.json.data.id } });
  });

  it("fires order.updated on PATCH and ignores disabled webhooks", async () => {
    await registerWebhook({ topic: "order.updated" });
    const disabled = await registerWebhook({ topic: "order.updated" });
    await api.patch(`/webhooks/${disabled}`, { data: { type: "webhooks", id: disabled, attributes: { enabled: false } } });
    await api.patch("/orders/1", { data: { type: "orders", id: "1", attributes: { poNumber: "PO-NEW" } } });
    await oro.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body).eventData.data.attributes.poNumber).toBe("PO-NEW");
  });

  it("retries 503 with backoff and honours Retry-After (capped), then delivers", async () => {
    await registerWebhook();
    replies.push({ status: 503 }, { status: 429, headers: { "Retry-After": "1" } });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(3);
    const messageIds = new Set(received.map((r) => r.headers["webhook-id"]));
    expect(messageIds.size).toBe(1);
    const log = oro.webhooks.log;
    expect(log.map((e) => [e.status, e.outcome])).toEqual([[503, "retrying"], [429, "retrying"], [200, "delivered"]]);
    expect(log[0]!.retryInMs).toBe(10);
    expect(log[1]!.retryInMs).toBe(80);
  });

  it("gives up after maxAttempts and logs a failure; other 4xx are not retried", async () => {
    await registerWebhook();
    replies.push({ status: 500 }, { status: 502 }, { status: 503 });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(oro.webhooks.log.map((e) => e.outcome)).toEqual(["retrying", "retrying", "failed"]);
    replies.push({ status: 400 });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(oro.webhooks.log.at(-1)).toMatchObject({ status: 400, outcome: "failed", attempt: 1 });
  });

  it("deletes the webhook on 410 Gone", async () => {
    const webhookId = await registerWebhook();
    replies.push({ status: 410 });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(oro.webhooks.log.at(-1)).toMatchObject({ status: 410, outcome: "gone" });
    expect((await api.get(`/webhooks/${webhookId}`)).status).toBe(404);
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(1);
  });
});
