import { mapWithConcurrency } from "../../shared/runtime/limit";
import { chunkItems, SYNC_BATCH_MAX_INCLUDED } from "../../shared/oro";
import type { BatchItem, BatchItemResult, OroClient } from "../../shared/oro";

/** Products an invocation must write at once before its pages go through Oro's asynchronous batch API. */
export const DEFAULT_ASYNC_MIN_PRODUCTS = 300;

/**
 * How the products of an invocation reach Oro (`settings.oroAsyncBatch`): `auto` (default) sends
 * the pages an invocation writes at once as one asynchronous batch when they hold at least
 * `settings.oroAsyncMinProducts` products (300: a backfill, an initial load or a large window;
 * the default 5 full pages of 100 qualify) and as sync batches otherwise (an incremental window
 * of a few changes: no polling delay); `always`; `never`.
 */
export const asyncBatchThreshold = (settings: { oroAsyncBatch: "auto" | "always" | "never"; oroAsyncMinProducts: number }): number | undefined => {
  if (settings.oroAsyncBatch === "never") return undefined;
  return settings.oroAsyncBatch === "always" ? 1 : settings.oroAsyncMinProducts;
};

/**
 * Sync requests an invocation sends at once at least (more when it writes more pages: one per
 * page). The first invocations of a listing hold one page each (the listing fans out a page every
 * Akeneo round trip and idle pollers take it at once), and so does the last of a run, often; one
 * page is 7 requests (6 x 16 products + 4 at 3 included each), and sent one after another they
 * left Oro mostly idle while the queue filled and while it drained (bench:sync's setup, 3 runs
 * each: Oro's cap first full at 0.16-0.24 s instead of 0.36-0.37 s; cap-seconds unused, median,
 * 1.5 instead of 2.1). 4 stays below a full invocation's 5 pages and the transport's 8 sockets,
 * so a full invocation's load on Oro is unchanged.
 */
export const MIN_CONCURRENT_WRITES = 4;

/** How {@link writeCoalesced} sends what it gathered. */
export interface CoalescedWriteOptions {
  /** Gathered items from this many on go as one asynchronous batch; `undefined`: never. */
  asyncThreshold: number | undefined;
  /** Most primary items per sync request (`settings.oroBatchSize`, at most Oro's 100). */
  perRequest: number;
}

interface Caller {
  items: BatchItem[];
  resolve(results: BatchItemResult[]): void;
  reject(error: unknown): void;
}

// Keyed by the invocation's abort signal: pages of one invocation share requests, never two invocations.
const groups = new WeakMap<AbortSignal, Caller[]>();

/**
 * The writes of the pages an invocation handles at once, gathered within the same tick (they
 * resolve the same coalesced `filter[sku]` lookup, so they ask together), and each caller gets
 * the result of each of its items:
 * - at least `asyncThreshold` items: ONE asynchronous batch request carries them all (Oro splits
 *   it into chunks of 100 for its consumers, docs/reference/oro-api.md §5.1), polled to the end,
 *   errors mapped back by their `/data/{i}` pointers;
 * - else sync batch requests packed across the pages to Oro's limits (at most `perRequest`
 *   primary and 50 included items each, docs/reference/oro-writes.md): a page's last, part-filled
 *   request no longer goes alone (100 products of 3 included items each are 7 requests per page
 *   on their own, 6.25 per page packed together). The requests go as many at once as there are
 *   pages, as when each page sent its own, and at least {@link MIN_CONCURRENT_WRITES}; a request
 *   that fails fails only the pages with items in it (their messages are retried, the others are done).
 */
export const writeCoalesced = (
  oro: OroClient,
  type: string,
  items: BatchItem[],
  signal: AbortSignal,
  options: CoalescedWriteOptions,
): Promise<BatchItemResult[]> =>
  new Promise((resolve, reject) => {
    let group = groups.get(signal);
    if (!group) {
      const callers: Caller[] = [];
      group = callers;
      groups.set(signal, callers);
      setImmediate(() => {
        groups.delete(signal);
        void flush(oro, type, callers, signal, options);
      });
    }
    group.push({ items, resolve, reject });
  });

const flush = async (oro: OroClient, type: string, callers: Caller[], signal: AbortSignal, options: CoalescedWriteOptions): Promise<void> => {
  const all = callers.flatMap((c) => c.items);
  // owner[i]: which caller gave gathered item i, and at which of its indexes.
  const owner = callers.flatMap((c, ci) => c.items.map((_, index) => ({ caller: ci, index })));
  if (options.asyncThreshold !== undefined && all.length >= options.asyncThreshold) {
    try {
      const result = await oro.batch(type, all, { mode: "async", asyncChunkSize: all.length, resolveUpsertOutcomes: false, signal });
      deliver(callers, owner, result.items, new Map());
    } catch (error) {
      for (const c of callers) c.reject(error);
    }
    return;
  }
  const results: BatchItemResult[] = [];
  const errors = new Map<number, unknown>();
  const chunks = chunkItems(all, Math.max(1, options.perRequest), SYNC_BATCH_MAX_INCLUDED);
  await mapWithConcurrency(chunks, Math.max(callers.length, MIN_CONCURRENT_WRITES), async (chunk) => {
    try {
      const answer = await oro.batch(
        type,
        chunk.indexes.map((i) => all[i] as BatchItem),
        { mode: "sync", resolveUpsertOutcomes: false, signal },
      );
      for (const item of answer.items) results.push({ ...item, index: chunk.indexes[item.index] as number });
    } catch (error) {
      for (const i of chunk.indexes) {
        const caller = (owner[i] as { caller: number }).caller;
        if (!errors.has(caller)) errors.set(caller, error);
      }
    }
  });
  deliver(callers, owner, results, errors);
};

/** Hands each caller its items' results at its own indexes, or the error of a request that carried one of them. */
const deliver = (
  callers: Caller[],
  owner: Array<{ caller: number; index: number }>,
  results: readonly BatchItemResult[],
  errors: Map<number, unknown>,
): void => {
  const perCaller = callers.map((c) => new Array<BatchItemResult>(c.items.length));
  for (const r of results) {
    const o = owner[r.index];
    if (o) (perCaller[o.caller] as BatchItemResult[])[o.index] = { ...r, index: o.index };
  }
  callers.forEach((c, ci) => {
    if (errors.has(ci)) c.reject(errors.get(ci));
    else c.resolve(perCaller[ci] as BatchItemResult[]);
  });
};
