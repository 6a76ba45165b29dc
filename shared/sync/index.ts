/**
 * Incremental sync without a state store (docs/reference/design.md §3): the time window a
 * scheduled or backfill message covers, the listing loop that fans pages out and hands over
 * before the deadline, and size-bounded chunking of fan-out messages.
 */
export { chunkByJsonSize } from "./chunk";
export { DEFAULT_HANDOVER_MARGIN_MS, DEFAULT_MAX_PAGES_PER_INVOCATION, runListing } from "./listing";
export type { ListedPage, ListingOptions, ListingResult } from "./listing";
export { DEFAULT_OVERLAP_MINUTES, explicitWindow, rateMinutes, windowFor, windowFromSettings, windowUntilNow } from "./window";
export type { SyncWindow, WindowOptions } from "./window";
export { parseCron, previousFireTime, UnsupportedCronError } from "./cron";
export type { CronSchedule } from "./cron";
