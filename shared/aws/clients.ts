import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";

/**
 * One SDK client per container, created on first use. An explicit endpoint is passed when
 * `AWS_ENDPOINT_URL_SQS` is set, because the SQS client otherwise sends each call to its queue
 * URL's host, and local queue URLs (`sqs.<region>.localhost`) do not resolve (toolchain.md 2).
 */
let sqs: SQSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;

export const sqsClient = (): SQSClient =>
  (sqs ??= new SQSClient({
    ...(process.env.AWS_ENDPOINT_URL_SQS ? { endpoint: process.env.AWS_ENDPOINT_URL_SQS } : {}),
    maxAttempts: 3,
  }));

export const secretsManagerClient = (): SecretsManagerClient =>
  (secretsManager ??= new SecretsManagerClient({
    ...(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ? { endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER } : {}),
    maxAttempts: 3,
  }));

/** For tests and the local stack: drop cached clients so new endpoints take effect. */
export const resetAwsClients = (): void => {
  sqs?.destroy();
  secretsManager?.destroy();
  sqs = undefined;
  secretsManager = undefined;
};
