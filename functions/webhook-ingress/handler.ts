/**
 * PLACEHOLDER written by infra (issue 4) so `cdk synth` has an entry to bundle; the ingress's
 * owner replaces this file. It verifies nothing and enqueues nothing: it answers 503, which Oro
 * treats as "retry later" (a 410 would make Oro delete the webhook).
 */
import type { APIGatewayProxyResultV2, LambdaFunctionURLEvent } from "aws-lambda";

const env = {
  webhookSecretName: process.env.WEBHOOK_SECRET_NAME,
  routes: Object.keys(JSON.parse(process.env.WEBHOOK_ROUTES ?? "{}") as Record<string, string>),
};

export const handler = async (_event: LambdaFunctionURLEvent): Promise<APIGatewayProxyResultV2> => {
  console.warn("webhook-ingress placeholder: not accepting webhooks yet", env);
  return { statusCode: 503, body: "not ready" };
};
