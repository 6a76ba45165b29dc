import { createHash } from "node:crypto";
import { request } from "../http";
import type { HttpTransport, RetryOptions } from "../http";
import { DEFAULT_TOKEN_EXPIRY_SKEW_MS, TOKEN_PATH } from "./constants";
import { registerToken } from "../observability";
import type { OroConnection } from "./connection";
import { OroAuthError, OroResponseError, oroErrorFor } from "./errors";

/** Gives the current Oro connection; `forceRefresh` bypasses the secrets cache (after a rotation). */
export type OroConnectionProvider = (options?: { forceRefresh?: boolean }) => Promise<OroConnection>;

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used any more (expiry minus skew). */
  refreshAt: number;
}

/** The token URL of a connection: `{baseUrl}/oauth2-token`, never under the API prefix. */
export const tokenUrl = (connection: OroConnection): string => `${connection.baseUrl.replace(/\/+$/, "")}${TOKEN_PATH}`;

/**
 * Cache key: token URL + client id + SHA-256 of the secret. The secret must be in the key: two
 * connections sharing URL and client id (a rotated secret, a second org's app) must never swap tokens.
 */
export const tokenCacheKey = (connection: OroConnection): string =>
  `${tokenUrl(connection)} ${connection.clientId} ${createHash("sha256").update(connection.clientSecret).digest("hex")}`;

/** Options of the token source. */
export interface TokenSourceOptions {
  /** Refresh this long before expiry. Default {@link DEFAULT_TOKEN_EXPIRY_SKEW_MS} (30 s). */
  expirySkewMs?: number;
  /** Retry policy of the token request (it is always retry-safe). Default the transport's. */
  retry?: RetryOptions;
  /** Max sockets to Oro when the connection sets none. Default the transport's (8). */
  maxConnections?: number;
  /** Attempt timeout of the token request. Default the transport's. */
  timeoutMs?: number;
  /** Pools and counters of the token requests. Default the process's `defaultHttpTransport`. */
  http?: HttpTransport;
}

/** A token and the connection it was issued for (after a forced refresh, not the one asked with). */
export interface IssuedToken {
  token: string;
  connection: OroConnection;
}

/**
 * Client-credentials access tokens for Oro, cached per connection and coalesced: 50 concurrent
 * callers with a cold cache cause exactly one token request. The cache belongs to the instance:
 * build the client (which owns one) once per container, so warm invocations reuse the token.
 */
export class OroTokenSource {
  private readonly skewMs: number;
  private readonly tokenCache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly getConnection: OroConnectionProvider,
    private readonly options: TokenSourceOptions = {},
  ) {
    this.skewMs = options.expirySkewMs ?? DEFAULT_TOKEN_EXPIRY_SKEW_MS;
  }

  /**
   * A valid token for the current connection. When Oro says `invalid_client`, the connection is
   * fetched once more with `forceRefresh` (the secret may have been rotated) and the token request
   * tried again; a second refusal raises {@link OroAuthError}.
   */
  async get(signal?: AbortSignal): Promise<IssuedToken> {
    const connection = await this.getConnection();
    try {
      return { token: await this.tokenFor(connection, signal), connection };
    } catch (error) {
      if (!(error instanceof InvalidClientSignal)) throw error;
    }
    const refreshed = await this.getConnection({ forceRefresh: true });
    try {
      return { token: await this.tokenFor(refreshed, signal), connection: refreshed };
    } catch (error) {
      if (!(error instanceof InvalidClientSignal)) throw error;
      throw new OroAuthError(
        `Oro rejected the OAuth client credentials of client id "${refreshed.clientId}" at ${tokenUrl(refreshed)} ` +
          "(401 invalid_client), also after re-reading the secret. Check the client id and secret in the connection " +
          "secret and that the OAuth application (System > User Management > OAuth Applications) is active and uses the client credentials grant.",
        { status: 401, method: "POST", path: new URL(tokenUrl(refreshed)).pathname, errors: [] },
        { code: "ORO_INVALID_CLIENT" },
      );
    }
  }

  /**
   * Forgets `token` if it is still the cached one for `connection`. Only then: a 401 seen by a slow
   * request must not evict the fresh token another request already fetched.
   */
  invalidate(connection: OroConnection, token: string): void {
    const key = tokenCacheKey(connection);
    if (this.tokenCache.get(key)?.token === token) this.tokenCache.delete(key);
  }

  private async tokenFor(connection: OroConnection, signal?: AbortSignal): Promise<string> {
    const key = tokenCacheKey(connection);
    const cached = this.tokenCache.get(key);
    if (cached && cached.refreshAt > Date.now()) return cached.token;
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.fetchToken(connection, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending).token;
  }

  private async fetchToken(connection: OroConnection, signal?: AbortSignal): Promise<CachedToken> {
    const url = tokenUrl(connection);
    const started = Date.now();
    const res = await request({
      url,
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: connection.clientId, client_secret: connection.clientSecret }),
      // Asking for a token twice is harmless.
      retrySafe: true,
      secrets: [connection.clientSecret],
      ...(signal ? { signal } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
      ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(this.options.http ? { transport: this.options.http } : {}),
      maxConnections: connection.maxConnections ?? this.options.maxConnections,
    });
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown; hint?: unknown } = {};
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      // handled below by the status / shape checks
    }
    if (res.status === 401 && body.error === "invalid_client") throw new InvalidClientSignal();
    if (res.status === 401) {
      throw new OroAuthError(`Oro's token endpoint ${url} answered 401 (${String(body.error ?? "no error code")}).`, {
        status: 401,
        method: "POST",
        path: new URL(url).pathname,
        errors: [],
      });
    }
    if (res.status >= 400) {
      const detail = [body.error, body.error_description, body.hint].filter((v) => typeof v === "string").join(": ");
      throw oroErrorFor({
        status: res.status,
        method: "POST",
        path: new URL(url).pathname,
        errors: [{ title: "token request failed", detail: detail || `HTTP ${res.status}` }],
      });
    }
    if (typeof body.access_token !== "string" || body.access_token === "") {
      throw new OroResponseError(
        `Oro's token endpoint ${url} answered HTTP ${res.status} without an access_token: is baseUrl the Oro application root (not the /admin or API URL)?`,
      );
    }
    const lifetimeMs = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
    // A short-lived token (tests, odd configs) would be stale at once under the full skew; keep at least half its life.
    const refreshAt = started + Math.max(lifetimeMs - this.skewMs, lifetimeMs / 2);
    // The token is a credential: redacted wherever it could be echoed (an upstream 400, a proxy).
    registerToken(body.access_token);
    const entry = { token: body.access_token, refreshAt };
    this.tokenCache.set(tokenCacheKey(connection), entry);
    return entry;
  }
}

/** Internal marker: the token endpoint said invalid_client (caught by `get` to refresh the secret). */
class InvalidClientSignal extends Error {
  override name = "InvalidClientSignal";
}
