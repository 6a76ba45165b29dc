/**
 * A faithful in-memory double of Oro 6.1's back-office JSON:API (plus the project's
 * `notificationalerts` contract and 6.1.10+ webhooks). See README.md for what is reproduced and why.
 */
export { startOroSandbox } from "./start";
export type { AsyncEndRequest, OroAdminClient, OroSandbox, OroSandboxOptions } from "./start";
export type { SeedOrderRequest, SeedRequest } from "./admin";
export type { OAuthClient } from "./auth";
export type { AsyncOperationError } from "./api";
export { OroStore } from "./model";
export type { Ref, ResourceDef, StoredRecord } from "./model";
export { ORO_RESOURCES } from "./resources";
export type { SeedProduct } from "./seed";
export type { DeliveryLogEntry, WebhookRetryOptions } from "./webhooks";
export { SandboxAcl } from "./acl";
export type { DeniedPermission, Permission } from "./acl";
export { sandboxCaller } from "./testing";
export type { RawResponse } from "./testing";
export type { SandboxSyncProcessor, SyncJob, SyncJobInput } from "./integration-sync";
