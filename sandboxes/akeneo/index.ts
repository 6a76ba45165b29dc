/**
 * An in-memory double of Akeneo PIM's REST API for tests, benchmarks and the local stack.
 * What it reproduces and why: README.md.
 */
export { DEFAULT_LIMIT, MAX_LIMIT, PRODUCTS_PATH, TOKEN_PATH } from "./api";
export type { AkeneoCredentials } from "./api";
export { akeneoDate, generateCatalog, generateProduct, stableUuid } from "./catalog";
export type { AkeneoProduct, AkeneoValue, CatalogOptions } from "./catalog";
export { DEFAULT_AKENEO_CREDENTIALS, startAkeneoSandbox } from "./start";
export type { AkeneoAdminClient, AkeneoSandbox, AkeneoSandboxOptions, TouchRequest } from "./start";
export { Catalog } from "./state";
