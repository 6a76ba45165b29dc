import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeAll, HttpError } from "../shared/http";
import { ErpAuthError, ErpClient, ErpIdempotencyConflictError, ErpValidationError } from "../shared/integrations/erp";
import type { ErpOrder, ErpSettings } from "../shared/integrations/erp";
import { ValidationError } from "../shared/errors";
import { startErpSandbox } from "../sandboxes/erp";
import type { ErpSandbox } from "../sandboxes/erp";

let erp: ErpSandbox;
let settings: ErpSettings;
let reloads = 0;
/** What the "secret" holds after a reload (rotation tests change it). */
let rotated: ErpSettings | undefined;

const client = (retry = { baseMs: 10, capMs: 50 }) =>
  new ErpClient(
    async (opts) => {
      if (opts?.forceRefresh) {
        reloads += 1;
        if (rotated) settings = rotated;
      }
      return settings;
    },
    { retry },
  );

const order = (id: string, overrides: Partial<ErpOrder> = {}): ErpOrder => ({
  externalOrderNumber: `SO-${id}`,
  source: { system: "oro", orderId: id },
  orderedAt: "2026-03-01T10:00:00Z",
  customer: { id: "1", name: "Acme Corp", email: "alice@acme.test", externalId: "ERP-C1" },
  billingAddress: { firstName: "Pat", lastName: "Lee", street: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
  shippingAddress: null,
  currency: "USD",
  totals: { subtotal: "35", total: "35" },
  lines: [
    { lineNumber: 1, sku: "SKU-0001", name: "Demo product 1", quantity: "1", unit: "each", unitPrice: "11" },
    { lineNumber: 2, sku: "SKU-0002", quantity: "2", unit: "each", unitPrice: "12" },
  ],
  ...overrides,
});

beforeAll(async () => {
  erp = await startErpSandbox({ seed: false });
});
afterAll(async () => {
  await closeAll();
  await erp.stop();
});
beforeEach(async () => {
  await erp.admin.reset({ seed: false });
  settings = { baseUrl: erp.url, apiKey: erp.apiKey };
  rotated = undefined;
  reloads = 0;
});

describe("ErpClient against the ERP sandbox: POST /orders", () => {
  it("creates an order, replays the same key and body with the original number, and never creates twice", async () => {
    const erpClient = client();
    const first = await erpClient.createOrder(order("1"), { idempotencyKey: "k-1" });
    const again = await erpClient.createOrder(order("1"), { idempotencyKey: "k-1" });
    expect(first).toEqual({ orderNumber: "ERP-000001", outcome: "created" });
    expect(again).toEqual({ orderNumber: "ERP-000001", outcome: "replayed" });
    expect((await erp.admin.orders()).map((o) => o.orderNumber)).toEqual(["ERP-000001"]);
  });

  it("answers a second key for the same shop order with the existing ERP number (409 duplicate_order)", async () => {
    const erpClient = client();
    await erpClient.createOrder(order("7"), { idempotencyKey: "event-a" });
    const second = await erpClient.createOrder(order("7", { notes: "edited later" }), { idempotencyKey: "event-b" });
    expect(second).toEqual({ orderNumber: "ERP-000001", outcome: "duplicate" });
    expect(await erp.admin.counts()).toMatchObject({ orders: 1, idempotencyKeys: 2 });
  });

  it("refuses a reused key with another body as a permanent idempotency conflict", async () => {
    const erpClient = client();
    await erpClient.createOrder(order("2"), { idempotencyKey: "same" });
    await expect(erpClient.createOrder(order("3"), { idempotencyKey: "same" })).rejects.toBeInstanceOf(ErpIdempotencyConflictError);
  });

  it("turns a 422 into a validation error naming the field", async () => {
    await erp.admin.behaviour({ knownSkus: ["SKU-0001"] });
    const error = await client()
      .createOrder(order("4"), { idempotencyKey: "k-4" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpValidationError);
    expect((error as ErpValidationError).kind).toBe("permanent");
    expect((error as ErpValidationError).message).toContain('lines[1].sku: unknown item "SKU-0002"');
    expect((error as ErpValidationError).externalId).toBe("SO-4");
  });

  it("rejects a body that breaks the contract before sending it", async () => {
    const error = await client()
      .createOrder(order("5", { currency: "usd" }), { idempotencyKey: "k-5" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(String((error as Error).message)).toContain("currency");
    expect(erp.stats().requests).toBe(0);
  });

  it("retries a committed order whose response was lost with the same key, and gets the original number", async () => {
    await erp.admin.behaviour({ lostResponses: 1 });
    const result = await client().createOrder(order("6"), { idempotencyKey: "k-6" });
    expect(result).toEqual({ orderNumber: "ERP-000001", outcome: "replayed" });
    expect((await erp.admin.orderRequests()).map((r) => r.outcome)).toEqual(["response_lost", "replayed"]);
    expect(await erp.admin.counts()).toMatchObject({ orders: 1 });
  });

  it("honours Retry-After on 429 and succeeds once the storm passes", async () => {
    await erp.admin.faults({ throttle: { count: 2, retryAfterSeconds: 1 }, paths: ["/orders"] });
    const started = Date.now();
    const result = await client().createOrder(order("8"), { idempotencyKey: "k-8" });
    expect(result.outcome).toBe("created");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(erp.stats().byStatus).toMatchObject({ "429": 2, "201": 1 });
  });

  it("gives up on a long 5xx with a transient error, creating nothing", async () => {
    await erp.admin.faults({ serverError: { rate: 1, status: 503 }, paths: ["/orders"] });
    const error = await client()
      .createOrder(order("9"), { idempotencyKey: "k-9" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).kind).toBe("transient");
    expect(await erp.admin.counts()).toMatchObject({ orders: 0 });
  });

  it("reloads the secret once on 401 (rotation), and raises an auth error when the key stays wrong", async () => {
    await erp.admin.setApiKeys(["new-key"]);
    rotated = { baseUrl: erp.url, apiKey: "new-key" };
    await expect(client().createOrder(order("10"), { idempotencyKey: "k-10" })).resolves.toMatchObject({ outcome: "created" });
    expect(reloads).toBe(1);
    rotated = { baseUrl: erp.url, apiKey: "still-wrong" };
    settings = rotated;
    const error = await client()
      .listStock({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpAuthError);
    expect(String((error as Error).message)).not.toContain("still-wrong");
  });
});

describe("ErpClient against the ERP sandbox: GET /stock", () => {
  it("pages a window with cursors, in updatedAt order, with the bounds half-open", async () => {
    await erp.admin.putStock({ generate: { count: 25, prefix: "S-", updatedAt: "2026-02-01T10:00:00.000Z" } });
    await erp.admin.putStock({
      levels: [
        { sku: "LATE", unit: "each", quantity: 5, updatedAt: "2026-02-01T11:00:00.000Z" },
        { sku: "EARLY", unit: "kg", quantity: "1.5", updatedAt: "2026-02-01T09:00:00.000Z" },
      ],
    });
    const erpClient = client();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await erpClient.listStock({
        updatedFrom: "2026-02-01T09:00:00Z",
        updatedTo: "2026-02-01T11:00:00Z",
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((l) => String(l.sku)));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(26);
    expect(seen[0]).toBe("EARLY");
    expect(seen).not.toContain("LATE");
    expect(new Set(seen).size).toBe(26);
  });

  it("rejects a cursor used with another window", async () => {
    await erp.admin.putStock({ generate: { count: 3, updatedAt: "2026-02-01T10:00:00.000Z" } });
    const page = await client().listStock({ limit: 1 });
    await expect(client().listStock({ limit: 1, updatedFrom: "2026-01-01T00:00:00Z", cursor: page.nextCursor ?? "" })).rejects.toThrow(/cursor is invalid/);
  });
});
