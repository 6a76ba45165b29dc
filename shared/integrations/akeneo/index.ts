/**
 * The Akeneo PIM integration: connection settings, REST client (OAuth2 password grant, token
 * cache and refresh, search_after paging, 429 / Retry-After via shared/http, 4 connections), and
 * typed errors. Local double: sandboxes/akeneo.
 */
export { AkeneoClient, TOKEN_PATH } from "./client";
export type { AkeneoIdentifierAttribute, AkeneoPage, AkeneoProduct } from "./client";
export { AkeneoAuthError, AkeneoRequestError } from "./errors";
export { akeneoIntegration } from "./integration";
export { akeneoFilterDate, productsListPath } from "./search";
export type { ProductListQuery } from "./search";
export { AkeneoSettingsSchema, DEFAULT_AKENEO_MAX_CONNECTIONS } from "./settings";
export type { AkeneoSettings } from "./settings";
