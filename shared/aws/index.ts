export { resetAwsClients, secretsManagerClient, sqsClient } from "./clients";
