import { MappingError } from "../../shared/converters";
import type { ItemFailure } from "../../shared/connector";
import { ValidationError } from "../../shared/errors";
import type { AkeneoProduct } from "../../shared/integrations/akeneo";
import { isAlreadyExistsError } from "../../shared/oro";
import type { BatchItem, BatchItemResult } from "../../shared/oro";
import { asyncBatchThreshold, writeCoalesced } from "./bulk";
import { attributeFamilies } from "./families";
import { loadExisting, loadExistingCoalesced } from "./related";
import type { ExistingProduct } from "./related";
import type { AkeneoContext } from "./settings";

/** Metric names this connector counts (EMF). */
export const Metric = {
  written: "ProductsWritten",
  skipped: "ProductsSkipped",
  pages: "PagesListed",
  listed: "ProductsListed",
  /** Creates Oro refused because another run created the SKU first; each was sent again as an update. */
  createConflicts: "ProductCreateConflicts",
} as const;

type Context = AkeneoContext;

/** One product on its way to Oro. */
interface Pending {
  product: AkeneoProduct;
  sku: string;
  item: BatchItem;
  /** Written by id (`meta.update`), i.e. the product existed. */
  updating: boolean;
}

/**
 * The product write stock Oro 6.1/7.0 accepts: Oro allows no `meta.upsert` on `products` (400 "The
 * upsert operation is not allowed." at `/data/{i}/meta/upsert`), so an existing product is updated
 * by its id (`meta.update: true`, from the `filter[sku]` lookup) and a new one is created. Whatever
 * `meta` the mapping carries is replaced. Sources: docs/reference/oro-writes.md.
 */
export const productWrite = (item: BatchItem, existingId: string | undefined): BatchItem => {
  const { meta: _meta, id: _id, ...data } = item.data;
  return { ...item, data: existingId === undefined ? data : { ...data, id: existingId, meta: { update: true } } };
};

/**
 * Writes one page of Akeneo products to Oro: convert each (a product that cannot be mapped is
 * skipped with its reason), look up which SKUs Oro already has (`filter[sku]`, one coalesced GET
 * per invocation), then sync batches that update those by id and create the others. A create that
 * Oro refuses because the SKU exists by now (another run created it since the lookup: 400 `unique
 * entity constraint` at the sku, or 409 "The entity already exists." from the unique index) is
 * looked up again and sent as an update, so concurrent runs end with one product and the last
 * write wins; it never goes to the DLQ. Every other product Oro rejects is skipped: it goes to the
 * DLQ as a page message holding only it, with an alert, while the rest of the page lands.
 */
export const writePage = async (window: string, pageId: string, products: AkeneoProduct[], ctx: Context): Promise<void> => {
  const { converter } = ctx.prepared;
  const reuseRelated = ctx.settings.reuseExisting;
  const replay = (product: AkeneoProduct) => ({
    type: "page",
    id: `${pageId}/${converter.externalIdOf(product) ?? product.uuid}`,
    payload: { window, products: [product] },
  });
  const skus = products.map((p) => converter.externalIdOf(p) ?? "");
  // Independent reads: the families (cached per container) and the products Oro already has.
  const [families, existing] = await Promise.all([
    attributeFamilies(ctx.oro, ctx.signal),
    loadExistingCoalesced(ctx.oro, converter.mapping, skus, ctx.signal, { reuseRelated }),
  ]);
  const lookups = { attributeFamilies: families };
  const toItem = (product: AkeneoProduct, found: ExistingProduct | undefined): BatchItem =>
    productWrite(converter.convert(product, { lookups, ...(found ? { reuse: found.reuse } : {}) }), found?.id);

  const failures: ItemFailure[] = [];
  const pending: Pending[] = [];
  products.forEach((product, index) => {
    const sku = skus[index] ?? "";
    const found = existing.get(sku);
    try {
      pending.push({ product, sku, item: toItem(product, found), updating: found !== undefined });
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      failures.push({ error, replay: replay(product) });
    }
  });
  const rejected = (entry: Pending, reason: string, errors: unknown): ItemFailure => ({
    error: new ValidationError(`Oro rejected product "${entry.sku || String(entry.product.uuid)}": ${reason}`, {
      code: "ORO_VALIDATION",
      externalId: entry.sku,
      details: { errors },
    }),
    replay: replay(entry.product),
  });

  // Items per Oro write request: the sync batch's 100 by default (`settings.oroBatchSize`, 1 = one request per product).
  const perRequest = ctx.settings.oroBatchSize;
  const asyncThreshold = asyncBatchThreshold(ctx.settings);
  /**
   * Sends the entries: with `coalesce`, together with the other pages the invocation writes at
   * once (./bulk.ts: one asynchronous batch when they are enough, else sync requests packed across
   * the pages), else in this page's own sync batches; returns the creates Oro refused because the
   * SKU exists by now.
   */
  const send = async (entries: Pending[], coalesce = false): Promise<Pending[]> => {
    const lost: Pending[] = [];
    const rounds: Array<{ chunk: Pending[]; items: BatchItemResult[] }> = [];
    if (coalesce && entries.length > 0) {
      rounds.push({
        chunk: entries,
        items: await writeCoalesced(
          ctx.oro,
          converter.mapping.type,
          entries.map((e) => e.item),
          ctx.signal,
          { asyncThreshold, perRequest },
        ),
      });
    }
    for (let start = 0; !coalesce && start < entries.length; start += perRequest) {
      const chunk = entries.slice(start, start + perRequest);
      rounds.push({
        chunk,
        items: (
          await ctx.oro.batch(
            converter.mapping.type,
            chunk.map((e) => e.item),
            { mode: "sync", resolveUpsertOutcomes: false, signal: ctx.signal },
          )
        ).items,
      });
    }
    for (const { chunk, items } of rounds) {
      let failed = 0;
      for (const item of items) {
        if (item.outcome !== "failed") continue;
        failed += 1;
        const entry = chunk[item.index] as Pending;
        if (!entry.updating && isAlreadyExistsError(item.errors, "sku")) lost.push(entry);
        else failures.push(rejected(entry, item.reason ?? "validation failed", item.errors));
      }
      ctx.count(Metric.written, items.length - failed);
    }
    return lost;
  };

  const lostRaces = await send(pending, true);
  if (lostRaces.length > 0) {
    // Another writer created these SKUs between our lookup and our create: update what it created.
    ctx.count(Metric.createConflicts, lostRaces.length);
    const fresh = await loadExisting(
      ctx.oro,
      converter.mapping,
      lostRaces.map((e) => e.sku),
      ctx.signal,
    );
    const retry: Pending[] = [];
    for (const entry of lostRaces) {
      const found = fresh.get(entry.sku);
      if (found) retry.push({ ...entry, item: toItem(entry.product, found), updating: true });
      else
        failures.push(
          rejected(
            entry,
            `Oro says a product with SKU "${entry.sku}" already exists, but filter[sku] finds none: Oro's uniqueness check ignores letter case and its filter does not, ` +
              "so the existing product's SKU differs only in case (or belongs to another organization, or the SKU has a comma, which filter[sku] reads as OR; " +
              "Oro's default SKU pattern allows none). Rename one of them, then redrive this message.",
            [],
          ),
        );
    }
    // A second refusal of an update is an ordinary rejection: send() only collects creates.
    await send(retry);
  }
  if (failures.length > 0) {
    ctx.count(Metric.skipped, failures.length);
    await ctx.failItems(failures);
  }
};
