import { request, safeUrl } from "../http";
import type { HttpResponse, HttpTransport, RetryOptions } from "../http";
import type { OroResponse, SendOptions } from "./calls";
import { JSON_API_MEDIA_TYPE } from "./constants";
import type { OroConnection } from "./connection";
import { OroResponseError, oroErrorFor } from "./errors";
import type { OroErrorContext } from "./errors";
import type { OroErrorObject } from "./jsonapi";
import { OroTokenSource } from "./token";
import type { OroConnectionProvider } from "./token";

/** Settings of an {@link OroTransport} (and of the {@link OroClient} built on one). */
export interface OroTransportOptions {
  /** Gives the connection (from Secrets Manager); called with `forceRefresh` after `invalid_client`. Required. */
  getConnection: OroConnectionProvider;
  /** Max sockets to Oro when the connection sets none. Default the transport's `DEFAULT_MAX_CONNECTIONS` (8). */
  maxConnections?: number;
  /** In-call retry policy for transient failures. Default the transport's (4 attempts, 200 ms base, 5 s cap). */
  retry?: RetryOptions;
  /** Budget of one HTTP attempt. Default the transport's `DEFAULT_ATTEMPT_TIMEOUT_MS` (60 s). */
  timeoutMs?: number;
  /** Refresh tokens this long before they expire. Default `DEFAULT_TOKEN_EXPIRY_SKEW_MS` (30 s). */
  tokenExpirySkewMs?: number;
  /** Socket pools and counters. Default the process's `defaultHttpTransport` (shared/http). */
  http?: HttpTransport;
}

/**
 * The funnel every Oro call goes through: a token from its own {@link OroTokenSource} (one
 * coalesced token request for any number of concurrent callers), JSON:API headers, the HTTP
 * transport (keep-alive pool capped at `maxConnections`, retries with backoff and `Retry-After`),
 * one retry with a fresh token after a 401, and Oro's `errors[]` turned into typed errors
 * (errors.ts). {@link OroClient} builds its typed calls on one; a raw call (a custom header, a
 * body that no typed call sends) uses it directly.
 */
export class OroTransport {
  private readonly tokens: OroTokenSource;

  constructor(private readonly options: OroTransportOptions) {
    this.tokens = new OroTokenSource(options.getConnection, {
      ...(options.tokenExpirySkewMs === undefined ? {} : { expirySkewMs: options.tokenExpirySkewMs }),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.http ? { http: options.http } : {}),
    });
  }

  /**
   * The funnel every call goes through. Returns 2xx responses; raises typed errors for 4xx (see
   * `oroErrorFor`), {@link HttpError} for what stayed transient after the transport's retries.
   */
  async send<T = unknown>(options: SendOptions): Promise<OroResponse<T>> {
    let issued = await this.tokens.get(options.signal);
    for (let attempt = 1; ; attempt += 1) {
      const { connection, token } = issued;
      const url = resolveUrl(connection, options.path, options.query);
      const hasBody = options.body !== undefined;
      const res = await request({
        url,
        method: options.method,
        headers: {
          accept: JSON_API_MEDIA_TYPE,
          ...(hasBody ? { "content-type": JSON_API_MEDIA_TYPE } : {}),
          authorization: `Bearer ${token}`,
          ...options.headers,
        },
        ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.retrySafe === undefined ? {} : { retrySafe: options.retrySafe }),
        ...(this.options.retry ? { retry: this.options.retry } : {}),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
        maxConnections: connection.maxConnections ?? this.options.maxConnections,
        secrets: [token, connection.clientSecret],
        ...(this.options.http ? { transport: this.options.http } : {}),
      });
      if (res.status === 401 && attempt === 1) {
        // The token expired early or was revoked: drop it (only if no one replaced it yet) and retry once.
        this.tokens.invalidate(connection, token);
        issued = await this.tokens.get(options.signal);
        continue;
      }
      if (res.status >= 400) throw oroErrorFor(errorContext(options, url, res), options.upsertKey);
      return { status: res.status, headers: res.headers, body: res.body === "" ? undefined : parseJson<T>(res, options.method, url) };
    }
  }
}

/**
 * `{baseUrl}{apiPrefix}/{path}?{query}`, or for an absolute link (`links.next`) its path and query
 * on the connection's own origin: Oro behind a TLS-terminating proxy may print `http://` links,
 * and the bearer token must never follow a link to another origin or over plain HTTP.
 */
export const resolveUrl = (connection: OroConnection, path: string, query?: string): string => {
  const base = connection.baseUrl.replace(/\/+$/, "");
  if (/^https?:\/\//i.test(path)) {
    const link = new URL(path);
    return `${new URL(base).origin}${link.pathname}${link.search}`;
  }
  const prefix = `/${connection.apiPrefix.replace(/^\/+|\/+$/g, "")}`;
  return `${base}${prefix === "/" ? "" : prefix}/${path.replace(/^\/+/, "")}${query ? `?${query}` : ""}`;
};

const parseJson = <T>(res: HttpResponse, method: string, url: string): T => {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new OroResponseError(`${method} ${safeUrl(url)} answered HTTP ${res.status} with a body that is not JSON: is baseUrl an Oro application?`);
  }
};

const errorContext = (options: SendOptions, url: string, res: HttpResponse): OroErrorContext => {
  let errors: OroErrorObject[] = [];
  try {
    const parsed = JSON.parse(res.body) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) errors = parsed.errors as OroErrorObject[];
  } catch {
    // 401/405 come with an empty body; a proxy may send HTML. The status alone still types the error.
  }
  return {
    status: res.status,
    method: options.method,
    path: new URL(url).pathname,
    ...(options.resourceType === undefined ? {} : { resourceType: options.resourceType }),
    ...(options.id === undefined ? {} : { id: options.id }),
    errors,
    ...(res.headers.allow === undefined ? {} : { allow: res.headers.allow }),
  };
};
