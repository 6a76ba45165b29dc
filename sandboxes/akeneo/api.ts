import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "../common";
import type { AkeneoProduct } from "./catalog";
import { parseSearch, SearchError } from "./search";
import type { AkeneoTokens, Catalog } from "./state";

/** Akeneo's page size cap (pagination.md). */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 10;
export const TOKEN_PATH = "/api/oauth/v1/token";
export const PRODUCTS_PATH = "/api/rest/v1/products-uuid";

/** Credentials the sandbox accepts. */
export interface AkeneoCredentials {
  clientId: string;
  secret: string;
  username: string;
  password: string;
}

interface ApiEnv {
  catalog: Catalog;
  tokens: AkeneoTokens;
  credentials: AkeneoCredentials;
  baseUrl(): string;
}

const error = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { code: status, message });

const parseBody = (raw: string, type: string | undefined): Record<string, unknown> => {
  if (type?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** `POST /api/oauth/v1/token`: password and refresh_token grants, client authenticated with Basic auth (authentication.md). */
const token = async (env: ApiEnv, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const [clientId, secret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
  if (clientId !== env.credentials.clientId || secret !== env.credentials.secret) return error(res, 422, "Parameter \"client_id\" is missing or does not match any client, or secret is invalid");
  const body = parseBody(await readBody(req), req.headers["content-type"]);
  if (body.grant_type === "password") {
    if (body.username !== env.credentials.username || body.password !== env.credentials.password) return error(res, 422, "No user found for the given username and password");
    return sendJson(res, 200, env.tokens.issue(env.credentials.username, "password"));
  }
  if (body.grant_type === "refresh_token") {
    const user = typeof body.refresh_token === "string" ? env.tokens.useRefresh(body.refresh_token) : undefined;
    if (!user) return error(res, 422, "Refresh token is invalid or has expired");
    return sendJson(res, 200, env.tokens.issue(user, "refresh_token"));
  }
  return error(res, 422, 'Parameter "grant_type", "username" or "password" is missing, empty or invalid');
};

const withLinks = (product: AkeneoProduct, base: string) => ({ _links: { self: { href: `${base}${PRODUCTS_PATH}/${product.uuid}` } }, ...product });

/** `GET /api/rest/v1/products-uuid`: search_after (cursor = last uuid) or offset paging, `search` filter. */
const list = (env: ApiEnv, url: URL, res: ServerResponse): void => {
  const limit = Number(url.searchParams.get("limit") ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) return error(res, 422, `"${url.searchParams.get("limit")}" is not a valid limit number.`);
  if (limit > MAX_LIMIT) return error(res, 422, `You cannot request more than ${MAX_LIMIT} items.`);
  let accept;
  try {
    accept = parseSearch(url.searchParams.get("search"));
  } catch (caught) {
    if (caught instanceof SearchError) return error(res, caught.status, caught.message);
    throw caught;
  }
  const base = env.baseUrl();
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams(url.searchParams);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `${base}${PRODUCTS_PATH}?${params.toString()}`;
  };
  const searchAfter = url.searchParams.get("pagination_type") === "search_after";
  let page: { items: AkeneoProduct[]; more: boolean };
  if (searchAfter) {
    page = env.catalog.page(url.searchParams.get("search_after") ?? undefined, limit, accept);
  } else {
    const number = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const all = env.catalog.page(undefined, Number.MAX_SAFE_INTEGER, accept).items;
    page = { items: all.slice((number - 1) * limit, number * limit), more: all.length > number * limit };
  }
  const firstParams = new URLSearchParams(url.searchParams);
  firstParams.delete("search_after");
  firstParams.delete("page");
  const links: Record<string, { href: string }> = { self: { href: query({}) }, first: { href: `${base}${PRODUCTS_PATH}?${firstParams.toString()}` } };
  const last = page.items[page.items.length - 1];
  if (page.more && last) links.next = { href: searchAfter ? query({ search_after: last.uuid }) : query({ page: String(Number(url.searchParams.get("page") ?? 1) + 1) }) };
  sendJson(res, 200, { _links: links, ...(searchAfter ? {} : { current_page: Number(url.searchParams.get("page") ?? 1) }), _embedded: { items: page.items.map((p) => withLinks(p, base)) } });
};

/** The Akeneo REST API of the sandbox (token endpoint + products-uuid). */
export const createAkeneoRouter = (env: ApiEnv) => async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
  if (url.pathname === TOKEN_PATH) {
    if (req.method !== "POST") return error(res, 405, "Method not allowed");
    return token(env, req, res);
  }
  if (url.pathname === PRODUCTS_PATH || url.pathname.startsWith(`${PRODUCTS_PATH}/`)) {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const state = bearer ? env.tokens.check(bearer) : "invalid";
    if (state !== "ok") return error(res, 401, state === "expired" ? "The access token provided has expired." : "The access token provided is invalid.");
    if (req.method !== "GET") return error(res, 405, "Method not allowed");
    if (url.pathname === PRODUCTS_PATH) return list(env, url, res);
    const product = env.catalog.get(decodeURIComponent(url.pathname.slice(PRODUCTS_PATH.length + 1)));
    if (!product) return error(res, 404, "Resource not found.");
    return sendJson(res, 200, withLinks(product, env.baseUrl()));
  }
  return error(res, 404, `No route found for "${req.method} ${url.pathname}"`);
};
