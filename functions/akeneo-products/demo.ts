import type { ConnectorDemo } from "../../local-stack/demo-types";
import { type CatalogOptions, generateCatalog, identifierOf } from "../../sandboxes/akeneo/catalog";

const CHECK = "Akeneo products in Oro (by SKU, with status)";
// One family: the Oro sandbox knows `default_family` only, and an unknown family is (rightly) a skipped product.
const catalogOf = (seededAt: string): CatalogOptions => ({ count: 60, prefix: "DEMO-", updatedAt: seededAt, families: ["default_family"] });

/** A catalog seeded in Akeneo, a window covering it; every product must be in Oro by SKU with its enabled status. */
export const demo: ConnectorDemo = {
  connector: "akeneo-products",
  checks: [CHECK],
  async seed({ stack, seededAt }) {
    await stack.sandboxes.akeneo?.admin.seed(catalogOf(seededAt));
  },
  async start({ send, window }) {
    await send("akeneo-products", "window", `demo-initial-${window.to}`, window);
  },
  async verify({ stack, seededAt, check }) {
    const catalog = generateCatalog(catalogOf(seededAt));
    const oroProducts = new Map((stack.sandboxes.oro?.store.list("products") ?? []).map((p) => [String(p.attributes.sku).toUpperCase(), p]));
    const synced = catalog.filter((p) => {
      const target = oroProducts.get(String(identifierOf(p)).toUpperCase());
      return target !== undefined && target.attributes.status === (p.enabled ? "enabled" : "disabled");
    });
    check(CHECK, catalog.length, synced.length);
  },
};
