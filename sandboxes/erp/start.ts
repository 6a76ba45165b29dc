import type { IncomingMessage, ServerResponse } from "node:http";
import { createAdminClient, defaultRouteKey, sendJson, startControlledServer } from "../common";
import type { AdminClient, FaultConfig, SandboxControls, SandboxStats } from "../common";
import type { ErpStockLevel } from "../../shared/integrations/erp";
import { erpAdminRoutes } from "./admin";
import type { StockSeedRequest } from "./admin";
import { createOrder, errorBody, findOrders, getOrder } from "./orders";
import { ErpState, seedStock } from "./state";
import type { ErpBehaviour, ErpOrderRecord, IdempotencyRecord, OrderRequestLogEntry } from "./state";
import { listStock } from "./stock";

/** Options of {@link startErpSandbox}. */
export interface ErpSandboxOptions {
  /** Port on 127.0.0.1; 0 (default) = ephemeral. */
  port?: number;
  /** API key accepted as `Authorization: Bearer <key>` (default `erp-sandbox-key`). */
  apiKey?: string;
  /** Seed stock levels for the Oro sandbox's demo SKUs (default true). */
  seed?: boolean;
  /** Initial latency, concurrency cap and faults (sandboxes/common). */
  faults?: FaultConfig;
}

/** Typed helpers over the ERP sandbox's `/__admin` endpoints. */
export interface ErpAdminClient extends AdminClient {
  counts(): Promise<{ orders: number; idempotencyKeys: number; stock: number; orderRequests: number }>;
  orders(): Promise<ErpOrderRecord[]>;
  idempotencyKeys(): Promise<Array<Omit<IdempotencyRecord, "response">>>;
  orderRequests(): Promise<OrderRequestLogEntry[]>;
  stock(): Promise<ErpStockLevel[]>;
  putStock(request: StockSeedRequest): Promise<{ written: number; stock: number }>;
  behaviour(change: Partial<ErpBehaviour>): Promise<ErpBehaviour>;
  /** Replaces the accepted API keys (rotation). */
  setApiKeys(keys: string[]): Promise<void>;
}

/** A running ERP sandbox. */
export interface ErpSandbox {
  /** `http://127.0.0.1:<port>`: the ERP API's base URL (the secret's `baseUrl`). */
  url: string;
  port: number;
  apiKey: string;
  admin: ErpAdminClient;
  /** Direct access to the state, for tests. */
  state: ErpState;
  controls: SandboxControls;
  stats(): SandboxStats;
  stop(): Promise<void>;
}

export const DEFAULT_ERP_API_KEY = "erp-sandbox-key";

/**
 * Starts an in-memory double of the generic ERP REST contract (docs/erp-contract.md) on
 * 127.0.0.1, with the shared sandbox controls (latency, concurrency cap, 429/5xx/reset faults,
 * stats) and inspectable state (orders, idempotency keys, request log, stock).
 *
 * @example
 * const erp = await startErpSandbox();
 * await erp.admin.faults({ throttle: { count: 3, retryAfterSeconds: 1 }, paths: ["/orders"] });
 * secrets.put("erp/main", { baseUrl: erp.url, apiKey: erp.apiKey });
 */
export async function startErpSandbox(options: ErpSandboxOptions = {}): Promise<ErpSandbox> {
  const state = new ErpState();
  const apiKey = options.apiKey ?? DEFAULT_ERP_API_KEY;
  const keys = { current: [apiKey] };
  if (options.seed !== false) seedStock(state);

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const auth = req.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    if (!token || !keys.current.includes(token)) {
      return sendJson(res, 401, errorBody("unauthorized", "Missing or invalid API key."), { "WWW-Authenticate": 'Bearer realm="erp"' });
    }
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/orders" && method === "POST") return createOrder(state, req, res);
    if (path === "/orders" && method === "GET") return findOrders(state, res, url);
    const orderMatch = /^\/orders\/([^/]+)$/.exec(path);
    if (orderMatch && method === "GET") return getOrder(state, res, decodeURIComponent(orderMatch[1] ?? ""));
    if (path === "/stock" && method === "GET") return listStock(state, res, url);
    if (path === "/orders" || path === "/stock" || orderMatch)
      return sendJson(res, 405, errorBody("method_not_allowed", `${method} is not allowed on ${path}.`));
    sendJson(res, 404, errorBody("not_found", `No endpoint ${path}.`));
  };

  const server = await startControlledServer({
    port: options.port ?? 0,
    ...(options.faults ? { faults: options.faults } : {}),
    handler,
    routeKey: (method, path) => defaultRouteKey(method, path, 1),
    adminRoutes: erpAdminRoutes(state, keys),
    faultBody: (status) =>
      errorBody(
        status === 429 ? "rate_limited" : "unavailable",
        status === 429 ? "Too many requests." : "Service unavailable (fault injected by the sandbox).",
      ),
    onReset: ({ seed }) => {
      state.clear();
      keys.current = [apiKey];
      if (seed) seedStock(state);
    },
  });

  const base = createAdminClient(server.url);
  const admin: ErpAdminClient = {
    ...base,
    counts: () => base.request("GET", "/state"),
    orders: () => base.request("GET", "/orders"),
    idempotencyKeys: () => base.request("GET", "/idempotency-keys"),
    orderRequests: () => base.request("GET", "/order-requests"),
    stock: () => base.request("GET", "/stock"),
    putStock: (request) => base.request("POST", "/stock", request),
    behaviour: (change) => base.request("POST", "/behaviour", change),
    setApiKeys: async (next) => {
      await base.request("POST", "/api-keys", { keys: next });
    },
  };

  return { url: server.url, port: server.port, apiKey, admin, state, controls: server.controls, stats: () => server.controls.stats(), stop: server.close };
}
