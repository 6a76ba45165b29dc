import type { ExportMapping, FieldRule } from "../../shared/converters";

/**
 * The default mapping of an Oro order (fetched with its line items, addresses, customer and
 * customer user) to the ERP's `POST /orders` body (docs/erp-contract.md section 3). Data, not
 * code: the deploy config may override any part through `settings.mapping` (deep merge; `null`
 * drops a field), e.g. `{ "fields": { "source.system": { "const": "oro-eu" } } }`.
 *
 * `lines[].lineNumber` is added by the connector (the position in the order): a mapping rule has
 * no access to an item's index.
 */
const address = (relationship: string): Record<string, FieldRule> => ({
  [`${relationship}.firstName`]: { from: `${relationship}.firstName` },
  [`${relationship}.lastName`]: { from: `${relationship}.lastName` },
  [`${relationship}.company`]: { from: `${relationship}.organization` },
  [`${relationship}.street`]: { from: `${relationship}.street` },
  [`${relationship}.city`]: { from: `${relationship}.city` },
  [`${relationship}.postalCode`]: { from: `${relationship}.postalCode` },
  // Country ids are ISO codes in Oro ("US"), so the relationship id is the value.
  [`${relationship}.country`]: { from: `${relationship}.country.id` },
  [`${relationship}.phone`]: { from: `${relationship}.phone` },
});

export const defaultOrderMapping: ExportMapping = {
  externalId: "identifier",
  fields: {
    externalOrderNumber: { from: "identifier", required: true, type: "string", maxLength: 64 },
    "source.system": { const: "oro" },
    "source.orderId": { from: "id", required: true, type: "string" },
    orderedAt: { from: "createdAt" },
    "customer.id": { from: "customer.id", required: true, type: "string" },
    "customer.externalId": { from: "customer.externalId" },
    "customer.name": { from: "customer.name", required: true },
    "customer.email": { from: "customerUser.email" },
    ...address("billingAddress"),
    ...address("shippingAddress"),
    currency: { from: "currency", required: true },
    "totals.subtotal": { from: "subtotalValue", type: "decimal", required: true },
    "totals.total": { from: "totalValue", type: "decimal", required: true },
    lines: {
      each: "lineItems",
      required: true,
      fields: {
        sku: { from: "productSku", required: true, type: "string" },
        name: { from: "productName" },
        quantity: { from: "quantity", type: "decimal", required: true },
        // The unit relationship's id is the unit code (`each`, `kg`).
        unit: { from: "productUnit.id", required: true },
        unitPrice: { from: "value", type: "decimal", required: true },
      },
    },
    notes: { from: "customerNotes" },
  },
};

/** Relationships the mapping reads, fetched with the order in one request. */
export const ORDER_INCLUDE = ["lineItems", "billingAddress", "shippingAddress", "customer", "customerUser"] as const;
