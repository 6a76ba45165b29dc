export { loadSecretsManagerSdk, loadSqsSdk, resetAwsClients, secretsManagerClient, sqsClient } from "./clients";
