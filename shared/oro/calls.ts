import type { Document, ResourceInput, ResourceObject } from "./jsonapi";
import type { ListQuery } from "./query";

/**
 * The option and result types of Oro calls, and {@link OroCalls}: what the batch writer needs of a
 * client. They live apart from client.ts so batch.ts depends on this contract, not on the client
 * that runs batches (no client <-> batch cycle, and the client's funnel stays private).
 */

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the call (and its retries), e.g. tied to the Lambda deadline. Default none. */
  signal?: AbortSignal;
}

/** A raw call through the funnel ({@link OroTransport}: token, headers, 401 retry, error mapping). */
export interface SendOptions extends CallOptions {
  method: string;
  /** Path under the API prefix (`products/1`) or an absolute URL on the same Oro (a `links.next`). */
  path: string;
  /** Query string without `?`. Default none. */
  query?: string;
  /** JSON:API document to send. Default none. */
  body?: unknown;
  /** Extra headers, e.g. `X-Mode` or `X-Include`. Default none. */
  headers?: Record<string, string>;
  /** Repeating the request is harmless (upsert, PATCH of one record). Default `false` for POST/PATCH. */
  retrySafe?: boolean;
  /** For error messages: the JSON:API type and id concerned. */
  resourceType?: string;
  id?: string;
  /** Set on upserts, so a 409 becomes an {@link OroUpsertConflictError}. */
  upsertKey?: true | readonly string[];
}

/** A successful response, body parsed when there is one. */
export interface OroResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T | undefined;
}

/** Read options of `get`. */
export interface GetOptions extends CallOptions {
  include?: string | readonly string[];
  fields?: Record<string, string | readonly string[]>;
}

/** List options: the query, plus totals and the paging bound. */
export interface ListOptions extends ListQuery, CallOptions {
  /** Send `X-Include: totalCount` and report `X-Include-Total-Count`. Default `false`. */
  totalCount?: boolean;
  /** Pages an iteration follows at most. Default {@link DEFAULT_MAX_PAGES} (10,000). */
  maxPages?: number;
}

/** One page of a list. */
export interface ListPage<A extends object, R extends string> {
  data: Array<ResourceObject<A, R>>;
  included: ResourceObject[];
  links: Document["links"];
  /** From `X-Include-Total-Count`, when asked with `totalCount: true`. */
  totalCount?: number;
}

/** Write options of `create`, `update` and `upsert`. */
export interface WriteOptions extends CallOptions {
  /** Related resources to create/update in the same request (temporary ids for new ones). Default none. */
  included?: ResourceInput[];
}

/** Options of `create`. */
export interface CreateOptions extends WriteOptions {
  /**
   * The resource carries an id chosen by the caller, so a repeated POST cannot create a second
   * record (Oro answers 409 "already exists" instead): the call may be retried in-call. Default `false`.
   */
  retrySafe?: boolean;
}

/** Outcome of an upsert: Oro answers 201 when it created the record and 200 when it updated one. */
export interface UpsertResult<A extends object, R extends string> {
  outcome: "created" | "updated";
  data: ResourceObject<A, R>;
  included: ResourceObject[];
}

/** The calls a batch makes: the funnel for its PATCHes and three reads. {@link OroClient} provides them. */
export interface OroCalls {
  send<T = unknown>(options: SendOptions): Promise<OroResponse<T>>;
  get<A extends object = Record<string, unknown>, R extends string = string>(
    type: string,
    id: string,
    options?: GetOptions,
  ): Promise<Document<ResourceObject<A, R>>>;
  list<A extends object = Record<string, unknown>, R extends string = string>(type: string, options?: ListOptions): Promise<ListPage<A, R>>;
  iterate<A extends object = Record<string, unknown>, R extends string = string>(type: string, options?: ListOptions): AsyncGenerator<ResourceObject<A, R>>;
}
