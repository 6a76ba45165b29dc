export { AwsClients, defaultAwsClients, dynamoDbClient, loadDynamoDbSdk, loadSecretsManagerSdk, loadSqsSdk, secretsManagerClient, sqsClient } from "./clients";
export { fifoDeduplicationId, SQS_BATCH_MAX_BYTES, SQS_BATCH_MAX_ENTRIES, SQS_MAX_MESSAGE_BYTES, sqsEntryBytes, sqsSendBatches } from "./sqs-batches";
export type { SizedEntry } from "./sqs-batches";
