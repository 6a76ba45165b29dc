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

/** Counters of one origin since the process started (or since {@link resetHttpStats}). */
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

// Module scope on purpose: a warm Lambda invocation reuses the sockets of the previous one.
const pools = new Map<string, Pool>();
const stats = new Map<string, HttpOriginStats>();

const resolvePoolOptions = (options: HttpPoolOptions): ResolvedPoolOptions => ({
  maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
  bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
  keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
});

/**
 * The pooled keep-alive dispatcher for `origin` with these settings, created on first use. Two
 * callers that ask for the same origin with the same settings share one pool, hence one cap on
 * concurrent sockets. (Different settings give different pools: keep one setting per origin.)
 */
export const getPool = async (origin: string, options: HttpPoolOptions = {}): Promise<Pool> => {
  const resolved = resolvePoolOptions(options);
  if (!Number.isInteger(resolved.maxConnections) || resolved.maxConnections < 1) {
    throw new RangeError(`maxConnections must be a positive integer, got ${resolved.maxConnections}`);
  }
  const key = `${origin} ${JSON.stringify(resolved)}`;
  let pool = pools.get(key);
  if (pool === undefined || pool.closed || pool.destroyed) {
    const { Pool } = await loadUndici();
    // Another caller may have created it while undici loaded.
    const raced = pools.get(key);
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
    pools.set(key, pool);
  }
  return pool;
};

/** Closes every pool (graceful: in-flight requests finish). For tests and shutdown hooks. */
export const closeAll = async (): Promise<void> => {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => (pool.closed ? undefined : pool.close())));
};

/** @internal Mutable counters of an origin, created on first use. */
export const originStats = (origin: string): HttpOriginStats => {
  let entry = stats.get(origin);
  if (entry === undefined) {
    entry = { requests: 0, retries: 0, failures: 0, statuses: {} };
    stats.set(origin, entry);
  }
  return entry;
};

/** A copy of the counters of `origin` (e.g. `https://oro.example.com`), zeros when never used. */
export const getHttpStats = (origin: string): HttpOriginStats => {
  const entry = originStats(new URL(origin).origin);
  return { ...entry, statuses: { ...entry.statuses } };
};

/** Copies of the counters of every origin used so far. */
export const getAllHttpStats = (): Record<string, HttpOriginStats> =>
  Object.fromEntries([...stats].map(([origin, entry]) => [origin, { ...entry, statuses: { ...entry.statuses } }]));

/** Zeroes all counters (benchmarks and tests). */
export const resetHttpStats = (): void => stats.clear();
