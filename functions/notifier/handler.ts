/**
 * PLACEHOLDER written by infra (issue 4) so `cdk synth` has an entry to bundle; the notifier's
 * owner replaces this file. It posts nothing: it reports every record as failed, so alert
 * events stay on the alerts queue and end in the alerts DLQ (alarmed) instead of being dropped.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";

const env = {
  oroSecretName: process.env.ORO_SECRET_NAME,
  queueUrl: process.env.QUEUE_URL,
  dlqUrl: process.env.DLQ_URL,
};

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  console.warn("notifier placeholder: no alert is posted yet", { records: event.Records.length, ...env });
  return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
};
