import { request, safeUrl } from "../http";
import type { HttpResponse, RetryOptions } from "../http";
import { runBatch } from "./batch";
import type { BatchItem, BatchOptions, BatchResult } from "./batch";
import { DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE, JSON_API_MEDIA_TYPE } from "./constants";
import type { OroConnection } from "./connection";
import { OroResponseError, oroErrorFor } from "./errors";
import type { OroErrorContext } from "./errors";
import type { Document, OroErrorObject, ResourceInput, ResourceObject } from "./jsonapi";
import { buildQuery } from "./query";
import type { ListQuery } from "./query";
import { OroTokenSource } from "./token";
import type { OroConnectionProvider } from "./token";

/** Settings of an {@link OroClient}. */
export interface OroClientOptions {
  /** Gives the connection (from Secrets Manager); called with `forceRefresh` after `invalid_client`. Required. */
  getConnection: OroConnectionProvider;
  /** Max sockets to Oro when the connection sets none. Default the transport's `DEFAULT_MAX_CONNECTIONS` (8). */
  maxConnections?: number;
  /** In-call retry policy for transient failures. Default the transport's (4 attempts, 200 ms base, 5 s cap). */
  retry?: RetryOptions;
  /** Budget of one HTTP attempt. Default the transport's `DEFAULT_ATTEMPT_TIMEOUT_MS` (60 s). */
  timeoutMs?: number;
  /** Refresh tokens this long before they expire. Default `DEFAULT_TOKEN_EXPIRY_SKEW_MS` (30 s). */
  tokenExpirySkewMs?: number;
}

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the call (and its retries), e.g. tied to the Lambda deadline. Default none. */
  signal?: AbortSignal;
}

/** A raw call through the client's funnel (token, headers, 401 retry, error mapping). */
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

/** Outcome of an upsert: Oro answers 201 when it created the record and 200 when it updated one. */
export interface UpsertResult<A extends object, R extends string> {
  outcome: "created" | "updated";
  data: ResourceObject<A, R>;
  included: ResourceObject[];
}

/**
 * A client of Oro's back-office JSON:API. Every request goes through one funnel ({@link send}):
 * token from the cache (one coalesced token request for any number of concurrent callers), JSON:API
 * headers, the shared HTTP transport (keep-alive pool capped at `maxConnections`, retries with
 * backoff and `Retry-After`), one retry with a fresh token after a 401, and Oro's `errors[]` turned
 * into typed errors (see `errors.ts`).
 *
 * @example
 * // Module scope: warm invocations reuse the token and the sockets.
 * const oro = createOroClient({ getConnection: (opts) => secretStore().get("oro/prod", OroConnectionSchema, opts) });
 * const { outcome } = await oro.upsert({ type: "products", attributes: { sku: "A-1", status: "enabled" } },
 *   ["sku"], { signal });
 */
export class OroClient {
  private readonly tokens: OroTokenSource;

  constructor(private readonly options: OroClientOptions) {
    this.tokens = new OroTokenSource(options.getConnection, {
      ...(options.tokenExpirySkewMs === undefined ? {} : { expirySkewMs: options.tokenExpirySkewMs }),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }

  /** GET `{type}/{id}`. Raises {@link OroNotFoundError} when there is no such record. */
  async get<A extends object = Record<string, unknown>, R extends string = string>(
    type: string,
    id: string,
    options: GetOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const query = buildQuery({ ...(options.include ? { include: options.include } : {}), ...(options.fields ? { fields: options.fields } : {}) });
    const res = await this.send<Document<ResourceObject<A, R>>>({ method: "GET", path: `${type}/${encodeURIComponent(id)}`, query, resourceType: type, id, ...signalOf(options) });
    return requireData(res, `GET ${type}/${id}`);
  }

  /** GET one page of `{type}` with filters, sort, sparse fields, include and paging. */
  async list<A extends object = Record<string, unknown>, R extends string = string>(type: string, options: ListOptions = {}): Promise<ListPage<A, R>> {
    return this.fetchPage<A, R>(type, { path: type, query: buildQuery(options) }, options);
  }

  /**
   * Every page of `{type}`, following `links.next` (rebased on the connection's origin; see
   * docs/oro-client.md "Paging links"). Without HATEOAS links it asks for the next page number
   * while pages come back full. Stops after `maxPages`.
   */
  async *pages<A extends object = Record<string, unknown>, R extends string = string>(type: string, options: ListOptions = {}): AsyncGenerator<ListPage<A, R>> {
    const size = options.page?.size ?? DEFAULT_PAGE_SIZE;
    let number = options.page?.number ?? 1;
    const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    let next: { path: string; query?: string } | undefined = { path: type, query: buildQuery({ ...options, page: { size, number } }) };
    for (let fetched = 0; next !== undefined && fetched < maxPages; fetched += 1) {
      const page: ListPage<A, R> = await this.fetchPage<A, R>(type, next, { ...options, totalCount: fetched === 0 && options.totalCount === true });
      yield page;
      if (page.links?.next) {
        next = { path: page.links.next };
      } else if (page.links === undefined && page.data.length >= size) {
        number += 1;
        next = { path: type, query: buildQuery({ ...options, page: { size, number } }) };
      } else {
        next = undefined;
      }
    }
  }

  /** Every record of `{type}`, page after page (see {@link pages}). */
  async *iterate<A extends object = Record<string, unknown>, R extends string = string>(type: string, options: ListOptions = {}): AsyncGenerator<ResourceObject<A, R>> {
    for await (const page of this.pages<A, R>(type, options)) yield* page.data;
  }

  /** POST `{type}`: creates a record (201). Not retried in-call after an ambiguous failure: a retry could create it twice. */
  async create<A extends object = Record<string, unknown>, R extends string = string>(
    resource: ResourceInput<A, R>,
    options: WriteOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const res = await this.send<Document<ResourceObject<A, R>>>({
      method: "POST",
      path: resource.type,
      body: writeBody(resource, options.included),
      resourceType: resource.type,
      ...signalOf(options),
    });
    return requireData(res, `POST ${resource.type}`);
  }

  /** PATCH `{type}/{id}`: sets the given fields (a to-many relationship sent is REPLACED). Retry-safe. */
  async update<A extends object = Record<string, unknown>, R extends string = string>(
    resource: ResourceInput<A, R> & { id: string },
    options: WriteOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const res = await this.send<Document<ResourceObject<A, R>>>({
      method: "PATCH",
      path: `${resource.type}/${encodeURIComponent(resource.id)}`,
      body: writeBody(resource, options.included),
      // Setting the same values twice leaves the same record: safe to repeat after a timeout.
      retrySafe: true,
      resourceType: resource.type,
      id: resource.id,
      ...signalOf(options),
    });
    return requireData(res, `PATCH ${resource.type}/${resource.id}`);
  }

  /** DELETE `{type}/{id}` (204). With `ignoreNotFound`, a record already gone counts as deleted. */
  async delete(type: string, id: string, options: CallOptions & { ignoreNotFound?: boolean } = {}): Promise<{ deleted: boolean }> {
    try {
      await this.send({ method: "DELETE", path: `${type}/${encodeURIComponent(id)}`, resourceType: type, id, ...signalOf(options) });
      return { deleted: true };
    } catch (error) {
      if (options.ignoreNotFound && (error as { status?: unknown }).status === 404) return { deleted: false };
      throw error;
    }
  }

  /**
   * Create-or-update with `meta.upsert` (Oro 5.1+): `key` is `true` (match by id) or the fields to
   * match on (e.g. `["sku"]`, allowed only where Oro's api.yml enables that key). 201 = created,
   * 200 = updated; 409 (several matches) raises {@link OroUpsertConflictError}. Retry-safe.
   */
  async upsert<A extends object = Record<string, unknown>, R extends string = string>(
    resource: ResourceInput<A, R>,
    key: true | readonly string[],
    options: WriteOptions = {},
  ): Promise<UpsertResult<A, R>> {
    const res = await this.send<Document<ResourceObject<A, R>>>({
      method: "POST",
      path: resource.type,
      body: writeBody({ ...resource, meta: { ...resource.meta, upsert: key } }, options.included),
      retrySafe: true,
      resourceType: resource.type,
      ...(resource.id === undefined ? {} : { id: resource.id }),
      upsertKey: key,
      ...signalOf(options),
    });
    const doc = requireData(res, `POST ${resource.type} (upsert)`);
    return { outcome: res.status === 201 ? "created" : "updated", data: doc.data, included: doc.included ?? [] };
  }

  /**
   * Batch write of many records of one type: `sync` (`X-Mode: sync`, chunks of at most 100 items and
   * 50 included, atomic per chunk; the valid rest of a failed chunk is sent again) or `async`
   * (`PATCH {type}` -> 202, poll `asyncoperations/{id}`, read its errors). Default `sync` for at
   * most 100 items. Each input item gets created / updated / upserted / failed with the reason,
   * Oro's `/data/{i}` pointers mapped back to input indexes across chunks. Item failures do not
   * throw; a failure of the whole call (auth, 403, transient after retries) does.
   *
   * @example
   * const result = await oro.batch("products", rows.map((r) => ({ data: toProduct(r) })), { upsert: ["sku"], signal });
   * for (const item of result.items) if (item.outcome === "failed") report(rows[item.index], item.reason);
   */
  batch(type: string, items: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchResult> {
    return runBatch(this, type, items, options);
  }

  /**
   * The funnel every call goes through. Returns 2xx responses; raises typed errors for 4xx (see
   * `oroErrorFor`), {@link HttpError} for what stayed transient after the transport's retries.
   */
  async send<T = unknown>(options: SendOptions): Promise<OroResponse<T>> {
    let issued = await this.tokens.get(options.signal);
    for (let attempt = 1; ; attempt += 1) {
      const { connection, token } = issued;
      const url = resolveUrl(connection, options.path, options.query);
      const hasBody = options.body !== undefined;
      const res = await request({
        url,
        method: options.method,
        headers: {
          accept: JSON_API_MEDIA_TYPE,
          ...(hasBody ? { "content-type": JSON_API_MEDIA_TYPE } : {}),
          authorization: `Bearer ${token}`,
          ...options.headers,
        },
        ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.retrySafe === undefined ? {} : { retrySafe: options.retrySafe }),
        ...(this.options.retry ? { retry: this.options.retry } : {}),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
        maxConnections: connection.maxConnections ?? this.options.maxConnections,
        secrets: [token, connection.clientSecret],
      });
      if (res.status === 401 && attempt === 1) {
        // The token expired early or was revoked: drop it (only if no one replaced it yet) and retry once.
        this.tokens.invalidate(connection, token);
        issued = await this.tokens.get(options.signal);
        continue;
      }
      if (res.status >= 400) throw oroErrorFor(errorContext(options, url, res), options.upsertKey);
      return { status: res.status, headers: res.headers, body: res.body === "" ? undefined : parseJson<T>(res, options.method, url) };
    }
  }

  /** The connection currently in use (for diagnostics and building absolute links). */
  connection(): Promise<OroConnection> {
    return this.options.getConnection();
  }

  private async fetchPage<A extends object, R extends string>(
    type: string,
    target: { path: string; query?: string },
    options: ListOptions,
  ): Promise<ListPage<A, R>> {
    const res = await this.send<Document<Array<ResourceObject<A, R>>>>({
      method: "GET",
      path: target.path,
      ...(target.query === undefined ? {} : { query: target.query }),
      ...(options.totalCount ? { headers: { "x-include": "totalCount" } } : {}),
      resourceType: type,
      ...signalOf(options),
    });
    const doc = res.body;
    if (!doc || !Array.isArray(doc.data)) throw new OroResponseError(`GET ${type} answered HTTP ${res.status} without a data array: not a JSON:API list.`);
    const total = res.headers["x-include-total-count"];
    return {
      data: doc.data,
      included: doc.included ?? [],
      links: doc.links,
      ...(total === undefined ? {} : { totalCount: Number(total) }),
    };
  }
}

/** Creates an {@link OroClient}. Build it once at module scope: the token cache and sockets are shared anyway. */
export const createOroClient = (options: OroClientOptions): OroClient => new OroClient(options);

const signalOf = (options: CallOptions): { signal?: AbortSignal } => (options.signal ? { signal: options.signal } : {});

const writeBody = (resource: ResourceInput, included: ResourceInput[] | undefined): Document<ResourceInput> =>
  (included && included.length > 0 ? { data: resource, included } : { data: resource }) as Document<ResourceInput>;

/**
 * `{baseUrl}{apiPrefix}/{path}?{query}`, or for an absolute link (`links.next`) its path and query
 * on the connection's own origin: Oro behind a TLS-terminating proxy may print `http://` links,
 * and the bearer token must never follow a link to another origin or over plain HTTP.
 */
export const resolveUrl = (connection: OroConnection, path: string, query?: string): string => {
  const base = connection.baseUrl.replace(/\/+$/, "");
  if (/^https?:\/\//i.test(path)) {
    const link = new URL(path);
    return `${new URL(base).origin}${link.pathname}${link.search}`;
  }
  const prefix = `/${connection.apiPrefix.replace(/^\/+|\/+$/g, "")}`;
  return `${base}${prefix === "/" ? "" : prefix}/${path.replace(/^\/+/, "")}${query ? `?${query}` : ""}`;
};

const parseJson = <T>(res: HttpResponse, method: string, url: string): T => {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new OroResponseError(`${method} ${safeUrl(url)} answered HTTP ${res.status} with a body that is not JSON: is baseUrl an Oro application?`);
  }
};

const requireData = <D>(res: OroResponse<Document<D>>, what: string): Document<D> => {
  if (!res.body || res.body.data === undefined) throw new OroResponseError(`${what} answered HTTP ${res.status} without a JSON:API data member.`);
  return res.body;
};

const errorContext = (options: SendOptions, url: string, res: HttpResponse): OroErrorContext => {
  let errors: OroErrorObject[] = [];
  try {
    const parsed = JSON.parse(res.body) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) errors = parsed.errors as OroErrorObject[];
  } catch {
    // 401/405 come with an empty body; a proxy may send HTML. The status alone still types the error.
  }
  return {
    status: res.status,
    method: options.method,
    path: new URL(url).pathname,
    ...(options.resourceType === undefined ? {} : { resourceType: options.resourceType }),
    ...(options.id === undefined ? {} : { id: options.id }),
    errors,
    ...(res.headers.allow === undefined ? {} : { allow: res.headers.allow }),
  };
};
