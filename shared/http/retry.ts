import { setTimeout as sleepTimer } from "node:timers/promises";
import { IDEMPOTENT_METHODS, RETRYABLE_ERROR_CODES } from "./constants";

/** 408, 429 and every 5xx say "the same request may work later". */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status <= 599);

/** True for failures below HTTP (reset socket, refused connection, timeouts) worth another attempt. */
export const isRetryableNetworkError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE_ERROR_CODES.has(code);
};

/** True when repeating the request cannot do harm: an idempotent method, or the caller vouches for it. */
export const isRetrySafe = (method: string, retrySafe: boolean | undefined): boolean => retrySafe === true || IDEMPOTENT_METHODS.has(method);

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniform delay in `[0, min(cap, base * 2^(retry-1))]`. Jitter spreads the retries of many
 * Lambdas that failed at the same moment, so they do not hit the server again in lockstep.
 *
 * @param retry - 1 for the first retry.
 */
export const backoffDelay = (retry: number, baseMs: number, capMs: number, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1)));

const MAX_RETRY_AFTER_CHARS = 64;

/**
 * `Retry-After` in milliseconds, from delta-seconds (`"2"`) or an HTTP date; `undefined` when
 * absent or unparseable. A date in the past means "now" (0).
 */
export const parseRetryAfter = (value: string | undefined, now: number = Date.now()): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  // An HTTP date is 29 characters; anything far longer is not a Retry-After worth parsing.
  if (trimmed === "" || trimmed.length > MAX_RETRY_AFTER_CHARS) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
};

/**
 * Waits `ms`, or less if `signal` fires: resolves `true` when the full delay passed, `false` when
 * aborted. Never sleeps past the signal, so a Lambda deadline interrupts a backoff at once.
 */
export const sleep = async (ms: number, signal?: AbortSignal): Promise<boolean> => {
  if (signal?.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleepTimer(ms, undefined, signal ? { signal } : undefined);
    return true;
  } catch {
    return false;
  }
};
