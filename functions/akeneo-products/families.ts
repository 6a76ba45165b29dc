import type { OroClient } from "../../shared/oro";

/** How long the family list is reused by a warm container. */
const TTL_MS = 5 * 60_000;
/** Families read at most (bounded loop); Oro installs have tens. */
const MAX_PAGES = 20;

const cache = new WeakMap<OroClient, { at: number; codes: Promise<Map<string, string>> }>();

/**
 * Oro attribute families by `code` -> id (the `attributeFamilies` lookup of the mapping). Read
 * once per warm container and every 5 minutes, so a family added in Oro is picked up without a
 * deploy; an Akeneo family missing in Oro skips its products with a mapping error.
 */
export const attributeFamilies = (oro: OroClient, signal: AbortSignal): Promise<Map<string, string>> => {
  const cached = cache.get(oro);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.codes;
  // The promise is cached, so the pages of a cold invocation share one read.
  const codes = read(oro, signal);
  cache.set(oro, { at: Date.now(), codes });
  codes.catch(() => cache.delete(oro));
  return codes;
};

const read = async (oro: OroClient, signal: AbortSignal): Promise<Map<string, string>> => {
  const codes = new Map<string, string>();
  for await (const family of oro.iterate<{ code?: string }>("attributefamilies", { page: { size: 100 }, maxPages: MAX_PAGES, signal })) {
    if (family.attributes?.code) codes.set(family.attributes.code, family.id);
  }
  return codes;
};
