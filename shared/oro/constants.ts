/** Defaults and fixed facts of the Oro client. Sources: docs/reference/oro-api.md (section in brackets). */

/** Back-office API prefix on OroCommerce (`web_backend_prefix` + `/api`) [1.1]. */
export const DEFAULT_API_PREFIX = "/admin/api";
/** OAuth2 token endpoint, never under the API prefix [1.2]. */
export const TOKEN_PATH = "/oauth2-token";
/** The only media type Oro's JSON:API accepts, without parameters [2]. */
export const JSON_API_MEDIA_TYPE = "application/vnd.api+json";

/** A token is refreshed this long before `expires_in` runs out, so it never expires in flight. */
export const DEFAULT_TOKEN_EXPIRY_SKEW_MS = 30_000;

/** Oro's `sync_processing_limit`: primary items per `X-Mode: sync` request [5.2]. */
export const SYNC_BATCH_MAX_ITEMS = 100;
/** Oro's `sync_processing_included_data_limit`: included items per sync request [5.2]. */
export const SYNC_BATCH_MAX_INCLUDED = 50;
/**
 * Items per asynchronous batch request. Oro splits the request in chunks of 100 itself [5.1];
 * ours only bounds the body size of one request.
 */
export const DEFAULT_ASYNC_BATCH_CHUNK_SIZE = 1_000;
/** First wait between two polls of an async operation; it grows 1.5x per poll. */
export const DEFAULT_POLL_INITIAL_MS = 250;
/** Longest wait between two polls. */
export const DEFAULT_POLL_MAX_MS = 5_000;
/** Give up waiting for an async operation after this long (the operation itself goes on in Oro). */
export const DEFAULT_POLL_TIMEOUT_MS = 10 * 60_000;
/** Page size used by the paging iterator when the caller sets none (Oro's own default is 10) [3]. */
export const DEFAULT_PAGE_SIZE = 100;
/** Bound on pages one iteration follows, so a server that always answers `next` cannot loop us forever. */
export const DEFAULT_MAX_PAGES = 10_000;
