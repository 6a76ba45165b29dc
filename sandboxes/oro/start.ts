import { createAdminClient, startControlledServer } from "../common";
import type { AdminClient, FaultConfig, SandboxControls, SandboxStats } from "../common";
import { oroAdminRoutes } from "./admin";
import type { SeedOrderRequest, SeedRequest } from "./admin";
import { API_PREFIX, createOroRouter, noBatchControls } from "./api";
import type { ApiEnv, AsyncOperationError } from "./api";
import { TokenStore } from "./auth";
import type { OAuthClient } from "./auth";
import { renderRecord } from "./jsonapi/document";
import { formatDateTime } from "./jsonapi/values";
import { OroStore } from "./model";
import type { Ref, StoredRecord } from "./model";
import { ORO_RESOURCES, RESOURCE_BY_TYPE } from "./resources";
import { seedDemoData, seedReferenceData } from "./seed";
import { SandboxAcl } from "./acl";
import { IntegrationSyncJobs } from "./integration-sync";
import type { SandboxSyncProcessor, SyncJob } from "./integration-sync";
import { DEFAULT_WEBHOOK_RETRY, WebhookDispatcher } from "./webhooks";
import type { DeliveryLogEntry, WebhookRetryOptions } from "./webhooks";

/** Options of {@link startOroSandbox}. */
export interface OroSandboxOptions {
  /** Port on 127.0.0.1; 0 (default) = ephemeral. */
  port?: number;
  /** OAuth client (client credentials grant) the token endpoint accepts. */
  clientId: string;
  clientSecret: string;
  /** More accepted clients. */
  extraClients?: OAuthClient[];
  /** Load the demo data (default true); false = reference data only (units, statuses, price list 1). */
  seed?: boolean;
  /** Added delay per request in ms (default 0). Same as `faults.latencyMs`. */
  latencyMs?: number;
  /** Requests handled at once, rest wait FIFO (default unlimited). Same as `faults.maxConcurrent`. */
  maxConcurrent?: number;
  /** Initial faults (5xx/429/reset/slow body by rate, count or window; seeded PRNG). */
  faults?: FaultConfig;
  /** Access token lifetime in s (default 3600, Oro's `access_token_lifetime`). */
  tokenTtlSeconds?: number;
  /** Webhook retry tuning (defaults: 5 attempts, 1000 ms x2, cap 60 s, timeout 5 s). */
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** Async batch: delay between new -> running -> finished, in ms (default 20). */
  asyncDelayMs?: number;
  /** Async batch: ms to process one chunk of 100 items (default 0: every chunk at once). See README "Async batch timing". */
  asyncChunkMs?: number;
  /** Async batch: message-queue consumers processing chunks at once (default 1). */
  asyncConsumers?: number;
  /**
   * The sync processor of the bundle's channel type, run by "Schedule sync"
   * (`POST /admin/integration/schedule/{id}`, integration-sync.ts). Default none: the job fails as in
   * an Oro without the bundle.
   */
  syncProcessor?: SandboxSyncProcessor;
}

/** Typed helpers over the Oro sandbox's `/__admin` endpoints. */
export interface OroAdminClient extends AdminClient {
  /** Rows of a type as stored (`webhookdeliveries` gives the delivery log). */
  state<T = StoredRecord[]>(type: string): Promise<T>;
  /** Row counts per type. */
  counts(): Promise<Record<string, number>>;
  seed(request: SeedRequest): Promise<Record<string, number>>;
  /** Replaces an OAuth client's secret (rotation); the old one is refused from now on, issued tokens stay valid. */
  setClientSecret(clientId: string, secret: string): Promise<{ clientId: string }>;
  /** Revokes every issued token (forced expiry). */
  expireTokens(): Promise<{ revoked: number }>;
  /** Creates an order (fires `order.created` webhooks). */
  createOrder(request: SeedOrderRequest | { data: unknown; included?: unknown[] }): Promise<{ data: { id: string; attributes: Record<string, unknown> } }>;
  webhookDeliveries(): Promise<DeliveryLogEntry[]>;
  /**
   * Test control: the next `count` creates colliding on a unique column (e.g. a SKU) answer Oro's
   * flush-time 409 "The entity already exists." instead of the validation 400 (two writers at once).
   */
  uniqueAtFlush(count: number): Promise<{ uniqueAtFlush: number }>;
  /** Test control: the next `count` sync batch requests outlast Oro's sync wait and answer 202 (an async operation). */
  syncOverWait(count: number): Promise<{ syncOverWait: number }>;
  /** Test control: the next `count` async operations end `failed` (with `detail`) or `cancelled` without writing an item. */
  asyncEnd(request: AsyncEndRequest): Promise<AsyncEndRequest>;
}

/** Body of `POST /__admin/async-end`. */
export interface AsyncEndRequest {
  status: "failed" | "cancelled";
  count: number;
  /** The `async operation exception`'s detail of a failed operation. Default Oro's "Failed to parse the data file.". */
  detail?: string;
}

/** A running Oro sandbox. */
export interface OroSandbox {
  /** `http://127.0.0.1:<port>`; the API is at `${url}/admin/api`, tokens at `${url}/oauth2-token`. */
  url: string;
  port: number;
  /** `${url}/admin/api` */
  apiUrl: string;
  admin: OroAdminClient;
  /** Direct, synchronous access to the state (tests may read and change it). */
  store: OroStore;
  /** Latency, concurrency cap, faults and stats, in process. */
  controls: SandboxControls;
  tokens: TokenStore;
  webhooks: {
    /** Delivery attempts so far. */
    log: DeliveryLogEntry[];
    /** Resolves when no delivery is in flight or waiting for a retry. */
    idle(): Promise<void>;
    /** Test control: the next `count` events carry Oro's fallback body (`data.type` = PHP class), as when Oro cannot load the entity. */
    failSerialization(count: number): void;
    /** Test control: changes the delivery timing (timeout, delays, attempt bound) while running. */
    configure(retry: Partial<WebhookRetryOptions>): void;
  };
  /** Test control: entity permissions of the API user / webhook owner (user 1); all granted until denied. Cleared by reset. */
  acl: SandboxAcl;
  /** Errors of async batch operations by operation id. */
  asyncErrors: Map<string, AsyncOperationError[]>;
  /** "Schedule sync" jobs (integration-sync.ts): the list, `idle()`, and the sync processor. */
  integrationSync: {
    jobs: SyncJob[];
    idle(): Promise<void>;
    setProcessor(processor: SandboxSyncProcessor | undefined): void;
  };
  stats(): SandboxStats;
  stop(): Promise<void>;
}

function renderEventData(store: OroStore, baseUrl: () => string) {
  return (record: StoredRecord) => {
    const render = { baseUrl: baseUrl(), hateoas: false, fields: new Map<string, Set<string>>() };
    const def = RESOURCE_BY_TYPE.get(record.type);
    if (!def) return { data: { type: record.type, id: record.id } };
    const included: unknown[] = [];
    for (const name of ["lineItems", "billingAddress", "shippingAddress"]) {
      const value = record.relationships[name];
      for (const ref of value == null ? [] : Array.isArray(value) ? value : [value as Ref]) {
        const related = store.get(ref);
        const relatedDef = related ? RESOURCE_BY_TYPE.get(related.type) : undefined;
        if (related && relatedDef) included.push(renderRecord(related, relatedDef, render));
      }
    }
    return included.length > 0 ? { data: renderRecord(record, def, render), included } : { data: renderRecord(record, def, render) };
  };
}

/**
 * Starts an in-memory Oro 6.1 back-office API double on 127.0.0.1.
 *
 * @example
 * const oro = await startOroSandbox({ clientId: "id", clientSecret: "secret" });
 * const token = await (await fetch(`${oro.url}/oauth2-token`, { method: "POST", headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ grant_type: "client_credentials", client_id: "id", client_secret: "secret" }) })).json();
 * await oro.admin.faults({ throttle: { count: 1, retryAfterSeconds: 1 } });
 * await oro.stop();
 */
export async function startOroSandbox(options: OroSandboxOptions): Promise<OroSandbox> {
  const store = new OroStore(ORO_RESOURCES);
  const load = (seed: boolean) => {
    store.clear();
    if (seed) seedDemoData(store);
    else seedReferenceData(store);
  };
  load(options.seed ?? true);
  const tokens = new TokenStore(options.tokenTtlSeconds ?? 3600);
  const clients: OAuthClient[] = [{ id: options.clientId, secret: options.clientSecret }, ...(options.extraClients ?? [])];
  let baseUrl = "http://127.0.0.1";
  const acl = new SandboxAcl();
  const webhooks = new WebhookDispatcher(
    store,
    renderEventData(store, () => baseUrl),
    { ...DEFAULT_WEBHOOK_RETRY, ...options.webhookRetry },
    acl,
  );
  const env: ApiEnv = {
    acl,
    store,
    defs: RESOURCE_BY_TYPE,
    now: () => formatDateTime(),
    webhooks,
    asyncDelayMs: options.asyncDelayMs ?? 20,
    asyncChunkMs: options.asyncChunkMs ?? 0,
    asyncConsumers: options.asyncConsumers ?? 1,
    asyncErrors: new Map(),
    controls: { uniqueAtFlush: 0 },
    batchControls: noBatchControls(),
  };
  const faults: FaultConfig = { ...options.faults };
  if (options.latencyMs !== undefined) faults.latencyMs = options.latencyMs;
  if (options.maxConcurrent !== undefined) faults.maxConcurrent = options.maxConcurrent;

  const syncJobs = new IntegrationSyncJobs(store, options.syncProcessor);
  const router = createOroRouter({ env, tokens, clients });
  const server = await startControlledServer({
    port: options.port ?? 0,
    faults,
    handler: async (req, res, url) => {
      if (await syncJobs.handle(req, res, url)) return;
      await router(req, res, url);
    },
    routeKey: (method, path) => {
      if (!path.startsWith(`${API_PREFIX}/`)) return `${method} ${path}`;
      const [type, id, association] = path.slice(API_PREFIX.length + 1).split("/");
      return `${method} ${API_PREFIX}/${type ?? ""}${id !== undefined ? "/{id}" : ""}${association !== undefined ? `/${association}` : ""}`;
    },
    adminRoutes: [
      ...oroAdminRoutes(env, tokens, () => baseUrl, clients),
      {
        method: "GET",
        path: "/sync-jobs",
        handle: ({ res }) => {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end(JSON.stringify(syncJobs.jobs));
        },
      },
    ],
    onReset: ({ seed }) => {
      load(seed);
      webhooks.clearLog();
      syncJobs.clear();
      acl.reset();
      env.asyncErrors.clear();
      if (env.controls) env.controls.uniqueAtFlush = 0;
      env.batchControls = noBatchControls();
    },
  });
  baseUrl = server.url;

  const common = createAdminClient(server.url);
  const admin: OroAdminClient = {
    ...common,
    state: <T>(type: string) => common.request<T>("GET", `/state/${encodeURIComponent(type)}`),
    counts: () => common.request<Record<string, number>>("GET", "/state"),
    seed: (request) => common.request<Record<string, number>>("POST", "/seed", request),
    setClientSecret: (clientId, secret) => common.request<{ clientId: string }>("POST", "/client-secret", { clientId, secret }),
    expireTokens: () => common.request<{ revoked: number }>("POST", "/expire-tokens"),
    createOrder: (request) => common.request("POST", "/orders", request),
    webhookDeliveries: () => common.request<DeliveryLogEntry[]>("GET", "/webhook-deliveries"),
    uniqueAtFlush: (count) => common.request<{ uniqueAtFlush: number }>("POST", "/unique-at-flush", { count }),
    syncOverWait: (count) => common.request<{ syncOverWait: number }>("POST", "/sync-over-wait", { count }),
    asyncEnd: (request) => common.request<AsyncEndRequest>("POST", "/async-end", request),
  };

  return {
    url: server.url,
    port: server.port,
    apiUrl: `${server.url}${API_PREFIX}`,
    admin,
    store,
    controls: server.controls,
    tokens,
    webhooks: {
      log: webhooks.log,
      idle: () => webhooks.idle(),
      failSerialization: (count) => webhooks.failSerialization(count),
      configure: (retry) => webhooks.configure(retry),
    },
    acl,
    asyncErrors: env.asyncErrors,
    integrationSync: { jobs: syncJobs.jobs, idle: () => syncJobs.idle(), setProcessor: (processor) => syncJobs.setProcessor(processor) },
    stats: () => server.controls.stats(),
    stop: async () => {
      webhooks.stop();
      await server.close();
    },
  };
}
