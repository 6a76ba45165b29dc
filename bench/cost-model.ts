/**
 * AWS unit prices (us-east-1, public on-demand list prices, no free tier) and the cost of one
 * million records from measured usage per record. The prices are the ones the author knows from
 * the pages below as of {@link PRICES_AS_OF}; this machine cannot reach the web, so they were not
 * re-read on the day of the run. Check them on the pages before budgeting.
 */
export const PRICES_AS_OF = "2025-06 (pages not re-checked on 2026-12-01: no web access)";

export const PRICES = {
  lambdaGbSecondArm: { label: "Lambda duration arm64", usd: 0.0000133334, per: "GB-second", url: "https://aws.amazon.com/lambda/pricing/" },
  lambdaRequest: { label: "Lambda requests", usd: 0.2, per: "1M requests", url: "https://aws.amazon.com/lambda/pricing/" },
  sqsRequest: { label: "SQS standard requests", usd: 0.4, per: "1M requests (64 KB chunks)", url: "https://aws.amazon.com/sqs/pricing/" },
  secretsCall: { label: "Secrets Manager API calls", usd: 0.05, per: "10,000 calls", url: "https://aws.amazon.com/secrets-manager/pricing/" },
  dynamoWrite: { label: "DynamoDB on-demand writes", usd: 0.625, per: "1M write request units", url: "https://aws.amazon.com/dynamodb/pricing/on-demand/" },
  dynamoRead: { label: "DynamoDB on-demand reads", usd: 0.125, per: "1M read request units", url: "https://aws.amazon.com/dynamodb/pricing/on-demand/" },
  logsIngestGb: { label: "CloudWatch Logs ingestion (standard)", usd: 0.5, per: "GB", url: "https://aws.amazon.com/cloudwatch/pricing/" },
} as const;

/** Usage per record, as measured. */
export interface UsagePerRecord {
  gbSeconds: number;
  invocations: number;
  /** Billed SQS requests (each 64 KB of payload counts as one). */
  sqsRequests: number;
  secretReads: number;
  dynamoWrites: number;
  dynamoReads: number;
  /** Bytes ingested into CloudWatch Logs (function output plus Lambda's own lines). */
  logBytes: number;
}

/** USD per 1,000,000 records, by service. */
export const costPerMillion = (u: UsagePerRecord) => {
  const m = 1_000_000;
  const lambda = u.gbSeconds * m * PRICES.lambdaGbSecondArm.usd + u.invocations * PRICES.lambdaRequest.usd;
  const sqs = u.sqsRequests * PRICES.sqsRequest.usd;
  const secrets = ((u.secretReads * m) / 10_000) * PRICES.secretsCall.usd;
  const dynamo = u.dynamoWrites * PRICES.dynamoWrite.usd + u.dynamoReads * PRICES.dynamoRead.usd;
  const logs = ((u.logBytes * m) / 1e9) * PRICES.logsIngestGb.usd;
  return { lambda, sqs, secrets, dynamo, logs, total: lambda + sqs + secrets + dynamo + logs };
};
