import type { IncomingHttpHeaders } from "node:http";
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_BODY_EXCERPT_CHARS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_CAP_MS,
} from "./constants";
import { HttpClientError, HttpDeadlineError, HttpError, HttpRequestInvalidError } from "./errors";
import { defaultHttpTransport } from "./pool";
import type { HttpTransport } from "./pool";
import type { HttpPoolOptions } from "./pool";
import { bodyExcerpt, safeUrl } from "./redact";
import { backoffDelay, isRetryableNetworkError, isRetryableStatus, isRetrySafe, parseRetryAfter, sleep } from "./retry";

/** How a call retries transient failures (network errors, 408, 429, 5xx). */
export interface RetryOptions {
  /** Total attempts, the first included; 1 disables retries. Default {@link DEFAULT_RETRY_ATTEMPTS} (4). */
  attempts?: number;
  /** Backoff base: retry n waits a random time up to `baseMs * 2^(n-1)`. Default {@link DEFAULT_RETRY_BASE_MS} (200 ms). */
  baseMs?: number;
  /** Ceiling of one backoff delay. Default {@link DEFAULT_RETRY_CAP_MS} (5 s). */
  capMs?: number;
  /**
   * Longest `Retry-After` honoured in-process; a longer one ends the call at once with an
   * {@link HttpError} whose `retryAfterMs` says how long the server asked for.
   * Default {@link DEFAULT_MAX_RETRY_AFTER_MS} (20 s).
   */
  maxRetryAfterMs?: number;
}

/** One HTTP call. Pool settings (`maxConnections`, timeouts) pick the origin's shared pool. */
export interface HttpRequestOptions extends HttpPoolOptions {
  /** Absolute URL, query string included. */
  url: string | URL;
  /** Method. Default `GET`. */
  method?: string;
  /** Request headers. Never copied into errors. Default none. */
  headers?: Record<string, string>;
  /**
   * Body: a string or bytes are sent as they are; any other object is serialized as JSON and gets
   * `content-type: application/json` unless a content type is given. Default none.
   */
  body?: string | Uint8Array | object;
  /** Aborts the call and every retry, e.g. tied to the Lambda deadline. Default none. */
  signal?: AbortSignal;
  /** Retry policy; `false` means a single attempt. Default {@link RetryOptions} defaults. */
  retry?: RetryOptions | false;
  /**
   * The caller vouches that repeating this request is harmless (an upsert, a token request).
   * GET, HEAD, PUT, DELETE and OPTIONS are always retry-safe. Default `false`.
   */
  retrySafe?: boolean;
  /** Budget of one attempt, body included; an attempt over it counts as a network error. Default {@link DEFAULT_ATTEMPT_TIMEOUT_MS} (60 s). */
  timeoutMs?: number;
  /**
   * Raise {@link HttpClientError} (permanent) for a non-retryable 4xx instead of returning it.
   * Default `false`: the response is returned so API clients can map the body to their own errors.
   */
  throwOnClientError?: boolean;
  /** Values to scrub from any error text (a token, a client secret), in addition to the built-in redaction. Default none. */
  secrets?: readonly string[];
  /** Max characters of the body excerpt in errors. Default {@link DEFAULT_BODY_EXCERPT_CHARS} (300). */
  bodyExcerptChars?: number;
  /** Pools and counters to use. Default the process's {@link defaultHttpTransport}. */
  transport?: HttpTransport;
}

/** A response the transport did not turn into an error: 1xx-3xx, and 4xx other than 408/429. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The whole body, decoded as UTF-8. */
  body: string;
  /** Attempts it took, the first one included. */
  attempts: number;
  /** The body parsed as JSON; raises {@link HttpError} (transient) when it is not JSON. */
  json<T = unknown>(): T;
}

const normalizeHeaders = (raw: IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
};

const encodeBody = (
  body: HttpRequestOptions["body"],
  headers: Record<string, string>,
): { payload: string | Uint8Array | undefined; headers: Record<string, string> } => {
  if (body === undefined || body === null) return { payload: undefined, headers };
  if (typeof body === "string" || body instanceof Uint8Array) return { payload: body, headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  return { payload: JSON.stringify(body), headers: hasType ? headers : { ...headers, "content-type": "application/json" } };
};

/** Characters no URL or header value may hold: line breaks (header injection, silently dropped by `URL`) and NUL. */
const FORBIDDEN_CHARS = /[\r\n\0]/;

/** Refuses a URL or header value with a line break or NUL before anything is parsed or sent. */
const checkRequestText = (url: string, headers: Readonly<Record<string, string>>, method: string): void => {
  if (FORBIDDEN_CHARS.test(url)) {
    const path = url.split("?")[0] ?? "";
    throw new HttpRequestInvalidError(
      `${method} refused before sending: the URL's ${FORBIDDEN_CHARS.test(path) ? "path" : "query"} holds a line break or NUL (an id from record data?); fix the source record`,
    );
  }
  for (const [name, value] of Object.entries(headers)) {
    if (FORBIDDEN_CHARS.test(String(value)))
      throw new HttpRequestInvalidError(
        `${method} ${safeUrl(url)} refused before sending: header "${name}" holds a line break or NUL (an id from record data?); fix the source record`,
      );
  }
};

/**
 * Sends one HTTP request through the origin's pooled keep-alive dispatcher (of `options.transport`, default the
 * process's `defaultHttpTransport`), retrying transient
 * failures with full-jitter exponential backoff.
 *
 * - Retried: network errors, attempt timeouts, 408, 429 and 5xx, but only for GET, HEAD, PUT,
 *   DELETE, OPTIONS or when `retrySafe: true` (a POST that timed out may have been applied).
 * - `Retry-After` (seconds or HTTP date) replaces the computed backoff, up to `maxRetryAfterMs`.
 * - Gives up with {@link HttpError} (transient) after the last attempt, or {@link HttpDeadlineError}
 *   as soon as `signal` fires; it never sleeps past the signal. A failure below HTTP that is not
 *   worth another attempt (an error code outside `RETRYABLE_ERROR_CODES`, e.g. undici refusing an
 *   argument) is rethrown as it came, untyped.
 * - Refuses a URL or header value holding a line break or NUL with {@link HttpRequestInvalidError}
 *   (permanent) before sending anything.
 * - Other responses, 4xx included, are returned (see `throwOnClientError`).
 *
 * Errors hold the method, a redacted URL, the status and a redacted ~300-char body excerpt; never
 * request headers or the request body.
 *
 * @example
 * const res = await request({ url: "https://pim.example.com/api/rest/v1/products?limit=100",
 *   headers: { authorization: `Bearer ${token}` }, signal: context.signal, maxConnections: 4 });
 * const page = res.json<{ _embedded: { items: unknown[] } }>();
 */
export const request = async (options: HttpRequestOptions): Promise<HttpResponse> => {
  checkRequestText(String(options.url), options.headers ?? {}, (options.method ?? "GET").toUpperCase());
  const url = new URL(String(options.url));
  const method = (options.method ?? "GET").toUpperCase();
  const retry = options.retry === false ? { attempts: 1 } : (options.retry ?? {});
  const attempts = Math.max(1, retry.attempts ?? DEFAULT_RETRY_ATTEMPTS);
  const baseMs = retry.baseMs ?? DEFAULT_RETRY_BASE_MS;
  const capMs = retry.capMs ?? DEFAULT_RETRY_CAP_MS;
  const maxRetryAfterMs = retry.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const excerptChars = options.bodyExcerptChars ?? DEFAULT_BODY_EXCERPT_CHARS;
  const secrets = options.secrets ?? [];
  const safe = isRetrySafe(method, options.retrySafe);
  const printableUrl = safeUrl(url);
  const { signal } = options;
  const transport = options.transport ?? defaultHttpTransport;
  const pool = await transport.pool(url.origin, options);
  const counters = transport.counter(url.origin);
  const { payload, headers } = encodeBody(options.body, options.headers ?? {});

  const deadline = (made: number): HttpDeadlineError => {
    counters.failures += 1;
    return new HttpDeadlineError({ method, url: printableUrl, attempts: made }, { cause: signal?.reason });
  };

  for (let attempt = 1; ; attempt += 1) {
    if (signal?.aborted) throw deadline(attempt - 1);
    counters.requests += 1;
    if (attempt > 1) counters.retries += 1;
    const attemptSignal = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);

    let status: number;
    let responseHeaders: Record<string, string>;
    let text: string;
    try {
      const res = await pool.request({ path: url.pathname + url.search, method, headers, body: payload, signal: attemptSignal });
      status = res.statusCode;
      responseHeaders = normalizeHeaders(res.headers);
      text = await res.body.text();
      // undici frees the socket one tick after the body ends; yielding here lets the next call
      // of a sequential loop find it idle instead of opening a second connection.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } catch (error) {
      if (signal?.aborted) throw deadline(attempt);
      const timedOut = attemptSignal.aborted;
      const retryable = timedOut || isRetryableNetworkError(error);
      if (!retryable) {
        counters.failures += 1;
        throw error;
      }
      if (!safe || attempt >= attempts) {
        counters.failures += 1;
        const why = timedOut ? `attempt timed out after ${timeoutMs} ms` : describeNetworkError(error, secrets);
        throw new HttpError(
          { method, url: printableUrl, attempts: attempt },
          {
            message:
              `${method} ${printableUrl} failed after ${attempt} attempt(s): ${why}` +
              (safe ? "" : ` (not retried in-call: ${method} is not idempotent and the call is not marked retrySafe)`),
            cause: error,
          },
        );
      }
      if (!(await sleep(backoffDelay(attempt, baseMs, capMs), signal))) throw deadline(attempt);
      continue;
    }

    counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
    if (isRetryableStatus(status)) {
      const retryAfterMs = parseRetryAfter(responseHeaders["retry-after"]);
      const tooLong = retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs;
      if (!safe || attempt >= attempts || tooLong) {
        counters.failures += 1;
        const failure = {
          method,
          url: printableUrl,
          status,
          bodyExcerpt: bodyExcerpt(text, excerptChars, secrets),
          attempts: attempt,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
        throw new HttpError(failure);
      }
      if (!(await sleep(retryAfterMs ?? backoffDelay(attempt, baseMs, capMs), signal))) throw deadline(attempt);
      continue;
    }

    if (status >= 400 && status < 500 && options.throwOnClientError) {
      throw new HttpClientError({ method, url: printableUrl, status, bodyExcerpt: bodyExcerpt(text, excerptChars, secrets), attempts: attempt });
    }
    const made = attempt;
    return {
      status,
      headers: responseHeaders,
      body: text,
      attempts: made,
      json<T>(): T {
        try {
          return JSON.parse(text) as T;
        } catch (error) {
          throw new HttpError(
            { method, url: printableUrl, status, bodyExcerpt: bodyExcerpt(text, excerptChars, secrets), attempts: made },
            {
              message: `${method} ${printableUrl} answered HTTP ${status} with a body that is not JSON (a proxy or error page?): ${bodyExcerpt(text, excerptChars, secrets)}`,
              cause: error,
            },
          );
        }
      },
    };
  }
};

const describeNetworkError = (error: unknown, secrets: readonly string[]): string => {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return bodyExcerpt(`${typeof code === "string" ? `${code} ` : ""}${message}`, 200, secrets);
};
