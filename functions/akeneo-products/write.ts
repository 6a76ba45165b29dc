import { MappingError } from "../../shared/converters";
import type { ImportConverter } from "../../shared/converters";
import type { ConnectorContext, ItemFailure, MessageSchemas } from "../../shared/connector";
import { ValidationError } from "../../shared/errors";
import type { AkeneoClient, AkeneoProduct } from "../../shared/integrations/akeneo";
import type { BatchItem } from "../../shared/oro";
import { attributeFamilies } from "./families";
import { createProductConverter } from "./mapping";
import { loadRelatedCoalesced } from "./related";

/** Metric names this connector counts (EMF). */
export const Metric = { written: "ProductsWritten", skipped: "ProductsSkipped", pages: "PagesListed", listed: "ProductsListed" } as const;

const converters = new WeakMap<object, ImportConverter>();

/** The product converter for these settings (functions/akeneo-products/mapping.ts), compiled once. */
export const converterFor = (settings: Readonly<Record<string, unknown>>): ImportConverter => {
  let converter = converters.get(settings);
  if (!converter) {
    converter = createProductConverter(settings);
    converters.set(settings, converter);
  }
  return converter;
};

type Context = ConnectorContext<AkeneoClient, MessageSchemas>;

/**
 * Writes one page of Akeneo products to Oro: convert each (a product that cannot be mapped is
 * skipped with its reason), then one sync batch upsert by SKU; the products Oro rejects are
 * reported too. Each skipped product goes to the DLQ as a page message holding only it, with an
 * alert, while the rest of the page lands.
 */
export const writePage = async (window: string, pageId: string, products: AkeneoProduct[], ctx: Context): Promise<void> => {
  const converter = converterFor(ctx.settings);
  const replay = (product: AkeneoProduct) => ({
    type: "page",
    id: `${pageId}/${converter.externalIdOf(product) ?? product.uuid}`,
    payload: { window, products: [product] },
  });
  const skus = products.map((p) => converter.externalIdOf(p) ?? "");
  // Independent reads: the families (cached per container) and the rows these products already have.
  const [families, related] = await Promise.all([
    attributeFamilies(ctx.oro, ctx.signal),
    ctx.settings.reuseExisting === false ? Promise.resolve(new Map<string, never>()) : loadRelatedCoalesced(ctx.oro, converter.mapping, skus, ctx.signal),
  ]);
  const lookups = { attributeFamilies: families };

  const failures: ItemFailure[] = [];
  const items: BatchItem[] = [];
  const sources: AkeneoProduct[] = [];
  products.forEach((product, index) => {
    try {
      const reuse = related.get((skus[index] ?? "").toLowerCase());
      items.push(converter.convert(product, { lookups, ...(reuse ? { reuse } : {}) }));
      sources.push(product);
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      failures.push({ error, replay: replay(product) });
    }
  });

  // Items per Oro write request: the sync batch's 100 by default (`settings.oroBatchSize`, 1 = one request per product).
  const perRequest = typeof ctx.settings.oroBatchSize === "number" && ctx.settings.oroBatchSize >= 1 ? Math.min(100, Math.floor(ctx.settings.oroBatchSize)) : 100;
  for (let start = 0; start < items.length; start += perRequest) {
    // resolveUpsertOutcomes off: the created/updated split would cost one more GET per chunk.
    const result = await ctx.oro.batch(converter.mapping.type, items.slice(start, start + perRequest), { mode: "sync", resolveUpsertOutcomes: false, signal: ctx.signal });
    for (const item of result.items) {
      if (item.outcome !== "failed") continue;
      const product = sources[start + item.index] as AkeneoProduct;
      const sku = converter.externalIdOf(product) ?? product.uuid;
      failures.push({
        error: new ValidationError(`Oro rejected product "${sku}": ${item.reason ?? "validation failed"}`, { code: "ORO_VALIDATION", externalId: sku, details: { errors: item.errors } }),
        replay: replay(product),
      });
    }
    ctx.count(Metric.written, result.items.length - result.failed);
  }
  if (failures.length > 0) {
    ctx.count(Metric.skipped, failures.length);
    await ctx.failItems(failures);
  }
};
