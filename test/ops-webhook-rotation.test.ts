import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngressHandler, IngressEnv } from "../functions/webhook-ingress";
import { registerWebhooks } from "../ops/webhooks";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";
import { createOroClient, type OroClient } from "../shared/oro";
import { startFunctionUrlAdapter } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * Rotating the webhook signing secret on a strict Oro (secret write-once, docs/reference/oro-webhooks.md §1):
 * `registerWebhooks` creates the new webhook before it deletes the old one, and the ingress accepts
 * both secrets during the overlap, so an event raised in between reaches the ingress signed either
 * way, and none is lost or unsigned.
 */
const CLIENT = { id: "rotation", secret: "rotation-oauth-secret-01" };
const SECRET_NAME = "oro/webhook-rotation";
const OLD = "whsec-old-0123456789abcdef";
const NEW = "whsec-new-fedcba9876543210";

let aws: LocalAws;
let oro: OroSandbox;
let adapter: Awaited<ReturnType<typeof startFunctionUrlAdapter>>;
let queue: string;
let client: OroClient;

beforeAll(async () => {
  aws = await startLocalAws();
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, webhookRetry: { baseDelayMs: 10, maxAttempts: 2, timeoutMs: 5_000 } });
  queue = await aws.createQueue("rotation-orders");
  aws.secrets.put(SECRET_NAME, { secret: OLD });
  adapter = await startFunctionUrlAdapter(
    createIngressHandler({ env: { [IngressEnv.WEBHOOK_SECRET_NAME]: SECRET_NAME, [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify({ "order.created": queue }) } }),
  );
  client = createOroClient({ getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret: CLIENT.secret }) });
});

afterAll(async () => {
  await adapter?.close();
  await oro?.stop();
  await aws?.stop();
});

describe("webhook secret rotation: create new, then delete old", () => {
  it("the old way (PATCH of secret) is refused by Oro, so it cannot be the rotation", async () => {
    const [created] = await registerWebhooks(client, { url: adapter.url, topics: ["order.created"], secret: OLD, verifySsl: false });
    await expect(client.update({ type: "webhooks", id: created?.id ?? "", attributes: { secret: NEW } })).rejects.toThrow(/extra fields constraint/);
    expect(oro.store.list("webhooks").map((w) => w.attributes.secret)).toEqual([OLD]);
  });

  it("delivers an event raised between create and delete through both webhooks, each accepted by the ingress", async () => {
    const oldId = oro.store.list("webhooks")[0]?.id;
    // Step 1 of docs/ops.md: the ingress accepts the new secret and still the old one.
    aws.secrets.put(SECRET_NAME, { secret: NEW, previousSecret: OLD });
    oro.webhooks.log.length = 0;

    // An order is created in Oro right after the new webhook exists and before the old one goes.
    let between: string | undefined;
    const interleaving = new Proxy(client, {
      get(target, property, receiver) {
        if (property === "delete") {
          return async (...args: Parameters<OroClient["delete"]>) => {
            between ??= (await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] })).data.id;
            await oro.webhooks.idle();
            return target.delete(...args);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const actions = await registerWebhooks(interleaving, { url: adapter.url, topics: ["order.created"], secret: NEW, verifySsl: false });
    const newId = actions[0]?.id;
    expect(actions).toEqual([
      { action: "created", id: newId, topic: "order.created", url: adapter.url, enabled: true },
      { action: "deleted", id: oldId, topic: "order.created", url: adapter.url, replacedBy: newId },
    ]);
    expect(between).toBeDefined();

    // Both webhooks delivered the event, with Oro's shared messageId, and the ingress took both (202).
    const deliveries = oro.webhooks.log;
    expect(deliveries.map((d) => [d.webhookId, d.status, d.outcome]).sort()).toEqual(
      [
        [oldId, 202, "delivered"],
        [newId, 202, "delivered"],
      ].sort(),
    );
    expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(1);
    const messages = await aws.drain(queue);
    expect(messages.map((m) => String(JSON.parse(m.Body ?? "{}").eventData.data.id))).toEqual([between, between]);

    // Afterwards only the new webhook exists, signing with the new secret.
    expect(oro.store.list("webhooks").map((w) => [w.id, w.attributes.secret])).toEqual([[newId, NEW]]);
  });

  it("after the old secret is dropped from the ingress, events still arrive (signed with the new secret)", async () => {
    aws.secrets.put(SECRET_NAME, { secret: NEW });
    oro.webhooks.log.length = 0;
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0002", quantity: 1 }] });
    await oro.webhooks.idle();
    const [newId] = oro.store.list("webhooks").map((w) => w.id);
    expect(oro.webhooks.log.map((d) => [d.webhookId, d.status, d.outcome])).toEqual([[newId, 202, "delivered"]]);
    expect(await aws.drain(queue)).toHaveLength(1);
  });
});
