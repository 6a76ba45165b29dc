import { secretsManagerClient } from "../aws";
import { SecretStore } from "./secret-store";

export { DEFAULT_MIN_REFRESH_INTERVAL_MS, DEFAULT_SECRETS_TTL_MS, SecretStore } from "./secret-store";
export type { SecretStoreOptions } from "./secret-store";

let shared: SecretStore | undefined;

/** The container's secret store (TTL from env SECRETS_TTL_SECONDS). */
export const secretStore = (): SecretStore =>
  (shared ??= new SecretStore({
    client: secretsManagerClient,
    ...(process.env.SECRETS_TTL_SECONDS ? { ttlMs: Number(process.env.SECRETS_TTL_SECONDS) * 1000 } : {}),
  }));

/** For tests: forget the shared store. */
export const resetSecretStore = (): void => {
  shared = undefined;
};
