/**
 * A double of the generic ERP REST contract (docs/erp-contract.md): orders with Idempotency-Key
 * semantics, cursor-paged stock, the shared sandbox controls. See README.md.
 */
export { DEFAULT_ERP_API_KEY, startErpSandbox } from "./start";
export type { ErpAdminClient, ErpSandbox, ErpSandboxOptions } from "./start";
export type { StockSeedRequest } from "./admin";
export { ErpState, fingerprint, stockKey } from "./state";
export type { ErpBehaviour, ErpOrderRecord, IdempotencyRecord, OrderRequestLogEntry } from "./state";
