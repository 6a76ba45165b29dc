/**
 * The HTTP transport every connector uses: undici keep-alive pools per origin (the
 * `maxConnections` cap), timeouts, and retries with full-jitter backoff and `Retry-After`.
 * Internals (`HttpTransport.counter`, the backoff helpers) stay out of the barrel.
 */
export {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_BODY_EXCERPT_CHARS,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_CAP_MS,
} from "./constants";
export { HttpClientError, HttpRequestInvalidError, HttpDeadlineError, HttpError } from "./errors";
export type { HttpFailure } from "./errors";
export { HttpTransport, closeAll, defaultHttpTransport, getAllHttpStats, getHttpStats, getPool } from "./pool";
export type { HttpOriginStats, HttpPoolOptions } from "./pool";
export { bodyExcerpt, redactText, safeUrl } from "./redact";
export { request } from "./request";
export type { HttpRequestOptions, HttpResponse, RetryOptions } from "./request";
export { backoffDelay, isRetryableStatus, parseRetryAfter } from "./retry";
