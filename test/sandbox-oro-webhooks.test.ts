import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import { phpJsonEncode } from "../sandboxes/oro/webhooks";
import type { OroSandbox } from "../sandboxes/oro";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local webhook receiver answering with the queued statuses (then 200). */
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status 0 = close the connection (transport error); `delayMs` answers late (timeouts). */
const replies: Array<{ status: number; headers?: Record<string, string>; delayMs?: number }> = [];

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const reply = replies.shift() ?? { status: 200 };
      if (reply.status === 0) {
        req.socket.destroy(); // transport error
        return;
      }
      const answer = () => {
        res.writeHead(reply.status, reply.headers ?? {});
        res.end();
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
  oro = await startOroSandbox({
    clientId: "hooks",
    clientSecret: "hooks-secret",
    webhookRetry: { baseDelayMs: 10, maxAttempts: 3, maxDelayMs: 80, timeoutMs: 5_000 },
  });
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
      data: {
        type: "orders",
        relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: "x" }] } },
      },
      included: [
        {
          type: "orderlineitems",
          id: "x",
          attributes: { quantity: 1, value: 1 },
          relationships: { product: { data: { type: "products", id: "1" } }, productUnit: { data: { type: "productunits", id: "each" } } },
        },
      ],
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

  it("retries 503 and 429 (Retry-After honoured, capped by the test's maxDelayMs) with one messageId, then delivers", async () => {
    await registerWebhook();
    replies.push({ status: 503 }, { status: 429, headers: { "Retry-After": "1" } });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(3);
    const messageIds = new Set(received.map((r) => r.headers["webhook-id"]));
    expect(messageIds.size).toBe(1);
    const log = oro.webhooks.log;
    expect(log.map((e) => [e.status, e.outcome])).toEqual([
      [503, "retrying"],
      [429, "retrying"],
      [200, "delivered"],
    ]);
    expect(log[0]!.retryInMs).toBe(10);
    expect(log[1]!.retryInMs).toBe(80);
  });

  it("retries exactly 423, 425, 429, 502 and 503 (every retry waits the same delay), until the test bound maxAttempts", async () => {
    await registerWebhook();
    for (const status of [423, 425, 429, 502, 503]) {
      oro.webhooks.log.length = 0;
      replies.push({ status }, { status }, { status });
      await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
      await oro.webhooks.idle();
      expect(oro.webhooks.log.map((e) => [e.status, e.outcome, e.retryInMs])).toEqual([
        [status, "retrying", 10],
        [status, "retrying", 10],
        [status, "failed", undefined],
      ]);
    }
  });

  it("never retries 500, 504, 507, 510, other 4xx or 3xx (Oro retries those for idempotent methods only, not POST)", async () => {
    await registerWebhook();
    for (const status of [500, 504, 507, 510, 400, 404, 301]) {
      replies.push({ status, ...(status === 301 ? { headers: { Location: "http://127.0.0.1:1/elsewhere" } } : {}) });
      await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
      await oro.webhooks.idle();
    }
    expect(oro.webhooks.log.map((e) => [e.status, e.outcome, e.attempt])).toEqual([500, 504, 507, 510, 400, 404, 301].map((status) => [status, "failed", 1]));
    expect(received).toHaveLength(7);
  });

  it("never retries a timeout or a transport error", async () => {
    await registerWebhook();
    // Only this test has a short delivery timeout: the held reply is 5x longer than it.
    oro.webhooks.configure({ timeoutMs: 1_000 });
    replies.push({ status: 200, delayMs: 5_000 });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    replies.push({ status: 0 });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0002", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(oro.webhooks.log.map((e) => [e.status, e.outcome, e.attempt])).toEqual([
      [null, "failed", 1],
      [null, "failed", 1],
    ]);
    oro.webhooks.configure({ timeoutMs: 5_000 });
    expect(oro.webhooks.log[0]!.error).toBe("timed out after 1000 ms");
    expect(received).toHaveLength(2);
  });

  it("skips a delivery silently when the webhook's owner has no VIEW on the entity", async () => {
    const webhookId = await registerWebhook();
    const webhook = await api.get(`/webhooks/${webhookId}`);
    expect(webhook.json.data.relationships.owner.data).toEqual({ type: "users", id: "1" });
    oro.acl.deny({ type: "orders", permission: "VIEW" });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(0);
    expect(oro.webhooks.log.map((e) => [e.webhookId, e.outcome, e.status, e.attempt])).toEqual([[webhookId, "skipped", null, 0]]);
    // The same user's API reads are refused too.
    const list = await api.get("/orders");
    expect(list.status).toBe(403);
    expect(list.json.errors).toEqual([{ status: "403", title: "access denied exception", detail: "No access to this type of entities." }]);
    oro.acl.grant({ type: "orders", permission: "VIEW" });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(1);
  });

  it("sends Oro's fallback body (data.type = the PHP class, id as a number) when the entity cannot be serialized", async () => {
    await registerWebhook({ secret: "whsec-fallback-1" });
    oro.webhooks.failSerialization(1);
    const order = await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(1);
    const raw = received[0]!.body;
    expect(JSON.parse(raw).eventData).toEqual({ data: { type: "Oro\\Bundle\\OrderBundle\\Entity\\Order", id: Number(order.data.id) } });
    expect(raw).toContain('"type":"Oro\\\\Bundle\\\\OrderBundle\\\\Entity\\\\Order"');
    expect(received[0]!.headers["webhook-signature"]).toBe(createHmac("sha256", "whsec-fallback-1").update(raw).digest("hex"));
    // Only that one event.
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(JSON.parse(received[1]!.body).eventData.data.type).toBe("orders");
  });

  it("encodes the body as PHP's json_encode does, keys in Oro's order, one messageId for all webhooks of an event", async () => {
    await registerWebhook();
    await registerWebhook({ format: "thin" });
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received).toHaveLength(2);
    for (const { body } of received) {
      expect(Object.keys(JSON.parse(body))).toEqual(["topic", "eventData", "timestamp", "messageId"]);
    }
    expect(new Set(received.map((r) => JSON.parse(r.body).messageId)).size).toBe(1);
  });

  it("answers Oro's own errors for a missing format and unknown topics or formats (WebhookTest.php)", async () => {
    const post = (relationships: Record<string, unknown>) =>
      api.post("/webhooks", { data: { type: "webhooks", attributes: { notificationUrl: receiverUrl }, relationships } });
    const topic = (id: string) => ({ data: { type: "webhooktopics", id } });
    const format = (id: string) => ({ data: { type: "webhookformats", id } });
    const noFormat = await post({ topic: topic("order.created") });
    expect([noFormat.status, noFormat.json.errors]).toEqual([
      400,
      [{ status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: "/data/relationships/format/data" } }],
    ]);
    const badTopic = await post({ topic: topic("order.other"), format: format("default") });
    expect([badTopic.status, badTopic.json.errors]).toEqual([
      400,
      [
        {
          status: "400",
          title: "valid webhook topic constraint",
          detail: "This value is not a known webhook topic.",
          source: { pointer: "/data/relationships/topic/data" },
        },
      ],
    ]);
    const badFormat = await post({ topic: topic("order.created"), format: format("fat") });
    expect([badFormat.status, badFormat.json.errors]).toEqual([
      400,
      [
        {
          status: "400",
          title: "valid webhook format constraint",
          detail: "This value is not a known webhook format.",
          source: { pointer: "/data/relationships/format/data" },
        },
      ],
    ]);
    const webhookId = await registerWebhook();
    const patch = await api.patch(`/webhooks/${webhookId}`, { data: { type: "webhooks", id: webhookId, relationships: { topic: topic("order.other") } } });
    expect([patch.status, patch.json.errors]).toEqual([
      400,
      [
        {
          status: "400",
          title: "valid webhook topic constraint",
          detail: "This value is not a known webhook topic.",
          source: { pointer: "/data/relationships/topic/data" },
        },
      ],
    ]);
    expect((await api.get(`/webhooks/${webhookId}`)).json.data.attributes).toMatchObject({ enabled: true, system: false });
  });

  it("phpJsonEncode escapes / and non-ASCII as PHP's json_encode() without flags", () => {
    expect(phpJsonEncode({ url: "https://a.example/b", name: "Café ✓", n: 1 })).toBe('{"url":"https:\\/\\/a.example\\/b","name":"Caf\\u00e9 \\u2713","n":1}');
  });

  it("refuses secret on PATCH with 400 extra fields constraint (write-once) and never outputs it", async () => {
    const webhookId = await registerWebhook({ secret: "whsec-original-1" });
    const patch = await api.patch(`/webhooks/${webhookId}`, { data: { type: "webhooks", id: webhookId, attributes: { secret: "whsec-rotated-22" } } });
    expect(patch.status).toBe(400);
    expect(patch.json.errors).toMatchObject([
      { status: "400", title: "extra fields constraint", detail: 'This form should not contain extra fields: "secret".' },
    ]);
    const other = await api.patch(`/webhooks/${webhookId}`, { data: { type: "webhooks", id: webhookId, attributes: { verifySsl: true } } });
    expect(other.status).toBe(200);
    expect(other.json.data.attributes).not.toHaveProperty("secret");
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(received[0]!.headers["webhook-signature"]).toBe(createHmac("sha256", "whsec-original-1").update(received[0]!.body).digest("hex"));
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
