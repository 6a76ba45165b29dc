import type { FieldRule, ImportMapping } from "../../shared/converters";

/**
 * How an ERP stock level (docs/erp-contract.md section 5) becomes an Oro inventory level update.
 * Data, overridable from the deploy config (`settings.mapping`, deep merge; `null` drops a key).
 */
export interface StockMapping {
  /**
   * Fields that find the Oro inventory level (read, never written): the product's `sku`, the
   * `unit` code and the ERP `warehouse`. Map ERP unit codes to Oro's here, e.g.
   * `{ "unit": { "from": "unit", "map": { "PCS": "each" }, "passThrough": true } }`.
   */
  key: { sku: FieldRule; unit: FieldRule; warehouse?: FieldRule };
  /** The inventory level attributes written (`quantity`, as Oro's decimal string). */
  write: ImportMapping;
}

export const defaultStockMapping: StockMapping = {
  key: {
    sku: { from: "sku", required: true, type: "string", maxLength: 255 },
    unit: { from: "unit", required: true, type: "string" },
    warehouse: { from: "warehouse", type: "string" },
  },
  write: {
    type: "inventorylevels",
    externalId: "sku",
    attributes: {
      // Absolute quantity (not a delta), so a level applied twice leaves the same state.
      quantity: { from: "quantity", type: "decimal", required: true },
    },
  },
};
