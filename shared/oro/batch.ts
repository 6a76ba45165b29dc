import { setTimeout as sleepTimer } from "node:timers/promises";
import { HttpDeadlineError } from "../http";
import { ConnectorError } from "../errors";
import {
  DEFAULT_ASYNC_BATCH_CHUNK_SIZE,
  DEFAULT_POLL_INITIAL_MS,
  DEFAULT_POLL_MAX_MS,
  DEFAULT_POLL_TIMEOUT_MS,
  SYNC_BATCH_MAX_INCLUDED,
  SYNC_BATCH_MAX_ITEMS,
} from "./constants";
import { OroAsyncOperationTimeoutError, OroConflictError, OroNotFoundError, OroResponseError, OroValidationError, formatOroError } from "./errors";
import type { AsyncOperationAttributes, Document, OroErrorObject, ResourceInput, ResourceObject } from "./jsonapi";
import type { CallOptions, OroCalls } from "./calls";

/** One record of a batch, with the related records it brings along in `included`. */
export interface BatchItem<A extends object = Record<string, unknown>, R extends string = string> {
  data: ResourceInput<A, R>;
  /** Related resources of this item only (they travel in the same chunk). Default none. */
  included?: ResourceInput[];
}

/** How a batch is sent. */
export interface BatchOptions extends CallOptions {
  /**
   * `sync` (`X-Mode: sync`: ordered, atomic per chunk, chunks of at most 100 items / 50 included) or
   * `async` (202 + polled `asyncoperations`). Default `sync` for at most 100 items, else `async`.
   */
  mode?: "sync" | "async";
  /** Sets `meta.upsert` to this key on every item that has no `meta` of its own. Default none (items are created). */
  upsert?: true | readonly string[];
  /**
   * Look up which upsert keys already exist before each chunk (one GET, single-field or id keys
   * only), so each item can say created or updated; Oro's batch answer does not. Default `true`.
   */
  resolveUpsertOutcomes?: boolean;
  /** Items per async request. Default {@link DEFAULT_ASYNC_BATCH_CHUNK_SIZE} (1,000). */
  asyncChunkSize?: number;
  /** First poll delay. Default {@link DEFAULT_POLL_INITIAL_MS} (250 ms), growing 1.5x per poll. */
  pollInitialMs?: number;
  /** Longest poll delay. Default {@link DEFAULT_POLL_MAX_MS} (5 s). */
  pollMaxMs?: number;
  /** Stop waiting for an operation after this long. Default {@link DEFAULT_POLL_TIMEOUT_MS} (10 min). */
  pollTimeoutMs?: number;
}

/**
 * What happened to one input item. `upserted` = written by an upsert whose outcome could not be
 * looked up (multi-field key, filter not enabled): Oro does not say per item.
 */
export type BatchOutcome = "created" | "updated" | "upserted" | "failed";

/** Result of one input item, at its input index. */
export interface BatchItemResult {
  index: number;
  outcome: BatchOutcome;
  /** The record's id: from Oro's answer in sync mode, the input id otherwise (when given). */
  id?: string;
  /** Oro's errors for this item, pointers rebased on the input item (`/data/attributes/sku`). */
  errors?: OroErrorObject[];
  /** Actionable one-line reason, when failed. */
  reason?: string;
}

/** Result of a whole batch: one entry per input item, in input order. */
export interface BatchResult {
  mode: "sync" | "async";
  items: BatchItemResult[];
  created: number;
  updated: number;
  upserted: number;
  failed: number;
  /** Ids of the async operations started (async mode, or a sync chunk Oro moved to async). */
  operations: string[];
  /** Errors of a successful async operation that name no item (kept, not pinned on anyone). */
  operationErrors: OroErrorObject[];
}

interface Chunk {
  /** Input indexes of the items, in request order. */
  indexes: number[];
}

/** Runs a batch write through `client`'s calls; see `OroClient.batch`. */
export const runBatch = async (client: OroCalls, type: string, input: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchResult> => {
  const items = input.map((item) =>
    options.upsert !== undefined && item.data.meta === undefined ? { ...item, data: { ...item.data, meta: { upsert: options.upsert } } } : item,
  );
  const totalIncluded = items.reduce((n, item) => n + (item.included?.length ?? 0), 0);
  const mode = options.mode ?? (items.length <= SYNC_BATCH_MAX_ITEMS && totalIncluded <= SYNC_BATCH_MAX_INCLUDED ? "sync" : "async");
  const results: BatchItemResult[] = items.map((_, index) => ({ index, outcome: "failed" }));
  const runner = new BatchRunner(client, type, items, results, options);
  if (mode === "sync") {
    for (const chunk of chunkItems(items, SYNC_BATCH_MAX_ITEMS, SYNC_BATCH_MAX_INCLUDED)) await runner.sync(chunk);
  } else {
    const size = options.asyncChunkSize ?? DEFAULT_ASYNC_BATCH_CHUNK_SIZE;
    // Submit every chunk first so Oro's consumers work on them in parallel, then wait for all.
    const started: Array<{ chunk: Chunk; operationId: string; existing: ExistingKeys }> = [];
    for (const chunk of chunkItems(items, size, Number.POSITIVE_INFINITY)) {
      const existing = await runner.lookupExisting(chunk);
      started.push({ chunk, operationId: await runner.submitAsync(chunk), existing });
    }
    await Promise.all(started.map(({ chunk, operationId, existing }) => runner.finishAsync(chunk, operationId, existing)));
  }
  const count = (outcome: BatchOutcome): number => results.filter((r) => r.outcome === outcome).length;
  return {
    mode,
    items: results,
    created: count("created"),
    updated: count("updated"),
    upserted: count("upserted"),
    failed: count("failed"),
    operations: runner.operations,
    operationErrors: runner.operationErrors,
  };
};

/** Splits items in request order so no chunk exceeds `maxItems` items or `maxIncluded` included records. */
export const chunkItems = (items: readonly BatchItem[], maxItems: number, maxIncluded: number): Chunk[] => {
  const chunks: Chunk[] = [];
  let current: Chunk = { indexes: [] };
  let included = 0;
  items.forEach((item, index) => {
    const n = item.included?.length ?? 0;
    if (current.indexes.length > 0 && (current.indexes.length >= maxItems || included + n > maxIncluded)) {
      chunks.push(current);
      current = { indexes: [] };
      included = 0;
    }
    current.indexes.push(index);
    included += n;
  });
  if (current.indexes.length > 0) chunks.push(current);
  return chunks;
};

/** Keys that existed before a chunk was written, or `undefined` when they could not be looked up. */
type ExistingKeys = Set<string> | undefined;

class BatchRunner {
  readonly operations: string[] = [];
  readonly operationErrors: OroErrorObject[] = [];
  /** Upsert keys written earlier in this batch: a second item with the same key updates. */
  private readonly written = new Set<string>();

  constructor(
    private readonly client: OroCalls,
    private readonly type: string,
    private readonly items: readonly BatchItem[],
    private readonly results: BatchItemResult[],
    private readonly options: BatchOptions,
  ) {}

  /** One sync chunk; after a validation failure (the chunk rolled back) the valid rest is sent again. */
  async sync(chunk: Chunk): Promise<void> {
    let pending = chunk.indexes;
    // Each round removes at least one failed item, so this ends within chunk-size rounds.
    for (let round = 0; pending.length > 0 && round <= chunk.indexes.length; round += 1) {
      const part: Chunk = { indexes: pending };
      const existing = await this.lookupExisting(part);
      let res;
      try {
        res = await this.client.send<Document<ResourceObject[]>>({
          method: "PATCH",
          path: this.type,
          headers: { "x-mode": "sync" },
          body: this.body(part),
          retrySafe: this.retrySafe(part),
          resourceType: this.type,
          ...this.signal(),
        });
      } catch (error) {
        // Item errors come as 400, or 409 when one of them is a conflict (Oro's
        // ErrorResponseStatusCodeTrait: a 409 among 4xx wins), or 404 for an update of a missing id.
        const itemErrors = error instanceof OroValidationError || error instanceof OroConflictError || error instanceof OroNotFoundError;
        if (!itemErrors) throw error;
        const { failed } = this.assignErrors(part, error.errors);
        if (failed.size === 0 && !(error instanceof OroValidationError)) throw error;
        if (failed.size === 0) {
          // No error names an item (e.g. a limit): the whole chunk failed for the same reason.
          for (const index of pending) this.fail(index, error.errors, error.message);
          return;
        }
        pending = pending.filter((index) => !failed.has(index));
        continue;
      }
      if (res.status === 202) {
        // Over Oro's sync wait (25 s) the request goes on asynchronously; its operation is reported like an async one.
        const operationId = operationIdOf(res.body, res.headers);
        this.operations.push(operationId);
        await this.finishAsync(part, operationId, existing);
        return;
      }
      const data = Array.isArray(res.body?.data) ? res.body.data : [];
      part.indexes.forEach((index, position) => this.succeed(index, existing, data[position]?.id));
      return;
    }
  }

  async submitAsync(chunk: Chunk): Promise<string> {
    const res = await this.client.send<Document<ResourceObject>>({
      method: "PATCH",
      path: this.type,
      body: this.body(chunk),
      retrySafe: this.retrySafe(chunk),
      resourceType: this.type,
      ...this.signal(),
    });
    const id = operationIdOf(res.body, res.headers);
    this.operations.push(id);
    return id;
  }

  async finishAsync(chunk: Chunk, operationId: string, existing: ExistingKeys): Promise<void> {
    const status = await this.waitFor(operationId);
    const errors: OroErrorObject[] = [];
    for await (const record of this.client.iterate<OroErrorObject>(`asyncoperations/${operationId}/errors`, { page: { size: 100 }, ...this.signal() })) {
      if (record.attributes) errors.push(record.attributes);
    }
    // Errors that name no item of this chunk (no pointer, or one past its records) are kept, never dropped.
    const { failed, unassigned } = this.assignErrors(chunk, errors);
    if (status === "success") this.operationErrors.push(...unassigned);
    for (const index of chunk.indexes) {
      if (failed.has(index)) continue;
      // A run with item errors still ends "success" (docs/reference/oro-api.md §5.1): only "failed"/"cancelled" sink the rest.
      if (status === "success") this.succeed(index, existing, this.items[index]?.data.id);
      else
        this.fail(
          index,
          unassigned,
          `${this.type}: async operation ${operationId} ended "${status}"${unassigned.length ? `: ${unassigned.map(formatOroError).join("; ")}` : ""}`,
        );
    }
  }

  /**
   * Upsert keys of the chunk that already exist in Oro (one GET). Only for id keys and single-field
   * keys whose values contain no comma (a comma would split the OR list).
   */
  async lookupExisting(chunk: Chunk): Promise<ExistingKeys> {
    if (this.options.resolveUpsertOutcomes === false) return undefined;
    const keys = chunk.indexes.map((index) => upsertKeyOf(this.items[index]?.data)).filter((k) => k !== undefined);
    if (keys.length === 0) return new Set();
    const field = keys[0]?.field;
    if (field === undefined || keys.some((k) => k.field !== field || k.value.includes(","))) return undefined;
    try {
      const page = await this.client.list<Record<string, unknown>>(this.type, {
        filter: { [field]: keys.map((k) => k.value) },
        fields: { [this.type]: field === "id" ? ["id"] : [field] },
        page: { size: keys.length },
        ...this.signal(),
      });
      return new Set(page.data.map((record) => normalizeKey(field === "id" ? record.id : record.attributes?.[field])));
    } catch (error) {
      // A deadline must still stop the batch; any other failure only costs the outcome detail.
      if (error instanceof HttpDeadlineError) throw error;
      if (error instanceof ConnectorError) return undefined;
      throw error;
    }
  }

  private async waitFor(operationId: string): Promise<AsyncOperationAttributes["status"]> {
    const started = Date.now();
    const timeout = this.options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    let delay = this.options.pollInitialMs ?? DEFAULT_POLL_INITIAL_MS;
    const maxDelay = this.options.pollMaxMs ?? DEFAULT_POLL_MAX_MS;
    for (;;) {
      const doc = await this.client.get<AsyncOperationAttributes>("asyncoperations", operationId, this.signal());
      const status = doc.data.attributes?.status;
      if (status === "success" || status === "failed" || status === "cancelled") return status;
      const waited = Date.now() - started;
      if (waited + delay > timeout) throw new OroAsyncOperationTimeoutError(operationId, waited);
      try {
        await sleepTimer(delay, undefined, this.options.signal ? { signal: this.options.signal } : undefined);
      } catch {
        throw new HttpDeadlineError({ method: "GET", url: `asyncoperations/${operationId}`, attempts: 0 });
      }
      delay = Math.min(maxDelay, Math.round(delay * 1.5));
    }
  }

  /**
   * Marks the items named by `/data/{i}` or `/included/{j}` pointers failed; returns their input
   * indexes, and the errors that name no item of the chunk.
   */
  private assignErrors(chunk: Chunk, errors: readonly OroErrorObject[]): { failed: Set<number>; unassigned: OroErrorObject[] } {
    const owners = this.includedOwners(chunk);
    const byIndex = new Map<number, OroErrorObject[]>();
    const unassigned: OroErrorObject[] = [];
    for (const error of errors) {
      const index = ownerOf(chunk, owners, error);
      if (index === undefined) unassigned.push(error);
      else byIndex.set(index, [...(byIndex.get(index) ?? []), rebase(error)]);
    }
    for (const [index, itemErrors] of byIndex) {
      this.fail(index, itemErrors, `${this.type}: ${itemErrors.map(formatOroError).join("; ")} (item ${index} of the batch)`);
    }
    return { failed: new Set(byIndex.keys()), unassigned };
  }

  private succeed(index: number, existing: ExistingKeys, id: string | undefined): void {
    const data = this.items[index]?.data;
    const key = upsertKeyOf(data);
    let outcome: BatchOutcome = "created";
    if (data?.meta?.update === true) outcome = "updated";
    else if (key !== undefined) {
      const norm = `${key.field}\0${normalizeKey(key.value)}`;
      if (this.written.has(norm) || existing?.has(normalizeKey(key.value))) outcome = "updated";
      else outcome = existing === undefined ? "upserted" : "created";
      this.written.add(norm);
    } else if (data?.meta?.upsert !== undefined && data.meta.upsert !== false) {
      // An upsert whose key cannot be looked up (several fields, a value that is no text): Oro does not say which.
      outcome = "upserted";
    }
    this.results[index] = { index, outcome, ...(id === undefined ? {} : { id }) };
  }

  private fail(index: number, errors: OroErrorObject[], reason: string): void {
    this.results[index] = { index, outcome: "failed", errors, reason };
  }

  private body(chunk: Chunk): { data: ResourceInput[]; included?: ResourceInput[] } {
    const data = chunk.indexes.map((index) => this.items[index]?.data as ResourceInput);
    const included = chunk.indexes.flatMap((index) => this.items[index]?.included ?? []);
    return included.length > 0 ? { data, included } : { data };
  }

  /** Which input item brought each included record of the chunk. */
  private includedOwners(chunk: Chunk): number[] {
    return chunk.indexes.flatMap((index) => (this.items[index]?.included ?? []).map(() => index));
  }

  /** Resending is harmless only if no item creates: every item updates or upserts. */
  private retrySafe(chunk: Chunk): boolean {
    return chunk.indexes.every((index) => {
      const meta = this.items[index]?.data.meta;
      return meta?.update === true || meta?.upsert !== undefined;
    });
  }

  private signal(): { signal?: AbortSignal } {
    return this.options.signal ? { signal: this.options.signal } : {};
  }
}

const pointerOf = (error: OroErrorObject): string | undefined => error.source?.pointer ?? error.source?.propertyPath;
const dataIndex = (error: OroErrorObject): number | undefined => {
  const match = /^\/?data\/(\d+)(\/|$)/.exec(pointerOf(error) ?? "");
  return match ? Number(match[1]) : undefined;
};
const includedIndex = (error: OroErrorObject): number | undefined => {
  const match = /^\/?included\/(\d+)(\/|$)/.exec(pointerOf(error) ?? "");
  return match ? Number(match[1]) : undefined;
};

/** The input index of the item an error's pointer names in this chunk (`owners`: which item brought each included record), if any. */
const ownerOf = (chunk: Chunk, owners: readonly number[], error: OroErrorObject): number | undefined => {
  const position = dataIndex(error);
  if (position !== undefined) return chunk.indexes[position];
  const inc = includedIndex(error);
  return inc !== undefined ? owners[inc] : undefined;
};

/** `/data/7/attributes/sku` -> `/data/attributes/sku`: the pointer as if the item had been sent alone. */
const rebase = (error: OroErrorObject): OroErrorObject => {
  const pointer = error.source?.pointer;
  if (pointer === undefined) return error;
  return { ...error, source: { ...error.source, pointer: pointer.replace(/^\/data\/\d+/, "/data") } };
};

const upsertKeyOf = (data: ResourceInput | undefined): { field: string; value: string } | undefined => {
  const upsert = data?.meta?.upsert;
  if (upsert === undefined || upsert === false) return undefined;
  if (upsert === true || (Array.isArray(upsert) && upsert.length === 1 && upsert[0] === "id")) {
    return data?.id === undefined ? undefined : { field: "id", value: data.id };
  }
  if (Array.isArray(upsert) && upsert.length === 1 && typeof upsert[0] === "string") {
    const value = (data?.attributes as Record<string, unknown> | undefined)?.[upsert[0]];
    return typeof value === "string" || typeof value === "number" ? { field: upsert[0], value: String(value) } : undefined;
  }
  return undefined;
};

// Oro's unique indexes on codes like SKU are case-insensitive.
const normalizeKey = (value: unknown): string => String(value).toLowerCase();

const operationIdOf = (body: Document<ResourceObject> | Document<ResourceObject[]> | undefined, headers: Record<string, string>): string => {
  const data = body?.data;
  if (data && !Array.isArray(data) && data.type === "asyncoperations" && data.id) return data.id;
  const location = headers["content-location"];
  const fromHeader = location ? /asyncoperations\/([^/?#]+)/.exec(location)?.[1] : undefined;
  if (fromHeader) return decodeURIComponent(fromHeader);
  throw new OroResponseError("Oro accepted a batch (202) without an asyncoperations id in the body or Content-Location.");
};
