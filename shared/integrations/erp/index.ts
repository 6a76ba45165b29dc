/**
 * The generic REST ERP integration: contract schemas, settings, client and typed errors.
 * Contract: docs/erp-contract.md; local double: sandboxes/erp.
 */
export {
  DEFAULT_STOCK_PAGE_LIMIT,
  DecimalStringSchema,
  ErpAddressSchema,
  ErpErrorBodySchema,
  ErpErrorCode,
  ErpFieldErrorSchema,
  ErpOrderAcceptedSchema,
  ErpOrderLineSchema,
  ErpOrderSchema,
  ErpStockPageSchema,
  MAX_STOCK_PAGE_LIMIT,
} from "./contract";
export type { ErpAddress, ErpErrorBody, ErpFieldError, ErpOrder, ErpOrderLine, ErpStockLevel, ErpStockPage } from "./contract";
export { ErpClient } from "./client";
export type { ErpClientOptions, ErpOrderOutcome, ErpStockQuery } from "./client";
export { ErpAuthError, ErpIdempotencyConflictError, ErpRequestError, ErpResponseError, ErpValidationError } from "./errors";
export { erpIntegration } from "./integration";
export { ErpSettingsSchema } from "./settings";
export type { ErpSettings } from "./settings";
