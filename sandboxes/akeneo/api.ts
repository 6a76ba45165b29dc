import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../common";
import type { AkeneoAttribute } from "./attributes";
import { parseAttributeSearch } from "./attributes";
import { AkeneoHttpError, isPhpInteger, phpQuery, sendError } from "./http";
import { DEFAULT_LIMIT, getProduct, listProducts, MAX_LIMIT, PRODUCTS_PATH } from "./products";
import type { Catalog, AkeneoTokens } from "./state";
import { handleToken } from "./token";
import type { AkeneoCredentials } from "./token";

export { DEFAULT_LIMIT, MAX_LIMIT, PRODUCTS_PATH } from "./products";
export type { AkeneoCredentials } from "./token";
export const TOKEN_PATH = "/api/oauth/v1/token";
export const ATTRIBUTES_PATH = "/api/rest/v1/attributes";

interface ApiEnv {
  catalog: Catalog;
  attributes(): AkeneoAttribute[];
  tokens: AkeneoTokens;
  credentials: AkeneoCredentials;
}

/** A route of the double: its path pattern and the methods Akeneo's router has for it (all, even those not reproduced). */
interface Route {
  match: (path: string) => string[] | undefined;
  methods: string[];
  /** Needs a bearer token (everything under /api/rest/v1 but the root). */
  api: boolean;
  /** Content types Akeneo accepts for a write on this route (ContentTypeNegotiator rules). */
  writeTypes?: string[];
}

const exact = (path: string) => (p: string) => (p === path ? [] : undefined);
const item = (prefix: string) => (p: string) =>
  p.startsWith(`${prefix}/`) && p.length > prefix.length + 1 && !p.slice(prefix.length + 1).includes("/")
    ? [decodeURIComponent(p.slice(prefix.length + 1))]
    : undefined;

/** Akeneo's routes for what the sandbox serves (methods from the API reference: pim-api-docs content/swagger/resources/.../routes). */
const ROUTES = {
  token: { match: exact(TOKEN_PATH), methods: ["POST"], api: false },
  products: {
    match: exact(PRODUCTS_PATH),
    methods: ["GET", "POST", "PATCH"],
    api: true,
    writeTypes: ["application/json", "application/vnd.akeneo.collection+json"],
  },
  product: { match: item(PRODUCTS_PATH), methods: ["GET", "PATCH", "DELETE"], api: true, writeTypes: ["application/json"] },
  attributes: {
    match: exact(ATTRIBUTES_PATH),
    methods: ["GET", "POST", "PATCH"],
    api: true,
    writeTypes: ["application/json", "application/vnd.akeneo.collection+json"],
  },
  attribute: { match: item(ATTRIBUTES_PATH), methods: ["GET", "PATCH"], api: true, writeTypes: ["application/json"] },
} satisfies Record<string, Route>;

/** The absolute base Akeneo builds links with: the request's own host (Symfony's ABSOLUTE_URL). */
const baseOf = (req: IncomingMessage, fallback: string) => (req.headers.host ? `http://${req.headers.host}` : fallback);

/**
 * CheckHeadersRequestSubscriber (pim-community-dev Tool/Bundle/ApiBundle/EventSubscriber): a GET
 * whose `Accept` is present, is not exactly `application/json` and holds no `*\/*` is a 406; a
 * POST / PATCH / PUT without `Content-Type`, or with one the route does not take, is a 415.
 */
const negotiate = (req: IncomingMessage, route: Route): void => {
  const method = req.method ?? "GET";
  if (method === "GET") {
    const accept = req.headers.accept;
    if (accept !== undefined && accept !== "application/json" && !accept.includes("*/*"))
      throw new AkeneoHttpError(406, `"${accept}" in "Accept" header is not valid. Only "application/json" is allowed.`);
    return;
  }
  if (!["POST", "PATCH", "PUT"].includes(method)) return;
  const allowed = route.writeTypes ?? ["application/json"];
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  if (type === "") throw new AkeneoHttpError(415, `The "Content-Type" header is missing. "${allowed.join('" or "')}" has to be specified as value.`);
  if (!allowed.includes(type))
    throw new AkeneoHttpError(
      415,
      `"${type}" in "Content-Type" header is not valid. Only "${allowed.join('" or "')}" ${allowed.length > 1 ? "are" : "is"} allowed.`,
    );
};

/** `GET /api/rest/v1/attributes`: offset paging only, sorted by code, `search` on code / type / is_main_identifier / updated. */
const listAttributes = (env: ApiEnv, url: URL, base: string): unknown => {
  const p = url.searchParams;
  const paginationType = p.get("pagination_type") ?? "page";
  if (paginationType === "search_after") throw new AkeneoHttpError(422, "Pagination type is not supported.");
  if (paginationType !== "page") throw new AkeneoHttpError(422, "Pagination type does not exist.");
  const limit = p.get("limit") ?? String(DEFAULT_LIMIT);
  if (!isPhpInteger(limit) || Number(limit) < 1) throw new AkeneoHttpError(422, `"${limit}" is not a valid limit number.`);
  if (Number(limit) > MAX_LIMIT) throw new AkeneoHttpError(422, `You cannot request more than ${MAX_LIMIT} items.`);
  const page = p.get("page") ?? "1";
  if (!isPhpInteger(page) || Number(page) < 1) throw new AkeneoHttpError(422, `"${page}" is not a valid page number.`);
  const withCount = p.get("with_count") ?? "false";
  if (withCount !== "true" && withCount !== "false")
    throw new AkeneoHttpError(422, `Parameter "with_count" has to be a boolean. Only "true" or "false" allowed, "${withCount}" given.`);
  const accept = parseAttributeSearch(p.get("search"));
  const all = env
    .attributes()
    .filter(accept)
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const n = Number(page);
  const size = Number(limit);
  const items = all.slice((n - 1) * size, n * size);
  // The controller merges its defaults with the request's parameters, in that order.
  const extra = [...p.entries()].filter(([k]) => !["page", "limit", "with_count"].includes(k));
  const href = (pageNumber: string | number) =>
    `${base}${ATTRIBUTES_PATH}?${phpQuery([["page", pageNumber], ["limit", limit], ["with_count", withCount], ...extra])}`;
  const links: Record<string, { href: string }> = { self: { href: href(page) }, first: { href: href(1) } };
  if (n >= 2) links.previous = { href: href(n - 1) };
  if (items.length >= size) links.next = { href: href(n + 1) };
  return {
    _links: links,
    current_page: n,
    ...(withCount === "true" ? { items_count: all.length } : {}),
    _embedded: { items: items.map((a) => ({ _links: { self: { href: `${base}${ATTRIBUTES_PATH}/${a.code}` } }, ...a })) },
  };
};

/** Bearer check of FOS OAuthServerBundle (oauth2-php verifyAccessToken messages; a missing token as responses.md shows it). */
const authenticate = (req: IncomingMessage, tokens: AkeneoTokens): void => {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!bearer) throw new AkeneoHttpError(401, "Authentication is required");
  const state = tokens.check(bearer);
  if (state === "expired") throw new AkeneoHttpError(401, "The access token provided has expired.");
  if (state === "invalid") throw new AkeneoHttpError(401, "The access token provided is invalid.");
};

/**
 * The Akeneo REST API of the sandbox, in Symfony's order: routing (404 `No route found for
 * "GET <url>"`, 405 with `Allow`), the API firewall (401), header checks (406 / 415), then the
 * controller. Writes Akeneo has on these routes answer 501: the sandbox does not reproduce them.
 */
export const createAkeneoRouter =
  (env: ApiEnv, fallbackBase: () => string) =>
  async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? "GET";
    const base = baseOf(req, fallbackBase());
    try {
      const found = Object.entries(ROUTES)
        .map(([name, route]) => [name, route, route.match(url.pathname)] as const)
        .find(([, , params]) => params !== undefined);
      const full = `${base}${url.pathname}`;
      if (!found) throw new AkeneoHttpError(404, `No route found for "${method} ${full}"`);
      const [name, route, params] = found;
      if (!route.methods.includes(method))
        throw new AkeneoHttpError(405, `No route found for "${method} ${full}": Method Not Allowed (Allow: ${route.methods.join(", ")})`);
      if (name === "token") return await handleToken(req, res, env.credentials, env.tokens);
      authenticate(req, env.tokens);
      negotiate(req, route);
      if (method !== "GET") throw new AkeneoHttpError(501, `The Akeneo sandbox does not reproduce ${method} ${url.pathname} (sandboxes/akeneo/README.md)`);
      const codes = new Set(env.attributes().map((a) => a.code));
      if (name === "products") return sendJson(res, 200, listProducts(env.catalog, codes, url, base));
      if (name === "product") return sendJson(res, 200, getProduct(env.catalog, params?.[0] ?? "", base));
      if (name === "attributes") return sendJson(res, 200, listAttributes(env, url, base));
      const code = params?.[0] ?? "";
      const attribute = env.attributes().find((a) => a.code === code);
      if (!attribute) throw new AkeneoHttpError(404, `Attribute "${code}" does not exist.`);
      return sendJson(res, 200, attribute);
    } catch (caught) {
      if (!(caught instanceof AkeneoHttpError)) throw caught;
      const allowed: Route | undefined = caught.status === 405 ? Object.values(ROUTES).find((r) => r.match(url.pathname) !== undefined) : undefined;
      return sendError(res, caught.status, caught.message, caught.extra, allowed ? { Allow: allowed.methods.join(", ") } : {});
    }
  };
