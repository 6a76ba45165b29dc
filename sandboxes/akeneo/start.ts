import { createAdminClient, sendJson, startControlledServer } from "../common";
import type { AdminClient, AdminRoute, FaultConfig, SandboxControls, SandboxStats } from "../common";
import { ATTRIBUTES_PATH, createAkeneoRouter, PRODUCTS_PATH } from "./api";
import type { AkeneoCredentials } from "./api";
import { defaultAttributes } from "./attributes";
import type { AkeneoAttribute } from "./attributes";
import { akeneoDate, generateCatalog } from "./catalog";
import type { AkeneoProduct, CatalogOptions } from "./catalog";
import { AkeneoTokens, Catalog } from "./state";

/** Options of {@link startAkeneoSandbox}. */
export interface AkeneoSandboxOptions extends Partial<AkeneoCredentials> {
  /** Port on 127.0.0.1; 0 (default) = ephemeral. */
  port?: number;
  /** The catalog generated at start and on reset (default: none). */
  catalog?: CatalogOptions;
  /** Added delay per request in ms (default 0). Same as `faults.latencyMs`. */
  latencyMs?: number;
  /** Requests handled at once, rest wait FIFO (default unlimited). */
  maxConcurrent?: number;
  /** Initial faults (429 storms with Retry-After, 5xx, resets; sandboxes/common). */
  faults?: FaultConfig;
  /** Access token lifetime in s (default 3600, Akeneo's). */
  tokenTtlSeconds?: number;
}

/** Body of `POST /__admin/touch`: marks products as changed at `updatedAt`. */
export interface TouchRequest {
  /** Products to change, by their `sku` value (a test control: Akeneo itself addresses products by uuid). */
  identifiers: string[];
  /** New `updated` (ISO). */
  updatedAt: string;
  /** Appended to the en_US name, so the change is visible downstream. Default none. */
  nameSuffix?: string;
}

/** Typed helpers over the Akeneo sandbox's `/__admin` endpoints. */
export interface AkeneoAdminClient extends AdminClient {
  /** Replaces the catalog with a generated one. */
  seed(options: CatalogOptions): Promise<{ products: number }>;
  /** Adds or replaces products (by uuid), as given. */
  putProducts(products: AkeneoProduct[]): Promise<{ products: number }>;
  /** Replaces the catalog's attributes (e.g. a second identifier attribute made the main one). */
  putAttributes(attributes: AkeneoAttribute[]): Promise<{ attributes: number }>;
  touch(request: TouchRequest): Promise<{ touched: number }>;
  product(identifier: string): Promise<AkeneoProduct>;
  /** Expires every access token (`revokeRefresh`: refresh tokens too). */
  expireTokens(options?: { revokeRefresh?: boolean }): Promise<{ expired: number }>;
  /** Token requests by grant type. */
  grants(): Promise<Record<string, number>>;
}

/** A running Akeneo sandbox. */
export interface AkeneoSandbox {
  /** `http://127.0.0.1:<port>`: the connection's `baseUrl`. */
  url: string;
  port: number;
  credentials: AkeneoCredentials;
  admin: AkeneoAdminClient;
  catalog: Catalog;
  controls: SandboxControls;
  /** Every access and refresh token issued since start (test control: the proofs' secret scan). */
  issuedTokens(): readonly string[];
  stats(): SandboxStats;
  stop(): Promise<void>;
}

export const DEFAULT_AKENEO_CREDENTIALS: AkeneoCredentials = {
  clientId: "akeneo-sandbox-client",
  secret: "akeneo-sandbox-secret",
  username: "akeneo_connector_5678",
  password: "akeneo-sandbox-password",
};

/**
 * Starts an in-memory double of Akeneo PIM's REST API (7.0+ / SaaS) on 127.0.0.1: the OAuth2
 * token endpoint (password and refresh_token grants, client authentication by Basic header or
 * body), `products-uuid` with search_after and offset paging and its `search` filters, the
 * attributes list (the identifier attributes), a deterministic seedable catalog, and the shared
 * latency / concurrency / fault controls. What it reproduces, with sources: README.md.
 *
 * @example
 * const akeneo = await startAkeneoSandbox({ catalog: { count: 500 }, latencyMs: 50 });
 * await akeneo.admin.touch({ identifiers: ["AK-00007"], updatedAt: "2024-02-01T10:00:00Z", nameSuffix: " v2" });
 * await akeneo.admin.faults({ throttle: { count: 5, retryAfterSeconds: 1 } });
 * await akeneo.stop();
 */
export async function startAkeneoSandbox(options: AkeneoSandboxOptions = {}): Promise<AkeneoSandbox> {
  const credentials: AkeneoCredentials = {
    clientId: options.clientId ?? DEFAULT_AKENEO_CREDENTIALS.clientId,
    secret: options.secret ?? DEFAULT_AKENEO_CREDENTIALS.secret,
    username: options.username ?? DEFAULT_AKENEO_CREDENTIALS.username,
    password: options.password ?? DEFAULT_AKENEO_CREDENTIALS.password,
  };
  const catalog = new Catalog();
  let attributes = defaultAttributes();
  const tokens = new AkeneoTokens(options.tokenTtlSeconds ?? 3600);
  const load = (catalogOptions: CatalogOptions | undefined) => {
    catalog.clear();
    for (const product of generateCatalog(catalogOptions)) catalog.put(product);
  };
  load(options.catalog);
  let baseUrl = "http://127.0.0.1";
  const faults: FaultConfig = { ...options.faults };
  if (options.latencyMs !== undefined) faults.latencyMs = options.latencyMs;
  if (options.maxConcurrent !== undefined) faults.maxConcurrent = options.maxConcurrent;

  const adminRoutes: AdminRoute[] = [
    { method: "GET", path: "/state", handle: ({ res }) => sendJson(res, 200, { products: catalog.size }) },
    {
      method: "POST",
      path: "/seed",
      handle: ({ res, body }) => {
        load((body ?? {}) as CatalogOptions);
        sendJson(res, 200, { products: catalog.size });
      },
    },
    {
      method: "POST",
      path: "/products",
      handle: ({ res, body }) => {
        for (const product of (body as { products?: AkeneoProduct[] } | undefined)?.products ?? []) catalog.put(product);
        sendJson(res, 200, { products: catalog.size });
      },
    },
    {
      method: "POST",
      path: "/attributes",
      handle: ({ res, body }) => {
        attributes = (body as { attributes?: AkeneoAttribute[] } | undefined)?.attributes ?? defaultAttributes();
        sendJson(res, 200, { attributes: attributes.length });
      },
    },
    {
      method: "GET",
      path: /^\/products\/(.+)$/,
      handle: ({ res, params }) => {
        const product = catalog.byIdentifier(params[0] ?? "");
        return product ? sendJson(res, 200, product) : sendJson(res, 404, { error: `No product "${params[0]}".` });
      },
    },
    {
      method: "POST",
      path: "/touch",
      handle: ({ res, body }) => {
        const request = body as TouchRequest;
        let touched = 0;
        for (const identifier of request.identifiers ?? []) {
          const product = catalog.byIdentifier(identifier);
          if (!product) continue;
          const values = { ...product.values };
          if (request.nameSuffix)
            values.name = (values.name ?? []).map((v) => (v.locale === "en_US" ? { ...v, data: `${String(v.data)}${request.nameSuffix}` } : v));
          catalog.put({ ...product, values, updated: akeneoDate(request.updatedAt) });
          touched += 1;
        }
        sendJson(res, 200, { touched });
      },
    },
    {
      method: "POST",
      path: "/expire-tokens",
      handle: ({ res, body }) =>
        sendJson(res, 200, { expired: (body as { revokeRefresh?: boolean } | undefined)?.revokeRefresh ? tokens.revokeAll() : tokens.expireAccess() }),
    },
    { method: "GET", path: "/grants", handle: ({ res }) => sendJson(res, 200, tokens.grants) },
  ];

  const server = await startControlledServer({
    port: options.port ?? 0,
    faults,
    handler: createAkeneoRouter({ catalog, attributes: () => attributes, tokens, credentials }, () => baseUrl),
    routeKey: (method, path) =>
      `${method} ${path.startsWith(`${PRODUCTS_PATH}/`) ? `${PRODUCTS_PATH}/{uuid}` : path.startsWith(`${ATTRIBUTES_PATH}/`) ? `${ATTRIBUTES_PATH}/{code}` : path}`,
    adminRoutes,
    faultBody: (status) => ({ code: status, message: status === 429 ? "Too many requests" : "Service unavailable" }),
    onReset: ({ seed }) => {
      load(seed ? options.catalog : undefined);
      attributes = defaultAttributes();
      tokens.resetGrants();
    },
  });
  baseUrl = server.url;

  const common = createAdminClient(server.url);
  const admin: AkeneoAdminClient = {
    ...common,
    seed: (catalogOptions) => common.request("POST", "/seed", catalogOptions),
    putProducts: (products) => common.request("POST", "/products", { products }),
    putAttributes: (list) => common.request("POST", "/attributes", { attributes: list }),
    touch: (request) => common.request("POST", "/touch", request),
    product: (identifier) => common.request("GET", `/products/${encodeURIComponent(identifier)}`),
    expireTokens: (opts) => common.request("POST", "/expire-tokens", opts ?? {}),
    grants: () => common.request("GET", "/grants"),
  };
  return {
    url: server.url,
    port: server.port,
    credentials,
    admin,
    catalog,
    controls: server.controls,
    stats: () => server.controls.stats(),
    issuedTokens: () => tokens.issued(),
    stop: () => server.close(),
  };
}
