import type { Pool } from "undici";
import type * as UndiciPool from "./undici-pool";
import {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
} from "./constants";

/** Settings of the keep-alive socket pool of one origin. */
export interface HttpPoolOptions {
  /** Max sockets open to the origin at once; further requests queue. Default {@link DEFAULT_MAX_CONNECTIONS} (8). */
  maxConnections?: number;
  /** TCP + TLS connect timeout. Default {@link DEFAULT_CONNECT_TIMEOUT_MS} (5 s). */
  connectTimeoutMs?: number;
  /** Wait for response headers. Default {@link DEFAULT_HEADERS_TIMEOUT_MS} (30 s). */
  headersTimeoutMs?: number;
  /** Max gap between body chunks. Default {@link DEFAULT_BODY_TIMEOUT_MS} (30 s). */
  bodyTimeoutMs?: number;
  /** Idle time before a socket is closed. Default {@link DEFAULT_KEEP_ALIVE_TIMEOUT_MS} (4 s). */
  keepAliveTimeoutMs?: number;
}

type ResolvedPoolOptions = Required<HttpPoolOptions>;

/** Counters of one origin since its {@link HttpTransport} was created. */
export interface HttpOriginStats {
  /** Attempts sent, retries included. */
  requests: number;
  /** Attempts that were retries of an earlier one. */
  retries: number;
  /** Calls that ended in an error raised by the transport (gave up, deadline, network). */
  failures: number;
  /** Responses received, by status. */
  statuses: Record<number, number>;
}

// undici is loaded on the first request instead of at import, which keeps it out of the Lambda
// init phase (bench:coldstart), and a function that makes no HTTP call in an invocation never pays
// for it; only its Pool is loaded (./undici-pool.ts says why).
let undici: Promise<typeof UndiciPool> | undefined;
const loadUndici = () => (undici ??= import("./undici-pool"));

const resolvePoolOptions = (options: HttpPoolOptions): ResolvedPoolOptions => ({
  maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
  bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
  keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
});

const copyStats = (entry: HttpOriginStats): HttpOriginStats => ({ ...entry, statuses: { ...entry.statuses } });

/**
 * The keep-alive socket pools of a process, one per origin and settings, and their counters. The
 * container's transport is {@link defaultHttpTransport}: a warm Lambda invocation reuses the
 * sockets of the previous one. A test that counts requests makes its own (`new HttpTransport()`)
 * and passes it as `transport` to `request` or to a client.
 */
export class HttpTransport {
  private readonly pools = new Map<string, Pool>();
  private readonly counters = new Map<string, HttpOriginStats>();

  /**
   * The pooled keep-alive dispatcher for `origin` with these settings, created on first use. Two
   * callers that ask for the same origin with the same settings share one pool, hence one cap on
   * concurrent sockets. (Different settings give different pools: keep one setting per origin.)
   */
  async pool(origin: string, options: HttpPoolOptions = {}): Promise<Pool> {
    const resolved = resolvePoolOptions(options);
    if (!Number.isInteger(resolved.maxConnections) || resolved.maxConnections < 1) {
      throw new RangeError(`maxConnections must be a positive integer, got ${resolved.maxConnections}`);
    }
    const key = `${origin} ${JSON.stringify(resolved)}`;
    let pool = this.pools.get(key);
    if (pool === undefined || pool.closed || pool.destroyed) {
      const { Pool } = await loadUndici();
      // Another caller may have created it while undici loaded.
      const raced = this.pools.get(key);
      if (raced && !raced.closed && !raced.destroyed) return raced;
      pool = new Pool(origin, {
        connections: resolved.maxConnections,
        // One request per socket at a time: pipelining would defeat the concurrency cap's meaning
        // and a slow response would block the ones queued behind it.
        pipelining: 1,
        connectTimeout: resolved.connectTimeoutMs,
        headersTimeout: resolved.headersTimeoutMs,
        bodyTimeout: resolved.bodyTimeoutMs,
        keepAliveTimeout: resolved.keepAliveTimeoutMs,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes every pool (graceful: in-flight requests finish); the next request opens new ones. */
  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((pool) => (pool.closed ? undefined : pool.close())));
  }

  /** @internal The live, mutable counters of an origin, created on first use (request.ts counts into them). */
  counter(origin: string): HttpOriginStats {
    let entry = this.counters.get(origin);
    if (entry === undefined) {
      entry = { requests: 0, retries: 0, failures: 0, statuses: {} };
      this.counters.set(origin, entry);
    }
    return entry;
  }

  /** A copy of the counters of the origin of `url` (e.g. `https://oro.example.com`), zeros when never used. */
  stats(url: string): HttpOriginStats {
    return copyStats(this.counter(new URL(url).origin));
  }

  /** Copies of the counters of every origin used so far. */
  allStats(): Record<string, HttpOriginStats> {
    return Object.fromEntries([...this.counters].map(([origin, entry]) => [origin, copyStats(entry)]));
  }
}

/** The process's transport (one per Lambda container), used when a call names none. */
export const defaultHttpTransport = new HttpTransport();

/** {@link HttpTransport.pool} of the {@link defaultHttpTransport}. */
export const getPool = (origin: string, options: HttpPoolOptions = {}): Promise<Pool> => defaultHttpTransport.pool(origin, options);

/** Closes every pool of the {@link defaultHttpTransport}. For shutdown hooks and the end of a test file. */
export const closeAll = (): Promise<void> => defaultHttpTransport.close();

/** {@link HttpTransport.stats} of the {@link defaultHttpTransport}. */
export const getHttpStats = (url: string): HttpOriginStats => defaultHttpTransport.stats(url);

/** {@link HttpTransport.allStats} of the {@link defaultHttpTransport}. */
export const getAllHttpStats = (): Record<string, HttpOriginStats> => defaultHttpTransport.allStats();
