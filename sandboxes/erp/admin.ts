import type { AdminRoute } from "../common";
import { sendJson } from "../common";
import type { ErpStockLevel } from "../../shared/integrations/erp";
import type { ErpBehaviour, ErpState } from "./state";

/** Body of `POST /__admin/stock`: levels to add or replace, or `generate` synthetic ones. */
export interface StockSeedRequest {
  levels?: Array<Omit<ErpStockLevel, "updatedAt" | "quantity"> & { quantity: string | number; updatedAt?: string }>;
  /** `count` levels `<prefix>00001`.. in `unit` (default `each`), quantity = index, `updatedAt` default now. */
  generate?: { count: number; prefix?: string; unit?: string; updatedAt?: string; quantityOffset?: number };
}

/** Admin endpoints of the ERP sandbox (the shared ones come from sandboxes/common). */
export function erpAdminRoutes(state: ErpState, keys: { current: string[] }): AdminRoute[] {
  return [
    {
      method: "GET",
      path: "/state",
      handle: ({ res }) =>
        sendJson(res, 200, {
          orders: state.orders.size,
          idempotencyKeys: state.idempotency.size,
          stock: state.stock.size,
          orderRequests: state.orderRequests.length,
        }),
    },
    { method: "GET", path: "/orders", handle: ({ res }) => sendJson(res, 200, [...state.orders.values()]) },
    {
      method: "GET",
      path: "/idempotency-keys",
      handle: ({ res }) =>
        sendJson(
          res,
          200,
          [...state.idempotency.values()].map(({ response: _r, ...rest }) => rest),
        ),
    },
    { method: "GET", path: "/order-requests", handle: ({ res }) => sendJson(res, 200, state.orderRequests) },
    { method: "GET", path: "/stock", handle: ({ res }) => sendJson(res, 200, [...state.stock.values()]) },
    {
      method: "POST",
      path: "/stock",
      handle: ({ res, body }) => {
        const request = (body ?? {}) as StockSeedRequest;
        const levels = (request.levels ?? []).map((l) => ({ ...l, quantity: String(l.quantity) }));
        const g = request.generate;
        if (g) {
          for (let i = 1; i <= Math.min(g.count, 100_000); i += 1) {
            levels.push({
              sku: `${g.prefix ?? "BULK-"}${String(i).padStart(5, "0")}`,
              unit: g.unit ?? "each",
              quantity: String(i + (g.quantityOffset ?? 0)),
              ...(g.updatedAt ? { updatedAt: g.updatedAt } : {}),
            });
          }
        }
        sendJson(res, 200, { written: state.putStock(levels), stock: state.stock.size });
      },
    },
    {
      method: "POST",
      path: "/behaviour",
      handle: ({ res, body }) => {
        state.behaviour = { ...state.behaviour, ...((body ?? {}) as Partial<ErpBehaviour>) };
        sendJson(res, 200, state.behaviour);
      },
    },
    {
      method: "POST",
      path: "/api-keys",
      handle: ({ res, body }) => {
        const next = (body as { keys?: unknown } | undefined)?.keys;
        if (!Array.isArray(next) || next.some((k) => typeof k !== "string" || k.length === 0))
          return sendJson(res, 400, { error: 'Body must be {"keys": ["..."]}.' });
        keys.current = next as string[];
        sendJson(res, 200, { keys: keys.current.length });
      },
    },
  ];
}
