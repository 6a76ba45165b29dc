import type { BatchItem, BatchOptions, BatchResult } from "./batch";
import { runBatch } from "./batch";
import type { CallOptions, CreateOptions, GetOptions, ListOptions, ListPage, OroCalls, OroResponse, SendOptions, UpsertResult, WriteOptions } from "./calls";
import { DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE } from "./constants";
import type { OroConnection } from "./connection";
import { OroResponseError } from "./errors";
import type { Document, ResourceInput, ResourceObject } from "./jsonapi";
import { buildQuery } from "./query";
import { OroTransport } from "./transport";
import type { OroTransportOptions } from "./transport";

export type { CallOptions, CreateOptions, GetOptions, ListOptions, ListPage, OroResponse, SendOptions, UpsertResult, WriteOptions } from "./calls";
export { resolveUrl } from "./transport";

/** Settings of an {@link OroClient}: those of its {@link OroTransport}. */
export type OroClientOptions = OroTransportOptions;

/**
 * A client of Oro's back-office JSON:API. Every request goes through its {@link OroTransport}
 * (transport.ts): token from the client's own cache (one coalesced token request for any number of
 * concurrent callers), JSON:API headers, the HTTP transport (keep-alive pool capped at
 * `maxConnections`, retries with backoff and `Retry-After`), one retry with a fresh token after a
 * 401, and Oro's `errors[]` turned into typed errors (see `errors.ts`).
 *
 * @example
 * // Once per container (module scope or a handler's first invocation): warm invocations reuse the token and the sockets.
 * const oro = createOroClient({ getConnection: (opts) => secrets.get("oro/prod", OroConnectionSchema, opts) });
 * const { outcome } = await oro.upsert({ type: "products", attributes: { sku: "A-1", status: "enabled" } },
 *   ["sku"], { signal });
 */
export class OroClient {
  private readonly transport: OroTransport;
  /** What a batch calls (batch.ts depends on this contract, not on the client). */
  private readonly calls: OroCalls;

  constructor(private readonly options: OroClientOptions) {
    this.transport = new OroTransport(options);
    this.calls = {
      send: <T>(o: SendOptions) => this.transport.send<T>(o),
      get: <A extends object, R extends string>(type: string, id: string, o?: GetOptions) => this.get<A, R>(type, id, o),
      list: <A extends object, R extends string>(type: string, o?: ListOptions) => this.list<A, R>(type, o),
      iterate: <A extends object, R extends string>(type: string, o?: ListOptions) => this.iterate<A, R>(type, o),
    };
  }

  /** GET `{type}/{id}`. Raises {@link OroNotFoundError} when there is no such record. */
  async get<A extends object = Record<string, unknown>, R extends string = string>(
    type: string,
    id: string,
    options: GetOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const query = buildQuery({ ...(options.include ? { include: options.include } : {}), ...(options.fields ? { fields: options.fields } : {}) });
    const res = await this.transport.send<Document<ResourceObject<A, R>>>({
      method: "GET",
      path: `${type}/${encodeURIComponent(id)}`,
      query,
      resourceType: type,
      id,
      ...signalOf(options),
    });
    return requireData(res, `GET ${type}/${id}`);
  }

  /**
   * GET a resource by its path under the API prefix when it has no `{type}/{id}` form, e.g. the
   * signed-in user's `userprofile`. Raises {@link OroNotFoundError} when Oro has no such path.
   */
  async getPath<A extends object = Record<string, unknown>, R extends string = string>(
    path: string,
    options: CallOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const res = await this.transport.send<Document<ResourceObject<A, R>>>({ method: "GET", path, resourceType: path, ...signalOf(options) });
    return requireData(res, `GET ${path}`);
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
  async *iterate<A extends object = Record<string, unknown>, R extends string = string>(
    type: string,
    options: ListOptions = {},
  ): AsyncGenerator<ResourceObject<A, R>> {
    for await (const page of this.pages<A, R>(type, options)) yield* page.data;
  }

  /**
   * POST `{type}`: creates a record (201). Not retried in-call after an ambiguous failure (a retry
   * could create it twice) unless `retrySafe` says the resource carries its own id.
   */
  async create<A extends object = Record<string, unknown>, R extends string = string>(
    resource: ResourceInput<A, R>,
    options: CreateOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const res = await this.transport.send<Document<ResourceObject<A, R>>>({
      method: "POST",
      path: resource.type,
      body: writeBody(resource, options.included),
      ...(options.retrySafe === undefined ? {} : { retrySafe: options.retrySafe }),
      resourceType: resource.type,
      ...(resource.id === undefined ? {} : { id: resource.id }),
      ...signalOf(options),
    });
    return requireData(res, `POST ${resource.type}`);
  }

  /** PATCH `{type}/{id}`: sets the given fields (a to-many relationship sent is REPLACED). Retry-safe. */
  async update<A extends object = Record<string, unknown>, R extends string = string>(
    resource: ResourceInput<A, R> & { id: string },
    options: WriteOptions = {},
  ): Promise<Document<ResourceObject<A, R>>> {
    const res = await this.transport.send<Document<ResourceObject<A, R>>>({
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
      await this.transport.send({ method: "DELETE", path: `${type}/${encodeURIComponent(id)}`, resourceType: type, id, ...signalOf(options) });
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
    const res = await this.transport.send<Document<ResourceObject<A, R>>>({
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
    return runBatch(this.calls, type, items, options);
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
    const res = await this.transport.send<Document<Array<ResourceObject<A, R>>>>({
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

/** Creates an {@link OroClient}. Build one per container and reuse it: the client owns its token cache. */
export const createOroClient = (options: OroClientOptions): OroClient => new OroClient(options);

const signalOf = (options: CallOptions): { signal?: AbortSignal } => (options.signal ? { signal: options.signal } : {});

const writeBody = (resource: ResourceInput, included: ResourceInput[] | undefined): Document<ResourceInput> =>
  (included && included.length > 0 ? { data: resource, included } : { data: resource }) as Document<ResourceInput>;

const requireData = <D>(res: OroResponse<Document<D>>, what: string): Document<D> => {
  if (!res.body || res.body.data === undefined) throw new OroResponseError(`${what} answered HTTP ${res.status} without a JSON:API data member.`);
  return res.body;
};
