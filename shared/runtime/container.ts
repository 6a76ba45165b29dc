import { AwsClients } from "../aws";
import { createSecretStore, type SecretStore } from "../secrets";

/**
 * What one Lambda container owns: its AWS SDK clients and its secret store (the Oro and
 * integration clients, which own their token caches, are built on them). A handler makes these on
 * its first invocation and reuses them while warm; the HTTP sockets and the redaction registry are
 * the process's (`defaultHttpTransport`, `defaultRedactor`), which in Lambda is the container too.
 */
export interface ContainerServices {
  aws: AwsClients;
  secrets: SecretStore;
}

/** New {@link ContainerServices}: endpoints from `process.env` (where the SDK looks), the secrets TTL from the function's `env`. */
export const createContainerServices = (env: NodeJS.ProcessEnv = process.env): ContainerServices => {
  const aws = new AwsClients();
  return { aws, secrets: createSecretStore(aws, env) };
};
