import { PermanentError, TransientError } from "../errors";
import type { ConnectorErrorOptions } from "../errors";

/** Facts about a failed HTTP exchange that are safe to log: no headers, no request body. */
export interface HttpFailure {
  /** Request method, upper case. */
  method: string;
  /** The URL with user info and secret-looking query values redacted. */
  url: string;
  /** Response status; `undefined` when no response arrived (network error, timeout, abort). */
  status?: number;
  /** At most ~300 redacted characters of the response body. */
  bodyExcerpt?: string;
  /** Attempts made, the first one included. */
  attempts: number;
  /** Delay the server asked for with `Retry-After`, when it did. */
  retryAfterMs?: number;
}

const describe = (f: HttpFailure): string => {
  const what = f.status === undefined ? "no response" : `HTTP ${f.status}`;
  const excerpt = f.bodyExcerpt ? `: ${f.bodyExcerpt}` : "";
  return `${f.method} ${f.url} failed with ${what} after ${f.attempts} attempt(s)${excerpt}`;
};

const failureDetails = (f: HttpFailure): Record<string, unknown> => ({ ...f });

/**
 * The transport gave up on a call that may succeed later: network error, timeout, 408, 429 or
 * 5xx, after its in-call retries (or without retrying, for a non-idempotent call), or a 2xx whose
 * body is not the JSON the caller asked for (`HttpResponse.json`: a proxy page). Transient, so
 * the runtime retries the record through SQS.
 */
export class HttpError extends TransientError implements HttpFailure {
  override name = "HttpError";
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly bodyExcerpt: string | undefined;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(failure: HttpFailure, options: ConnectorErrorOptions & { message?: string } = {}) {
    super(options.message ?? describe(failure), {
      code: failure.status === undefined ? "HTTP_NETWORK" : `HTTP_${failure.status}`,
      alertType: "connection",
      details: failureDetails(failure),
      ...options,
    });
    this.method = failure.method;
    this.url = failure.url;
    this.status = failure.status;
    this.bodyExcerpt = failure.bodyExcerpt;
    this.attempts = failure.attempts;
    this.retryAfterMs = failure.retryAfterMs;
  }
}

/**
 * The caller's `AbortSignal` fired (in a Lambda: the invocation deadline is near). Retrying stopped;
 * the record goes back to the queue with time to spare instead of being killed mid-write.
 */
export class HttpDeadlineError extends TransientError {
  override name = "HttpDeadlineError";
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(failure: Pick<HttpFailure, "method" | "url" | "attempts">, options: ConnectorErrorOptions = {}) {
    super(
      `${failure.method} ${failure.url} stopped after ${failure.attempts} attempt(s): the call hit its deadline ` +
        `(the caller's abort signal fired, e.g. the Lambda is about to time out); the record will be retried`,
      { code: "HTTP_DEADLINE", alertType: "connection", details: { ...failure }, ...options },
    );
    this.method = failure.method;
    this.url = failure.url;
    this.attempts = failure.attempts;
  }
}

/**
 * A non-retryable 4xx, raised only when the call asked for it with `throwOnClientError: true`
 * (by default such responses are returned so that API clients like the Oro client can map them).
 */
export class HttpClientError extends PermanentError implements HttpFailure {
  override name = "HttpClientError";
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly bodyExcerpt: string | undefined;
  readonly attempts: number;

  constructor(failure: HttpFailure & { status: number }, options: ConnectorErrorOptions = {}) {
    super(describe(failure), { code: `HTTP_${failure.status}`, details: failureDetails(failure), ...options });
    this.method = failure.method;
    this.url = failure.url;
    this.status = failure.status;
    this.bodyExcerpt = failure.bodyExcerpt;
    this.attempts = failure.attempts;
  }
}

/**
 * The request itself cannot be sent: its URL or a header value holds a line break or NUL, almost
 * always from record data (an id with a CR/LF). Permanent: the same record builds the same request
 * again, so retrying cannot help; WHATWG `URL` would even drop the line break silently and address
 * another record. Names the header or the URL part, never the value (it may be a credential).
 */
export class HttpRequestInvalidError extends PermanentError {
  override name = "HttpRequestInvalidError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "HTTP_REQUEST_INVALID", alertType: "validation", ...options });
  }
}
