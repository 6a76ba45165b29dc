import type { AdminRoute } from "../../common";
import { sendJson } from "../../common";
import type { OAuthClient, TokenStore } from "../auth";
import { DEFAULT_ASYNC_FAILURE, writeDocument } from "../api";
import type { ApiEnv } from "../api";
import { ApiError } from "../jsonapi/errors";
import { renderRecord } from "../jsonapi/document";
import type { Ref, StoredRecord } from "../model";
import { putProduct, seedDemoData, seedProducts } from "../seed";
import type { SeedProduct } from "../seed";

/** Body of `POST /__admin/seed`. */
export interface SeedRequest {
  /** Load the demo data set (after reference data) into the current state. */
  demo?: boolean;
  /** Add this many synthetic products (`BULK-00001`…), each with inventory level and price. */
  products?: number;
  /** Add these products. */
  productList?: SeedProduct[];
  /** Put raw rows (no validation); ids generated when missing. */
  records?: Array<Partial<StoredRecord> & { type: string }>;
}

/** Simple body of `POST /__admin/orders` (a JSON:API `{data, included}` document works too). */
export interface SeedOrderRequest {
  customerId?: string;
  identifier?: string;
  currency?: string;
  lines: Array<{ sku: string; quantity: number; unit?: string; value?: number }>;
}

function orderDocument(body: SeedOrderRequest, env: ApiEnv): { data: unknown; included: unknown[] } {
  const products = env.store.mustTable("products");
  const included = body.lines.map((line, index) => {
    const productId = products.findUnique("sku", line.sku);
    return {
      type: "orderlineitems",
      id: `line-${index}`,
      attributes: { quantity: line.quantity, value: line.value ?? 1, currency: body.currency ?? "USD", productSku: line.sku },
      relationships: {
        product: { data: productId ? { type: "products", id: productId } : null },
        productUnit: { data: { type: "productunits", id: line.unit ?? "each" } },
      },
    };
  });
  return {
    data: {
      type: "orders",
      attributes: { ...(body.identifier === undefined ? {} : { identifier: body.identifier }), currency: body.currency ?? "USD" },
      relationships: {
        customer: { data: { type: "customers", id: body.customerId ?? "1" } },
        lineItems: { data: included.map((i) => ({ type: "orderlineitems", id: i.id })) },
      },
    },
    included,
  };
}

/** Admin endpoints specific to the Oro sandbox (the shared ones come from sandboxes/common). */
export function oroAdminRoutes(env: ApiEnv, tokens: TokenStore, baseUrl: () => string, clients: OAuthClient[] = []): AdminRoute[] {
  return [
    {
      // Rotation of an OAuth client's secret, as an admin regenerates it in Oro: the old secret stops working at once.
      method: "POST",
      path: "/client-secret",
      handle: ({ res, body }) => {
        const { clientId, secret } = (body ?? {}) as { clientId?: unknown; secret?: unknown };
        const client = clients.find((c) => c.id === clientId);
        if (!client || typeof secret !== "string" || secret === "")
          return sendJson(res, 400, { error: 'Body must be {"clientId": "<a registered client>", "secret": "<new secret>"}.' });
        client.secret = secret;
        sendJson(res, 200, { clientId: client.id });
      },
    },
    {
      method: "GET",
      path: "/state",
      handle: ({ res }) => sendJson(res, 200, Object.fromEntries(env.store.types().map((type) => [type, env.store.mustTable(type).size]))),
    },
    {
      method: "GET",
      path: /^\/state\/([^/]+)$/,
      handle: ({ res, params }) => {
        const type = params[0] ?? "";
        if (type === "webhookdeliveries") return sendJson(res, 200, env.webhooks.log);
        if (type === "asyncoperationerrors") return sendJson(res, 200, Object.fromEntries(env.asyncErrors));
        if (!env.store.table(type)) return sendJson(res, 404, { error: `Unknown type "${type}". Known: ${env.store.types().join(", ")}, webhookdeliveries.` });
        sendJson(res, 200, env.store.list(type));
      },
    },
    {
      // Test control (README "Differs from Oro on purpose"): which of Oro's two duplicate answers the next creates get.
      method: "POST",
      path: "/unique-at-flush",
      handle: ({ res, body }) => {
        const { count } = (body ?? {}) as { count?: unknown };
        if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || !env.controls)
          return sendJson(res, 400, { error: 'Body must be {"count": <non-negative integer>}.' });
        env.controls.uniqueAtFlush = count;
        sendJson(res, 200, { uniqueAtFlush: count });
      },
    },
    {
      // Test control (README "Differs from Oro on purpose"): the next sync batches outlast Oro's sync wait (202).
      method: "POST",
      path: "/sync-over-wait",
      handle: ({ res, body }) => {
        const { count } = (body ?? {}) as { count?: unknown };
        if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
          return sendJson(res, 400, { error: 'Body must be {"count": <non-negative integer>}.' });
        env.batchControls.syncOverWait = count;
        sendJson(res, 200, { syncOverWait: count });
      },
    },
    {
      // Test control (README "Differs from Oro on purpose"): the next async operations end failed or cancelled.
      method: "POST",
      path: "/async-end",
      handle: ({ res, body }) => {
        const { status, count, detail = DEFAULT_ASYNC_FAILURE } = (body ?? {}) as { status?: unknown; count?: unknown; detail?: unknown };
        if ((status !== "failed" && status !== "cancelled") || typeof count !== "number" || !Number.isInteger(count) || count < 0 || typeof detail !== "string")
          return sendJson(res, 400, { error: 'Body must be {"status": "failed"|"cancelled", "count": <non-negative integer>, "detail"?: <string>}.' });
        env.batchControls.asyncEnd = { status, count, detail };
        sendJson(res, 200, { status, count, detail });
      },
    },
    {
      method: "GET",
      path: "/webhook-deliveries",
      handle: ({ res }) => sendJson(res, 200, env.webhooks.log),
    },
    {
      method: "POST",
      path: "/expire-tokens",
      handle: ({ res }) => sendJson(res, 200, { revoked: tokens.revokeAll() }),
    },
    {
      method: "POST",
      path: "/seed",
      handle: ({ res, body }) => {
        const request = (body ?? {}) as SeedRequest;
        if (request.demo) seedDemoData(env.store);
        if (request.products) seedProducts(env.store, Math.min(request.products, 1_000_000));
        for (const product of request.productList ?? []) putProduct(env.store, product);
        for (const row of request.records ?? []) {
          const table = env.store.table(row.type);
          if (!table) return sendJson(res, 400, { error: `Unknown type "${row.type}".` });
          table.put({ type: row.type, id: row.id ?? table.nextId(), attributes: row.attributes ?? {}, relationships: row.relationships ?? {} });
        }
        sendJson(res, 200, Object.fromEntries(env.store.types().map((type) => [type, env.store.mustTable(type).size])));
      },
    },
    {
      method: "POST",
      path: "/orders",
      handle: ({ res, body }) => {
        const input = (body ?? {}) as Partial<SeedOrderRequest> & { data?: unknown; included?: unknown };
        const document =
          input.data !== undefined ? { data: input.data, included: input.included } : orderDocument({ lines: [], ...input } as SeedOrderRequest, env);
        const defs = env.defs;
        const ordersDef = defs.get("orders");
        if (!ordersDef) return sendJson(res, 500, { error: "orders resource missing" });
        try {
          const result = env.store.transaction(() => writeDocument(env, ordersDef, document.data, document.included, { kind: "create" }));
          env.webhooks.emit(result.record, "created");
          const lines = (result.record.relationships.lineItems as Ref[]).map((r) => env.store.get(r)).filter((r): r is StoredRecord => r !== undefined);
          const render = { baseUrl: baseUrl(), hateoas: true, fields: new Map<string, Set<string>>() };
          sendJson(res, 201, {
            data: renderRecord(result.record, ordersDef, render),
            included: lines.map((l) => renderRecord(l, defs.get("orderlineitems") ?? ordersDef, render)),
          });
        } catch (error) {
          if (error instanceof ApiError) return sendJson(res, error.status, { errors: error.errors });
          throw error;
        }
      },
    },
  ];
}
