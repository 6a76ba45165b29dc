import type * as SecretsManagerSdk from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type * as DynamoDbSdk from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type * as SqsSdk from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";

// The SDK modules, imported on first use. Loading the SDK lazily keeps its module initialisation
// out of the Lambda init phase; the SQS client is needed only when a record fails, fans out or
// raises an event, so a clean invocation never loads it at all. A module is code, not state: one
// import per process is right whatever the instances.
let sqsSdk: Promise<typeof SqsSdk> | undefined;
let secretsManagerSdk: Promise<typeof SecretsManagerSdk> | undefined;
let dynamoDbSdk: Promise<typeof DynamoDbSdk> | undefined;

export const loadSqsSdk = (): Promise<typeof SqsSdk> => (sqsSdk ??= import("@aws-sdk/client-sqs"));
export const loadSecretsManagerSdk = (): Promise<typeof SecretsManagerSdk> => (secretsManagerSdk ??= import("@aws-sdk/client-secrets-manager"));
export const loadDynamoDbSdk = (): Promise<typeof DynamoDbSdk> => (dynamoDbSdk ??= import("@aws-sdk/client-dynamodb"));

/**
 * The AWS SDK clients of one Lambda container, each created on first use and reused while the
 * container is warm. A handler builds one on its first invocation; a test or the local stack
 * builds a new one (a new "container") after pointing the endpoints elsewhere.
 *
 * An explicit endpoint is passed when `AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL_SECRETS_MANAGER` /
 * `AWS_ENDPOINT_URL_DYNAMODB` is set in `env` when the client is first used, because the SQS client
 * otherwise sends each call to its queue URL's host, and local queue URLs (`sqs.<region>.localhost`)
 * do not resolve (docs/reference/toolchain.md §2).
 */
export class AwsClients {
  private sqsClient: SQSClient | undefined;
  private secretsManagerClient: SecretsManagerClient | undefined;
  private dynamoDbClient: DynamoDBClient | undefined;

  /** @param env - Where the endpoint variables are read. @default process.env */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async sqs(): Promise<SQSClient> {
    const { SQSClient } = await loadSqsSdk();
    return (this.sqsClient ??= new SQSClient({ ...this.endpoint("AWS_ENDPOINT_URL_SQS"), maxAttempts: 3 }));
  }

  async secretsManager(): Promise<SecretsManagerClient> {
    const { SecretsManagerClient } = await loadSecretsManagerSdk();
    return (this.secretsManagerClient ??= new SecretsManagerClient({ ...this.endpoint("AWS_ENDPOINT_URL_SECRETS_MANAGER"), maxAttempts: 3 }));
  }

  /** The DynamoDB client (the state table, shared/state). */
  async dynamoDb(): Promise<DynamoDBClient> {
    const { DynamoDBClient } = await loadDynamoDbSdk();
    return (this.dynamoDbClient ??= new DynamoDBClient({ ...this.endpoint("AWS_ENDPOINT_URL_DYNAMODB"), maxAttempts: 3 }));
  }

  /** Closes the clients made so far (their sockets); the next call makes new ones. */
  destroy(): void {
    this.sqsClient?.destroy();
    this.secretsManagerClient?.destroy();
    this.dynamoDbClient?.destroy();
    this.sqsClient = undefined;
    this.secretsManagerClient = undefined;
    this.dynamoDbClient = undefined;
  }

  private endpoint(name: string): { endpoint?: string } {
    const url = this.env[name];
    return url ? { endpoint: url } : {};
  }
}

let processClients: AwsClients | undefined;

/**
 * The process's clients, for code that runs once per process and builds no container of its own
 * (the ops CLI). Handlers build their own {@link AwsClients} per container.
 */
export const defaultAwsClients = (): AwsClients => (processClients ??= new AwsClients());

/** Shortcut: the SQS client of {@link defaultAwsClients}. */
export const sqsClient = (): Promise<SQSClient> => defaultAwsClients().sqs();
/** Shortcut: the Secrets Manager client of {@link defaultAwsClients}. */
export const secretsManagerClient = (): Promise<SecretsManagerClient> => defaultAwsClients().secretsManager();
/** Shortcut: the DynamoDB client of {@link defaultAwsClients}. */
export const dynamoDbClient = (): Promise<DynamoDBClient> => defaultAwsClients().dynamoDb();
