/**
 * Client of Oro's back-office JSON:API: connection schema, OAuth2 client-credentials token cache,
 * typed JSON:API documents, CRUD, paging, upsert, sync/async batch, and typed errors.
 * How it talks to Oro, and why: docs/oro-client.md. Internals (`BatchRunner`, `runBatch`) are not
 * exported; the token cache belongs to each client's {@link OroTokenSource}.
 */
export { chunkItems } from "./batch";
export type { BatchItem, BatchItemResult, BatchOptions, BatchOutcome, BatchResult } from "./batch";
export { OroClient, createOroClient, resolveUrl } from "./client";
export type { CallOptions, CreateOptions, GetOptions, ListOptions, ListPage, OroCalls, OroResponse, SendOptions, UpsertResult, WriteOptions } from "./calls";
export type { OroClientOptions } from "./client";
export { OroTransport } from "./transport";
export type { OroTransportOptions } from "./transport";
export { OroConnectionSchema, parseOroConnection } from "./connection";
export type { OroConnection, OroConnectionInput } from "./connection";
export {
  DEFAULT_API_PREFIX,
  DEFAULT_ASYNC_BATCH_CHUNK_SIZE,
  DEFAULT_MAX_PAGES,
  DEFAULT_PAGE_SIZE,
  DEFAULT_POLL_INITIAL_MS,
  DEFAULT_POLL_MAX_MS,
  DEFAULT_POLL_TIMEOUT_MS,
  DEFAULT_TOKEN_EXPIRY_SKEW_MS,
  JSON_API_MEDIA_TYPE,
  SYNC_BATCH_MAX_INCLUDED,
  SYNC_BATCH_MAX_ITEMS,
  TOKEN_PATH,
} from "./constants";
export {
  OroAsyncOperationTimeoutError,
  OroAuthError,
  OroConflictError,
  OroForbiddenError,
  OroMediaTypeError,
  OroMethodNotAllowedError,
  OroNotFoundError,
  OroRequestError,
  OroResponseError,
  OroUpsertConflictError,
  OroValidationError,
  formatOroError,
  isAlreadyExistsError,
  oroErrorFor,
} from "./errors";
export type { OroApiErrorFields, OroErrorContext } from "./errors";
export type {
  AsyncOperationAttributes,
  Document,
  ErrorDocument,
  OroErrorObject,
  Relationship,
  ResourceIdentifier,
  ResourceInput,
  ResourceObject,
} from "./jsonapi";
export { NATURAL_KEY_CHUNK, PRODUCTS_BY_SKU, findIdsByNaturalKey } from "./natural-key";
export type { NaturalKeyLookup } from "./natural-key";
export { buildQuery, formatOroDateTime } from "./query";
export type { FilterOperator, FilterValue, Filters, ListQuery } from "./query";
export { OroTokenSource, tokenCacheKey, tokenUrl } from "./token";
export type { IssuedToken, OroConnectionProvider, TokenSourceOptions } from "./token";
