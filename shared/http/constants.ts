/**
 * Tunables of the HTTP transport. Each default is used when the matching option is left out;
 * see {@link HttpPoolOptions}, {@link RetryOptions} and {@link HttpRequestOptions}.
 */

/** Sockets per origin. This is the lever that caps pressure on Oro and on external APIs. */
export const DEFAULT_MAX_CONNECTIONS = 8;
/** TCP + TLS handshake budget. A host that cannot connect in 5 s is down for our purposes. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Time to wait for the response headers once the request is sent. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
/** Max silence between two chunks of a response body. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/**
 * How long an idle socket stays open. Kept below the 5 s of common servers (nginx's
 * `keepalive_timeout` is 75 s, but many load balancers and Node itself use 5 s) so we never
 * write into a socket the server is closing.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 4_000;
/** Budget for one attempt (send + headers + body); the caller's signal bounds the whole call. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

/** Total attempts, the first one included. */
export const DEFAULT_RETRY_ATTEMPTS = 4;
/** Base of the exponential backoff: attempt n waits up to `base * 2^(n-1)`. */
export const DEFAULT_RETRY_BASE_MS = 200;
/** Ceiling of one computed backoff delay. */
export const DEFAULT_RETRY_CAP_MS = 5_000;
/**
 * Longest `Retry-After` the transport waits for in-process. Longer waits are the queue's job
 * (SQS visibility backoff): the call gives up at once with a TransientError carrying the delay.
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = 20_000;
/** Characters of a response body kept in an error message. */
export const DEFAULT_BODY_EXCERPT_CHARS = 300;

/** Methods that may be repeated without changing the outcome (RFC 9110 9.2.2). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
/**
 * Error codes of failures below HTTP (socket, DNS, timeouts) that a later attempt may not hit.
 * Anything else (invalid argument, bad URL, ...) is a bug and is not retried.
 */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "HTTP_ATTEMPT_TIMEOUT",
]);
