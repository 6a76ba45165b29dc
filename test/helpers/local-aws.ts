import { CreateQueueCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startFauxqs, type FauxqsServer } from "fauxqs";
import { AwsClients } from "../../shared/aws";
import { createSecretStore, type SecretStore } from "../../shared/secrets";
import { type LocalSecretsManager, startLocalSecretsManager } from "../../local-stack/secrets-manager";
import { type LocalDynamoDb, startLocalDynamoDb } from "../../local-stack/dynamodb";

export interface ConnectorQueues {
  queueUrl: string;
  dlqUrl: string;
}

export interface LocalAws {
  sqs: SQSClient;
  /** The SDK clients of one "container" on these endpoints, as a handler builds them (shared/aws). */
  clients: AwsClients;
  /** A secret store on {@link clients}, as a handler builds it (shared/secrets). */
  secretStore: SecretStore;
  fauxqs: FauxqsServer;
  secrets: LocalSecretsManager;
  /** dynalite, for the state table (`dynamodb.createStateTable(name)`). */
  dynamodb: LocalDynamoDb;
  /** Creates a connector queue with its DLQ and redrive policy. */
  createConnectorQueues(name: string, options?: { maxReceiveCount?: number; fifo?: boolean }): Promise<ConnectorQueues>;
  createQueue(name: string): Promise<string>;
  send(queueUrl: string, body: string, options?: { groupId?: string; dedupId?: string }): Promise<string>;
  /** Receives every visible message (with attributes) without deleting it; they stay in flight for `visibility` s. */
  drain(queueUrl: string, visibility?: number): Promise<Message[]>;
  stop(): Promise<void>;
}

/**
 * Real local services for integration tests: fauxqs (SQS) in-process and the local Secrets
 * Manager endpoint, both on 127.0.0.1, with the SDK endpoints pointed at them through env vars
 * (exactly how the runtime finds them in the local stack). A handler created after this builds
 * its container's clients on these endpoints; nothing cached needs resetting.
 */
export const startLocalAws = async (): Promise<LocalAws> => {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: "127.0.0.1" });
  const secrets = await startLocalSecretsManager();
  const dynamodb = await startLocalDynamoDb();
  process.env.AWS_ENDPOINT_URL_SQS = fauxqs.address;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.url;
  const clients = new AwsClients();
  const sqs = new SQSClient({ endpoint: fauxqs.address, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

  const createQueue = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl as string;

  return {
    sqs,
    clients,
    secretStore: createSecretStore(clients),
    fauxqs,
    secrets,
    dynamodb,
    createQueue: (name) => createQueue(name),
    async createConnectorQueues(name, options = {}) {
      const suffix = options.fifo ? ".fifo" : "";
      const fifoAttributes: Record<string, string> = options.fifo ? { FifoQueue: "true" } : {};
      const dlqUrl = await createQueue(`${name}-dlq${suffix}`, fifoAttributes);
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
      const queueUrl = await createQueue(`${name}${suffix}`, {
        ...fifoAttributes,
        VisibilityTimeout: "30",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      });
      return { queueUrl, dlqUrl };
    },
    async send(queueUrl, body, options = {}) {
      const result = await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          ...(options.groupId ? { MessageGroupId: options.groupId, MessageDeduplicationId: options.dedupId ?? crypto.randomUUID() } : {}),
        }),
      );
      return result.MessageId as string;
    },
    async drain(queueUrl, visibility = 60) {
      const all: Message[] = [];
      for (let i = 0; i < 100; i++) {
        const batch = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: visibility,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
          }),
        );
        if (!batch.Messages?.length) break;
        all.push(...batch.Messages);
      }
      return all;
    },
    async stop() {
      sqs.destroy();
      clients.destroy();
      await secrets.stop();
      await dynamodb.stop();
      await fauxqs.stop();
    },
  };
};
