import { defineConnector } from "../../shared/connector";
import type { OutgoingMessage } from "../../shared/connector";
import { akeneoIntegration } from "../../shared/integrations/akeneo";
import type { AkeneoProduct } from "../../shared/integrations/akeneo";
import { chunkByJsonSize, explicitWindow, runListing, windowFromSettings } from "../../shared/sync";
import type { SyncWindow } from "../../shared/sync";
import { checkIdentifierAttribute } from "./identifier";
import { fanOutId, messageSchemas, PAGE_MESSAGE_MAX_BYTES, windowKey } from "./messages";
import { AkeneoProductsSettingsSchema, prepareAkeneoProducts } from "./settings";
import type { AkeneoContext } from "./settings";
import { Metric, writePage } from "./write";

type Context = AkeneoContext;

/** Page messages for one listed page: products split so each message stays under the size target. */
const pageMessages = (window: string, href: string, products: AkeneoProduct[]): OutgoingMessage[] => {
  // `_links` is for humans; drop it to keep messages small.
  const slim = products.map(({ _links: _ignored, ...product }) => product as AkeneoProduct);
  const { chunks, oversized } = chunkByJsonSize(slim, PAGE_MESSAGE_MAX_BYTES, 100);
  const messages: OutgoingMessage[] = chunks.map((chunk, part) => ({
    type: "page",
    id: fanOutId(window, "page", href, part),
    payload: { window, products: chunk },
  }));
  if (oversized.length > 0)
    messages.push({ type: "page", id: fanOutId(window, "page", href, chunks.length), payload: { window, products: [], uuids: oversized.map((p) => p.uuid) } });
  return messages;
};

/** Lists the window's changed products from `start`, fanning pages out and handing over before the deadline. */
const listWindow = async (window: SyncWindow, start: string, ctx: Context): Promise<void> => {
  const key = windowKey(window);
  const result = await runListing<AkeneoProduct>({
    start,
    fetchPage: (href) => ctx.client.page(href, ctx.signal),
    // ctx.enqueue sends in batches within SQS's 1 MiB limit (shared/aws sqsSendBatches).
    emit: (products, href) => ctx.enqueue(pageMessages(key, href, products)),
    handOver: (next) =>
      ctx.enqueue([
        { type: "continuation", id: fanOutId(key, "continuation", next), payload: { from: window.from.toISOString(), to: window.to.toISOString(), next } },
      ]),
    remainingTimeMs: () => ctx.remainingTimeMs(),
    ...(ctx.settings.handoverMarginMs === undefined ? {} : { handoverMarginMs: ctx.settings.handoverMarginMs }),
  });
  ctx.count(Metric.pages, result.pages);
  ctx.count(Metric.listed, result.items);
  ctx.logger.info(result.handedOver ? "listing handed over to a continuation" : "listing finished", { window: key, ...result });
};

/**
 * Akeneo products -> Oro products (import, scheduled). A `window` message lists the products
 * Akeneo changed in `[scheduledTime - interval - overlap, scheduledTime]` (or a backfill's
 * `[from, to]`) and fans out one `page` message per 100 products onto this connector's queue; a
 * listing that would outlive the invocation continues in a `continuation` message. Each page is
 * mapped (functions/akeneo-products/mapping.ts, overridable by `settings.mapping`) and written by
 * SKU with Oro's sync batch API (update by id when Oro has the SKU, else create: write.ts); products that cannot be mapped or that Oro rejects are skipped
 * one by one (DLQ replay message + alert) while the rest lands.
 */
export const akeneoProducts = defineConnector({
  type: "akeneo-products",
  label: "Akeneo products to Oro",
  integrationType: akeneoIntegration,
  entity: "products",
  direction: "import",
  messages: messageSchemas,
  settings: AkeneoProductsSettingsSchema,
  prepare: prepareAkeneoProducts,
  // A window and its continuations list and fan out; each page message writes up to 100 products.
  ledger: { listing: ["window", "continuation"], records: { read: [Metric.listed], written: [Metric.written] } },
  defaults: { schedule: "rate(15 minutes)", scheduleMessageType: "window", batchSize: 5, timeoutSeconds: 300, memoryMb: 512 },
  recursiveLoop: {
    allow: true,
    reason:
      "a listing that outlives one invocation hands over to a continuation on the connector's own queue (Akeneo pages by search_after, so the next link is known only once a page is read): a large first sync or backfill is a chain of continuations",
  },
  checks: {
    external: [
      {
        name: "identifier attribute",
        hint: 'set settings.identifierAttribute of akeneo-products in the deploy config to one of the listed identifier attributes (default "sku")',
        run: (client, settings, signal) => checkIdentifierAttribute(client, settings, signal),
      },
    ],
  },
  async handle(message, ctx) {
    switch (message.type) {
      case "window": {
        const { scheduledTime, from, to } = message.payload;
        const window =
          from !== undefined && to !== undefined ? explicitWindow(from, to) : windowFromSettings(scheduledTime ?? message.meta.createdAt ?? "", ctx.settings);
        ctx.describeRun?.(window);
        return listWindow(window, ctx.client.productsListHref({ updated: window }), ctx);
      }
      case "continuation": {
        const { from, to, next } = message.payload;
        return listWindow(explicitWindow(from, to), next, ctx);
      }
      case "page": {
        const { window, products, uuids } = message.payload;
        // Products too big for a message are fetched here, one call each.
        const refetched = await Promise.all((uuids ?? []).map((uuid) => ctx.client.product(uuid, ctx.signal)));
        return writePage(window, message.meta.id, [...(products as AkeneoProduct[]), ...refetched], ctx);
      }
    }
  },
});
