import * as z from "zod/mini";

/** Levels a pushed `stock.changed` message may carry (one invocation writes them in a few batches). */
export const MAX_PUSHED_LEVELS = 500;

/** `stock.changed`: levels pushed by the ERP, also the replay of one failed level. */
export const StockChangedSchema = z.object({ levels: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_PUSHED_LEVELS)) });

/** The messages a failed level is replayed as (apply-levels.ts reports into any context that has them). */
export type StockReplays = { "stock.changed": typeof StockChangedSchema };
