import { createHash } from "node:crypto";
import * as z from "zod/mini";
import type { SyncWindow } from "../../shared/sync";

/**
 * Messages of the connector's queue:
 * - `window`: from the schedule `{ scheduledTime }`, or a backfill `{ from, to }`;
 * - `continuation`: a listing handed over before the deadline, `{ from, to, next }` (`_links.next`);
 * - `page`: up to 100 products to write, carried in the message (no second Akeneo call), and
 *   `uuids` of products too big to carry, re-fetched one by one.
 */
export const messageSchemas = {
  window: z.object({ scheduledTime: z.optional(z.string()), from: z.optional(z.string()), to: z.optional(z.string()) }),
  continuation: z.object({ from: z.string(), to: z.string(), next: z.string().check(z.minLength(1)) }),
  page: z.object({
    window: z.string(),
    products: z.array(z.record(z.string(), z.unknown())),
    uuids: z.optional(z.array(z.string())),
  }),
};

/** A page message stays under this many bytes of products (SQS allows 1 MiB; 256 KB was the old limit). */
export const PAGE_MESSAGE_MAX_BYTES = 200_000;

const short = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 20);

/** Stable key of a window: the same window always fans out the same message ids. */
export const windowKey = (window: SyncWindow): string => `${window.from.toISOString()}..${window.to.toISOString()}`;

/**
 * Id of a fan-out message: window + the listing link that produced it (it carries the search_after
 * cursor) + the part, so a redelivered window or continuation produces the same ids (FIFO queues
 * drop the duplicates; on standard queues the writes by SKU make them harmless).
 */
export const fanOutId = (window: string, kind: "page" | "continuation", href: string, part = 0): string =>
  `${window}/${kind}/${short(href)}${part > 0 ? `/${part}` : ""}`;
