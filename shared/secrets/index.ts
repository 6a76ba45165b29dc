import { defaultAwsClients } from "../aws";
import type { AwsClients } from "../aws";
import { SecretStore } from "./secret-store";

export { DEFAULT_MIN_REFRESH_INTERVAL_MS, DEFAULT_SECRETS_TTL_MS, SecretStore } from "./secret-store";
export type { SecretStoreOptions } from "./secret-store";

/**
 * A container's secret store on `aws`'s Secrets Manager client, its TTL from `SECRETS_TTL_SECONDS`
 * in `env`. A handler makes one on its first invocation and keeps it while warm.
 */
export const createSecretStore = (aws: AwsClients, env: NodeJS.ProcessEnv = process.env): SecretStore =>
  new SecretStore({
    client: () => aws.secretsManager(),
    ...(env.SECRETS_TTL_SECONDS ? { ttlMs: Number(env.SECRETS_TTL_SECONDS) * 1000 } : {}),
  });

let processStore: SecretStore | undefined;

/** The process's store on {@link defaultAwsClients}, for code that builds no container of its own (the ops CLI). */
export const secretStore = (): SecretStore => (processStore ??= createSecretStore(defaultAwsClients()));
