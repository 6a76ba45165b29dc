import type * as SecretsManagerSdk from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type * as DynamoDbSdk from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type * as SqsSdk from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";

/**
 * The SDK clients, one per container, loaded on first use. Loading the SDK lazily keeps its
 * module initialisation out of the Lambda init phase; the SQS client is needed only when a record
 * fails, fans out or raises an event, so a clean invocation never loads it at all.
 *
 * An explicit endpoint is passed when `AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL_SECRETS_MANAGER` /
 * `AWS_ENDPOINT_URL_DYNAMODB` is set, because the SQS client otherwise sends each call to its queue
 * URL's host, and local queue URLs (`sqs.<region>.localhost`) do not resolve (docs/reference/toolchain.md §2).
 */
let sqsSdk: Promise<typeof SqsSdk> | undefined;
let secretsManagerSdk: Promise<typeof SecretsManagerSdk> | undefined;
let dynamoDbSdk: Promise<typeof DynamoDbSdk> | undefined;
let sqs: SQSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
let dynamoDb: DynamoDBClient | undefined;

export const loadSqsSdk = (): Promise<typeof SqsSdk> => (sqsSdk ??= import("@aws-sdk/client-sqs"));
export const loadSecretsManagerSdk = (): Promise<typeof SecretsManagerSdk> => (secretsManagerSdk ??= import("@aws-sdk/client-secrets-manager"));

export const loadDynamoDbSdk = (): Promise<typeof DynamoDbSdk> => (dynamoDbSdk ??= import("@aws-sdk/client-dynamodb"));

export const sqsClient = async (): Promise<SQSClient> => {
  const { SQSClient } = await loadSqsSdk();
  return (sqs ??= new SQSClient({ ...(process.env.AWS_ENDPOINT_URL_SQS ? { endpoint: process.env.AWS_ENDPOINT_URL_SQS } : {}), maxAttempts: 3 }));
};

export const secretsManagerClient = async (): Promise<SecretsManagerClient> => {
  const { SecretsManagerClient } = await loadSecretsManagerSdk();
  return (secretsManager ??= new SecretsManagerClient({
    ...(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ? { endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER } : {}),
    maxAttempts: 3,
  }));
};

/** The DynamoDB client (the state table, shared/state); only the webhook ingress uses it today. */
export const dynamoDbClient = async (): Promise<DynamoDBClient> => {
  const { DynamoDBClient } = await loadDynamoDbSdk();
  return (dynamoDb ??= new DynamoDBClient({ ...(process.env.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB } : {}), maxAttempts: 3 }));
};

/** For tests and the local stack: drop cached clients so new endpoints take effect. */
export const resetAwsClients = (): void => {
  sqs?.destroy();
  secretsManager?.destroy();
  dynamoDb?.destroy();
  sqs = undefined;
  secretsManager = undefined;
  dynamoDb = undefined;
};
