import { createHash } from "node:crypto";
import { bodyExcerpt, HttpError, request } from "../../http";
import type { HttpResponse, HttpTransport } from "../../http";
import type { SettingsProvider } from "../../connector";
import { redact, registerToken } from "../../observability";
import { AkeneoAuthError, AkeneoRequestError } from "./errors";
import { productsListPath } from "./search";
import type { ProductListQuery } from "./search";
import { DEFAULT_AKENEO_MAX_CONNECTIONS } from "./settings";
import type { AkeneoSettings } from "./settings";

/** Refresh a token this long before Akeneo says it expires. */
const EXPIRY_SKEW_MS = 30_000;
export const TOKEN_PATH = "/api/oauth/v1/token";

/**
 * A product of `GET /api/rest/v1/products-uuid` (docs/reference/akeneo-api.md §2): no root
 * `identifier`; the SKU is the value of the identifier attribute in `values`. The connector's
 * mapping reads what it needs.
 */
export interface AkeneoProduct {
  uuid: string;
  enabled?: boolean;
  family?: string | null;
  categories?: string[];
  parent?: string | null;
  values?: Record<string, Array<{ locale: string | null; scope: string | null; data: unknown }>>;
  updated?: string;
  [field: string]: unknown;
}

/** An identifier attribute (`pim_catalog_identifier`) as the attributes list returns it. */
export interface AkeneoIdentifierAttribute {
  code: string;
  /** Only on SaaS since 2023; absent on older PIMs, where the single identifier attribute is the main one. */
  isMain: boolean | undefined;
}

/** Pages of attributes read at most when listing the identifier attributes (a catalog has a handful). */
const MAX_ATTRIBUTE_PAGES = 10;

/** One page of a listing: its items and the `_links.next` href, absent on the last page. */
export interface AkeneoPage<T = AkeneoProduct> {
  items: T[];
  next: string | undefined;
}

interface Token {
  access: string;
  refresh: string | undefined;
  refreshAt: number;
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

// The cache key holds a hash of every credential, so a rotated secret or a second connection on
// the same PIM never reuses another's token.
const keyOf = (s: AkeneoSettings) => createHash("sha256").update([s.baseUrl, s.clientId, s.secret, s.username, s.password].join("\0")).digest("hex");

const origin = (s: AkeneoSettings) => s.baseUrl.replace(/\/+$/, "");

/**
 * Client of Akeneo's REST API: OAuth2 password grant with a cached, coalesced token (refresh_token
 * grant first, password grant when the refresh is refused), one retry with a new token after a
 * 401, and every call through shared/http (pool capped at `maxConnections`, default 4; retries of
 * 429 / 5xx honouring `Retry-After`; the Lambda deadline as abort signal).
 *
 * @example
 * const akeneo = new AkeneoClient(() => secrets.get("akeneo/main", AkeneoSettingsSchema));
 * let href: string | undefined = akeneo.productsListHref({ updated: { from, to } });
 * while (href) ({ items, next: href } = await akeneo.page(href, signal));
 */
export class AkeneoClient {
  // The client's own token cache: the runtime builds one client per container, so warm
  // invocations reuse the token.
  private readonly tokens = new Map<string, Token>();
  private readonly inFlight = new Map<string, Promise<Token>>();

  constructor(
    private readonly settings: SettingsProvider<AkeneoSettings>,
    private readonly options: { http?: HttpTransport } = {},
  ) {}

  /** The first listing href of products (search_after, limit 100, optional `updated` window). */
  productsListHref(query: ProductListQuery = {}): string {
    return productsListPath(query);
  }

  /**
   * One page of a listing: `href` is a path (from {@link productsListHref}) or an absolute
   * `_links.next` link, which is rebased on the configured origin so the token never follows a
   * link elsewhere.
   */
  async page<T = AkeneoProduct>(href: string, signal?: AbortSignal): Promise<AkeneoPage<T>> {
    const body = (await this.get(href, signal)).json<{ _embedded?: { items?: T[] }; _links?: { next?: { href?: string } } }>();
    return { items: body._embedded?.items ?? [], next: body._links?.next?.href };
  }

  /**
   * The catalog's identifier attributes: `GET /api/rest/v1/attributes` with
   * `search={"type":[{"operator":"IN","value":["pim_catalog_identifier"]}]}`, 100 per page,
   * following `_links.next` (docs/reference/akeneo-api.md §5).
   */
  async identifierAttributes(signal?: AbortSignal): Promise<AkeneoIdentifierAttribute[]> {
    const search = JSON.stringify({ type: [{ operator: "IN", value: ["pim_catalog_identifier"] }] });
    let href: string | undefined = `/api/rest/v1/attributes?${new URLSearchParams({ limit: "100", search }).toString()}`;
    const out: AkeneoIdentifierAttribute[] = [];
    for (let page = 0; href && page < MAX_ATTRIBUTE_PAGES; page += 1) {
      const { items, next }: AkeneoPage<{ code?: unknown; type?: unknown; is_main_identifier?: unknown }> = await this.page(href, signal);
      for (const a of items) {
        if (typeof a.code === "string" && a.type === "pim_catalog_identifier")
          out.push({ code: a.code, isMain: typeof a.is_main_identifier === "boolean" ? a.is_main_identifier : undefined });
      }
      href = next;
    }
    return out;
  }

  /** `GET /api/rest/v1/products-uuid/{uuid}`. */
  async product(uuid: string, signal?: AbortSignal): Promise<AkeneoProduct> {
    return (await this.get(`/api/rest/v1/products-uuid/${encodeURIComponent(uuid)}`, signal)).json<AkeneoProduct>();
  }

  /** GET with a bearer token; after a 401 the token is renewed once. */
  async get(href: string, signal?: AbortSignal): Promise<HttpResponse> {
    let settings = await this.settings();
    let token = await this.token(settings, signal);
    for (let attempt = 1; ; attempt += 1) {
      const res = await request({
        url: this.resolve(settings, href),
        headers: { authorization: `Bearer ${token.access}`, accept: "application/json" },
        maxConnections: settings.maxConnections ?? DEFAULT_AKENEO_MAX_CONNECTIONS,
        ...(this.options.http ? { transport: this.options.http } : {}),
        secrets: [token.access, settings.secret, settings.password],
        ...(signal ? { signal } : {}),
      });
      if (res.status === 401 && attempt === 1) {
        // Expired early or revoked: drop it (only if nobody replaced it yet) and get another.
        const key = keyOf(settings);
        if (this.tokens.get(key)?.access === token.access) this.tokens.set(key, { ...token, refreshAt: 0 });
        settings = await this.settings();
        token = await this.token(settings, signal);
        continue;
      }
      if (res.status === 401)
        throw new AkeneoAuthError(`Akeneo refused a fresh access token for GET ${pathOf(href)}: check the connection's permissions in Akeneo`);
      if (res.status === 403)
        throw new AkeneoAuthError(
          `Akeneo answered 403 for GET ${pathOf(href)}: the connection's user group lacks the permission to list ${pathOf(href).includes("/attributes") ? "attributes" : "products"}`,
        );
      if (res.status >= 400)
        throw new AkeneoRequestError(
          `Akeneo rejected GET ${pathOf(href)} with HTTP ${res.status}: ${messageOf(res, [token.access, settings.secret, settings.password])}`,
          { code: `AKENEO_${res.status}` },
        );
      return res;
    }
  }

  private resolve(settings: AkeneoSettings, href: string): string {
    if (/^https?:\/\//i.test(href)) {
      const link = new URL(href);
      return `${new URL(origin(settings)).origin}${link.pathname}${link.search}`;
    }
    return `${origin(settings)}${href.startsWith("/") ? "" : "/"}${href}`;
  }

  /** A valid token: cached, else refreshed, else a password grant; concurrent callers share one request. */
  private async token(settings: AkeneoSettings, signal?: AbortSignal): Promise<Token> {
    const key = keyOf(settings);
    const cached = this.tokens.get(key);
    if (cached && cached.refreshAt > Date.now()) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.obtain(settings, cached?.refresh, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return token;
  }

  private async obtain(settings: AkeneoSettings, refresh: string | undefined, signal?: AbortSignal): Promise<Token> {
    if (refresh) {
      const refreshed = await this.grant(settings, { grant_type: "refresh_token", refresh_token: refresh }, signal);
      if (refreshed) return refreshed;
    }
    const token = await this.grant(settings, { grant_type: "password", username: settings.username, password: settings.password }, signal);
    if (token) return token;
    // The secret may have been rotated since it was cached: read it again once.
    const fresh = await this.settings({ forceRefresh: true });
    const retried = await this.grant(fresh, { grant_type: "password", username: fresh.username, password: fresh.password }, signal);
    if (retried) return retried;
    throw new AkeneoAuthError(
      "Akeneo refused the connection's credentials (client id / secret / username / password): update the integration secret from Akeneo's Connect > Connection settings",
    );
  }

  /** One token request; `undefined` when Akeneo refuses the grant (400/401/422). */
  private async grant(settings: AkeneoSettings, body: Record<string, string>, signal?: AbortSignal): Promise<Token | undefined> {
    const res = await request({
      url: `${origin(settings)}${TOKEN_PATH}`,
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${settings.clientId}:${settings.secret}`).toString("base64")}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      retrySafe: true,
      maxConnections: settings.maxConnections ?? DEFAULT_AKENEO_MAX_CONNECTIONS,
      ...(this.options.http ? { transport: this.options.http } : {}),
      secrets: [settings.secret, settings.password, ...(body.refresh_token ? [body.refresh_token] : [])],
      ...(signal ? { signal } : {}),
    });
    if (res.status === 400 || res.status === 401 || res.status === 422) return undefined;
    if (res.status >= 300) throw new HttpError({ method: "POST", url: `${origin(settings)}${TOKEN_PATH}`, status: res.status, attempts: res.attempts });
    const json = res.json<TokenResponse>();
    if (!json.access_token) throw new AkeneoAuthError(`Akeneo's token endpoint answered HTTP ${res.status} without an access_token: is baseUrl an Akeneo PIM?`);
    // Issued credentials are redacted like the secret's own values (an upstream may echo them).
    registerToken(json.access_token);
    registerToken(json.refresh_token);
    return { access: json.access_token, refresh: json.refresh_token, refreshAt: Date.now() + (json.expires_in ?? 3600) * 1000 - EXPIRY_SKEW_MS };
  }
}

/** Characters of Akeneo's error text kept in an error message. */
const MESSAGE_CHARS = 300;

const pathOf = (href: string) => (/^https?:\/\//i.test(href) ? new URL(href).pathname : (href.split("?")[0] ?? href));

/** Akeneo's `message`, or the body: redacted (known values, then credential shapes) before it is cut. */
const messageOf = (res: HttpResponse, secrets: readonly string[]): string => {
  let text = res.body;
  try {
    const body = JSON.parse(res.body) as { message?: unknown };
    if (typeof body.message === "string") text = body.message;
  } catch {
    // not JSON: the raw body
  }
  return bodyExcerpt(redact(text), MESSAGE_CHARS, secrets);
};
