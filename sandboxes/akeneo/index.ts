/**
 * An in-memory double of Akeneo PIM's REST API for tests, benchmarks and the local stack.
 * What it reproduces and why: README.md.
 */
export { ATTRIBUTES_PATH, DEFAULT_LIMIT, MAX_LIMIT, PRODUCTS_PATH, TOKEN_PATH } from "./api";
export type { AkeneoCredentials } from "./api";
export { attribute, defaultAttributes } from "./attributes";
export type { AkeneoAttribute, AttributeType } from "./attributes";
export { akeneoDate, generateCatalog, generateProduct, IDENTIFIER_ATTRIBUTE, identifierOf, stableUuid } from "./catalog";
export type { AkeneoProduct, AkeneoValue, CatalogOptions } from "./catalog";
export { DEFAULT_AKENEO_CREDENTIALS, startAkeneoSandbox } from "./start";
export type { AkeneoAdminClient, AkeneoSandbox, AkeneoSandboxOptions, TouchRequest } from "./start";
export { Catalog } from "./state";
export { TOKEN_BODY_MAX_BYTES } from "./token";
