import type { IncomingMessage, ServerResponse } from "node:http";
import { FaultInjector } from "./faults";
import type { FaultConfig } from "./faults";
import { FifoSemaphore } from "./fifo-semaphore";
import { listenLocal, makeBodySlow, readBody, sendJson } from "./http";
import { RequestCounter, defaultRouteKey } from "./stats";
import type { SandboxStats } from "./stats";

/** Admin endpoints live under this prefix, apart from any API path, and need no auth. */
export const ADMIN_PREFIX = "/__admin";

/** One sandbox-specific admin endpoint (e.g. `GET /__admin/state/{type}`). */
export interface AdminRoute {
  method: string;
  /** Path after `/__admin`, e.g. `/seed`; a RegExp gets its groups passed as `params`. */
  path: string | RegExp;
  handle(ctx: { req: IncomingMessage; res: ServerResponse; url: URL; params: string[]; body: unknown }): Promise<void> | void;
}

/** Options of {@link startControlledServer}. */
export interface ControlledServerOptions {
  /** 0 (default) = ephemeral. */
  port?: number;
  /** Initial faults, latency and concurrency cap. */
  faults?: FaultConfig;
  /** The sandbox's API handler (runs after latency, concurrency cap and fault injection). */
  handler(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Groups requests in stats; default replaces id-like segments with `{id}`. */
  routeKey?(method: string, path: string): string;
  /** Extra admin routes of this sandbox. */
  adminRoutes?: AdminRoute[];
  /** Called by `POST /__admin/reset` after faults and stats are cleared (re-seed state here). */
  onReset?(options: { seed: boolean }): void;
  /** Body of an injected 5xx/429 (default: a JSON:API error document). */
  faultBody?(status: number): unknown;
}

/** A started sandbox server with its controls. */
export interface ControlledServer {
  url: string;
  port: number;
  controls: SandboxControls;
  close(): Promise<void>;
}

/** Latency, concurrency cap, fault injection and request statistics shared by every sandbox. */
export class SandboxControls {
  readonly faults: FaultInjector;
  readonly semaphore: FifoSemaphore;
  readonly counter = new RequestCounter();

  constructor(initial: FaultConfig = {}) {
    this.faults = new FaultInjector(initial);
    this.semaphore = new FifoSemaphore(initial.maxConcurrent ?? 0);
  }

  /** Replaces the fault configuration (latency and concurrency cap included). */
  setFaults(config: FaultConfig): void {
    this.faults.set(config);
    this.semaphore.setLimit(config.maxConcurrent ?? 0);
  }

  /** Merges into the fault configuration. */
  updateFaults(partial: FaultConfig): void {
    this.faults.update(partial);
    this.semaphore.setLimit(this.faults.current.maxConcurrent ?? 0);
  }

  stats(): SandboxStats {
    return {
      requests: this.counter.requests,
      byRoute: Object.fromEntries(this.counter.byRoute),
      byStatus: Object.fromEntries([...this.counter.byStatus].map(([status, count]) => [String(status), count])),
      inFlight: this.semaphore.inFlight,
      queued: this.semaphore.queued,
      maxConcurrencyObserved: this.semaphore.maxActiveObserved,
      maxQueuedObserved: this.semaphore.maxQueuedObserved,
      faults: { ...this.faults.injected },
    };
  }

  resetStats(): void {
    this.counter.reset();
    this.semaphore.resetObservations();
    this.faults.resetCounters();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function defaultFaultBody(status: number): unknown {
  const title = status === 429 ? "too many requests" : "service unavailable";
  return { errors: [{ status: String(status), title, detail: "Fault injected by the sandbox." }] };
}

/**
 * Starts a sandbox HTTP server on 127.0.0.1 with the shared admin endpoints:
 * `GET|POST /__admin/faults` (POST replaces; `?merge=true` merges), `POST /__admin/reset`
 * (body `{"seed": false}` to start empty), `GET /__admin/stats`, `POST /__admin/stats/reset`,
 * plus the sandbox's own `adminRoutes`.
 */
export async function startControlledServer(options: ControlledServerOptions): Promise<ControlledServer> {
  const controls = new SandboxControls(options.faults);
  const routeKey = options.routeKey ?? ((method: string, path: string) => defaultRouteKey(method, path));
  const faultBody = options.faultBody ?? defaultFaultBody;

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname.slice(ADMIN_PREFIX.length) || "/";
    const method = req.method ?? "GET";
    const raw = method === "GET" || method === "HEAD" ? "" : await readBody(req);
    let body: unknown = undefined;
    if (raw.trim().length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        sendJson(res, 400, { error: "Admin request body must be JSON." });
        return;
      }
    }
    if (path === "/faults" && method === "GET") return sendJson(res, 200, controls.faults.current);
    if (path === "/faults" && method === "POST") {
      const config = (body ?? {}) as FaultConfig;
      if (url.searchParams.get("merge") === "true") controls.updateFaults(config);
      else controls.setFaults(config);
      return sendJson(res, 200, controls.faults.current);
    }
    if (path === "/stats" && method === "GET") return sendJson(res, 200, controls.stats());
    if (path === "/stats/reset" && method === "POST") {
      controls.resetStats();
      return sendJson(res, 200, controls.stats());
    }
    if (path === "/reset" && method === "POST") {
      controls.setFaults({});
      controls.resetStats();
      const seed = (body as { seed?: unknown } | undefined)?.seed !== false;
      options.onReset?.({ seed });
      return sendJson(res, 200, { reset: true, seed });
    }
    for (const route of options.adminRoutes ?? []) {
      if (route.method !== method) continue;
      if (typeof route.path === "string") {
        if (route.path === path) return route.handle({ req, res, url, params: [], body });
      } else {
        const match = route.path.exec(path);
        if (match) return route.handle({ req, res, url, params: match.slice(1).map((p) => decodeURIComponent(p ?? "")), body });
      }
    }
    sendJson(res, 404, { error: `No admin endpoint ${method} ${ADMIN_PREFIX}${path}.` });
  };

  const listening = await listenLocal(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) return handleAdmin(req, res, url);

    controls.counter.countRequest(routeKey(req.method ?? "GET", url.pathname));
    res.on("finish", () => controls.counter.countStatus(res.statusCode));
    const release = await controls.semaphore.acquire();
    // Release on close too: a reset socket never emits "finish".
    res.on("close", release);
    const latency = controls.faults.current.latencyMs ?? 0;
    if (latency > 0) await sleep(latency);

    const fault = controls.faults.decide(url.pathname);
    if (fault?.kind === "connectionReset") {
      controls.counter.countStatus(0);
      req.socket.destroy();
      release();
      return;
    }
    if (fault?.kind === "serverError") return sendJson(res, fault.status, faultBody(fault.status));
    if (fault?.kind === "throttle") {
      return sendJson(res, 429, faultBody(429), { "Retry-After": String(fault.retryAfterSeconds) });
    }
    if (fault?.kind === "slowBody") makeBodySlow(res, fault.delayMs);
    await options.handler(req, res, url);
  }, options.port ?? 0);

  return { url: listening.url, port: listening.port, controls, close: listening.close };
}
