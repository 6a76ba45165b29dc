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

interface Caller {
  items: BatchItem[];
  resolve(results: BatchItemResult[] | undefined): void;
  reject(error: unknown): void;
}

// Keyed by the invocation's abort signal: pages of one invocation share a batch, never two invocations.
const groups = new WeakMap<AbortSignal, Caller[]>();

/**
 * The writes of the pages an invocation handles at once, gathered within the same tick (they
 * resolve the same coalesced `filter[sku]` lookup, so they ask together): when they hold at
 * least `threshold` items, ONE asynchronous batch request carries them all (Oro splits it into
 * chunks of 100 for its consumers, docs/reference/oro-api.md §5.1), polled to the end, and each
 * caller gets the result of each of its items, errors mapped back by their `/data/{i}` pointers;
 * below it, every caller gets `undefined` and sends its own sync batches.
 */
export const writeAsyncCoalesced = (oro: OroClient, type: string, items: BatchItem[], signal: AbortSignal, threshold: number): Promise<BatchItemResult[] | undefined> =>
  new Promise((resolve, reject) => {
    let group = groups.get(signal);
    if (!group) {
      const callers: Caller[] = [];
      group = callers;
      groups.set(signal, callers);
      setImmediate(() => {
        groups.delete(signal);
        const all = callers.flatMap((c) => c.items);
        if (all.length < threshold) {
          for (const c of callers) c.resolve(undefined);
          return;
        }
        oro.batch(type, all, { mode: "async", asyncChunkSize: all.length, resolveUpsertOutcomes: false, signal }).then(
          (result) => {
            let offset = 0;
            for (const c of callers) {
              const start = offset;
              c.resolve(result.items.slice(start, start + c.items.length).map((r) => ({ ...r, index: r.index - start })));
              offset += c.items.length;
            }
          },
          (error: unknown) => {
            for (const c of callers) c.reject(error);
          },
        );
      });
    }
    group.push({ items, resolve, reject });
  });
