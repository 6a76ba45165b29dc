import { isPermanent } from "../errors";

/** Hand over when less than this remains (ms), or twice the slowest page so far if that is more. */
export const DEFAULT_HANDOVER_MARGIN_MS = 1_000;
/** Pages one invocation lists at most before handing over anyway (a bound, not a tuning knob). */
export const DEFAULT_MAX_PAGES_PER_INVOCATION = 2_000;

/** One fetched page of a cursor-paged listing. */
export interface ListedPage<T> {
  items: T[];
  /** The link to the next page; absent on the last one. */
  next: string | undefined;
}

/** What {@link runListing} needs: how to fetch, fan out and hand over. */
export interface ListingOptions<T> {
  /** Link of the first page to fetch (the window's first page, or a continuation's link). */
  start: string;
  fetchPage(href: string): Promise<ListedPage<T>>;
  /** Fans out one page (e.g. enqueues page messages); `href` is the link that produced it. */
  emit(items: T[], href: string): Promise<void>;
  /** Enqueues a continuation carrying `href`, the next page still to fetch. */
  handOver(href: string): Promise<void>;
  /** Time left in this invocation (ConnectorContext.remainingTimeMs). */
  remainingTimeMs(): number;
  /** Minimum time kept for the hand-over. Default {@link DEFAULT_HANDOVER_MARGIN_MS}. */
  handoverMarginMs?: number;
  /** Default {@link DEFAULT_MAX_PAGES_PER_INVOCATION}. */
  maxPages?: number;
}

/** What one run did. */
export interface ListingResult {
  pages: number;
  items: number;
  /** The listing did not finish here: a continuation was enqueued. */
  handedOver: boolean;
}

/**
 * Lists a cursor-paged source page by page and fans each page out, overlapping the fetch of the
 * next page with the fan-out of the current one (paging is sequential: the next link is only known
 * once a page arrives, so the fan-out must not add to it). When the time left falls below the
 * margin (or after `maxPages`), it hands over: the next link goes into a continuation message,
 * so a listing of a million records runs as a chain of short invocations and a replay restarts
 * from the page where it stopped. A transient failure to fetch a later page hands over the same
 * way, so the pages already fanned out are not fanned out again by a retry.
 *
 * @example
 * await runListing({ start: akeneo.productsListHref({ updated: window }), fetchPage: (h) => akeneo.page(h, signal),
 *   emit: (items, href) => ctx.enqueue(pageMessages(items, href)), handOver: (href) => ctx.enqueue([continuation(href)]),
 *   remainingTimeMs: ctx.remainingTimeMs });
 */
export const runListing = async <T>(options: ListingOptions<T>): Promise<ListingResult> => {
  const minMargin = options.handoverMarginMs ?? DEFAULT_HANDOVER_MARGIN_MS;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES_PER_INVOCATION;
  let slowest = 0;
  let pages = 0;
  let items = 0;
  const timed = async (href: string) => {
    const started = Date.now();
    const page = await options.fetchPage(href);
    slowest = Math.max(slowest, Date.now() - started);
    return page;
  };
  const margin = () => Math.max(minMargin, 2 * slowest);

  let href = options.start;
  let page = await timed(href);
  for (;;) {
    pages += 1;
    items += page.items.length;
    const next = page.next;
    const keepGoing = next !== undefined && pages < maxPages && options.remainingTimeMs() > margin();
    // Start the next fetch before fanning out this page; a failure of either fails the run.
    const prefetch = keepGoing && next !== undefined ? timed(next) : undefined;
    // Keep an unobserved rejection from surfacing while emit is awaited.
    prefetch?.catch(() => undefined);
    await options.emit(page.items, href);
    if (next === undefined) return { pages, items, handedOver: false };
    if (prefetch === undefined) {
      await options.handOver(next);
      return { pages, items, handedOver: true };
    }
    href = next;
    try {
      page = await prefetch;
    } catch (error) {
      // The pages before are fanned out: a retry of this message would fan them out again, and copies
      // written at the same time as the originals both miss the rows the other adds. Hand over instead:
      // the continuation retries from this page on (a permanent error still fails this message).
      if (isPermanent(error)) throw error;
      await options.handOver(next);
      return { pages, items, handedOver: true };
    }
  }
};
