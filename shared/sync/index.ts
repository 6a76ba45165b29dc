/**
 * Incremental sync without a state store (ARCHITECTURE.md section 3): the time window a
 * scheduled or backfill message covers.
 */
export { DEFAULT_OVERLAP_MINUTES, explicitWindow, rateMinutes, windowFor, windowFromSettings } from "./window";
export type { SyncWindow, WindowOptions } from "./window";
