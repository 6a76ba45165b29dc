import * as z from "zod/mini";

/**
 * The generic ERP REST contract (docs/erp-contract.md) as zod schemas: what the connectors send
 * and what they accept back. The ERP sandbox (sandboxes/erp) implements the same contract.
 */

/** Decimal numbers travel as strings (`"12.5"`), never as JSON numbers, so no precision is lost. */
export const DecimalStringSchema = z.string().check(z.regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "12.50"'));

/** A postal address of an order. */
export const ErpAddressSchema = z.object({
  firstName: z.optional(z.nullable(z.string())),
  lastName: z.optional(z.nullable(z.string())),
  company: z.optional(z.nullable(z.string())),
  street: z.string().check(z.minLength(1)),
  city: z.string().check(z.minLength(1)),
  postalCode: z.string().check(z.minLength(1)),
  /** ISO 3166-1 alpha-2. */
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "US"')),
  phone: z.optional(z.nullable(z.string())),
});
export type ErpAddress = z.infer<typeof ErpAddressSchema>;

/** One order line. */
export const ErpOrderLineSchema = z.object({
  /** 1-based position. */
  lineNumber: z.int().check(z.positive()),
  sku: z.string().check(z.minLength(1)),
  name: z.optional(z.nullable(z.string())),
  quantity: DecimalStringSchema,
  /** Unit code as both systems know it (`each`, `kg`, ...). */
  unit: z.string().check(z.minLength(1)),
  /** Price of one unit in the order currency. */
  unitPrice: DecimalStringSchema,
});
export type ErpOrderLine = z.infer<typeof ErpOrderLineSchema>;

/** Body of `POST /orders`. */
export const ErpOrderSchema = z.object({
  /** The shop's order number (Oro `identifier`), printed on ERP documents. */
  externalOrderNumber: z.string().check(z.minLength(1), z.maxLength(64)),
  /** Which shop sent it; `(system, orderId)` is the ERP's duplicate key (409 `duplicate_order`). */
  source: z.object({
    system: z.string().check(z.minLength(1), z.maxLength(64)),
    /** The Oro order id. */
    orderId: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
  /** When the order was placed (ISO 8601). */
  orderedAt: z.optional(z.nullable(z.string())),
  customer: z.object({
    /** Oro customer id. */
    id: z.string().check(z.minLength(1)),
    /** The ERP's own customer number when the shop knows it (Oro customer `externalId`). */
    externalId: z.optional(z.nullable(z.string())),
    name: z.string().check(z.minLength(1)),
    email: z.optional(z.nullable(z.string())),
  }),
  billingAddress: z.optional(z.nullable(ErpAddressSchema)),
  shippingAddress: z.optional(z.nullable(ErpAddressSchema)),
  /** ISO 4217. */
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "USD"')),
  totals: z.object({ subtotal: DecimalStringSchema, total: DecimalStringSchema }),
  lines: z.array(ErpOrderLineSchema).check(z.minLength(1)),
  notes: z.optional(z.nullable(z.string())),
});
export type ErpOrder = z.infer<typeof ErpOrderSchema>;

/** Body of a 201 (created) or 200 (idempotent replay) answer to `POST /orders`. */
export const ErpOrderAcceptedSchema = z.object({
  orderNumber: z.string().check(z.minLength(1)),
  status: z.string(),
});

/** One field the ERP rejected (422 `validation_failed`). */
export const ErpFieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export type ErpFieldError = z.infer<typeof ErpFieldErrorSchema>;

/** Every 4xx/5xx body: `{ error: { code, message, fields? } }`; a 409 `duplicate_order` adds `orderNumber`. */
export const ErpErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(ErpFieldErrorSchema)),
  }),
  orderNumber: z.optional(z.string()),
});
export type ErpErrorBody = z.infer<typeof ErpErrorBodySchema>;

/** Error codes of the contract. */
export const ErpErrorCode = {
  unauthorized: "unauthorized",
  validationFailed: "validation_failed",
  duplicateOrder: "duplicate_order",
  idempotencyKeyMissing: "idempotency_key_missing",
  idempotencyKeyReused: "idempotency_key_reused",
  requestInProgress: "request_in_progress",
  invalidQuery: "invalid_query",
  notFound: "not_found",
  rateLimited: "rate_limited",
} as const;

/**
 * One stock level as `GET /stock` lists it. Parsed per item by the stock connector's mapping (a
 * malformed level fails alone), so the page schema keeps items loose.
 */
export interface ErpStockLevel {
  sku: string;
  unit: string;
  /** Available quantity, a decimal string. */
  quantity: string;
  /** ERP warehouse code, when the ERP keeps stock per warehouse. */
  warehouse?: string | null;
  /** Last change (ISO 8601, UTC). */
  updatedAt: string;
}

/** Body of `GET /stock`: a page of levels ordered by `(updatedAt, sku, unit, warehouse)` and the next cursor. */
export const ErpStockPageSchema = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  nextCursor: z.optional(z.nullable(z.string())),
});
export type ErpStockPage = z.infer<typeof ErpStockPageSchema>;

/** Page size the connector asks for by default, and the contract's maximum. */
export const DEFAULT_STOCK_PAGE_LIMIT = 200;
export const MAX_STOCK_PAGE_LIMIT = 1000;
