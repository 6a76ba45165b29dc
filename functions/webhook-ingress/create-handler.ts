import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from "aws-lambda";
import { errorCode } from "../../shared/errors";
import { createMetrics, createRootLogger, InvocationMetrics, withKeys } from "../../shared/observability";
import { type ContainerServices, createContainerServices, lambdaContextLogging, publishMetrics } from "../../shared/runtime";
import { StateTable } from "../../shared/state";
import { type IngressConfig, readIngressConfig } from "./config";
import { receiveWebhook } from "./receive";
import { ReloadGate } from "./reload-gate";
import { WebhookSecretSchema } from "./signature";

/** Options of {@link createIngressHandler}. */
export interface IngressHandlerOptions {
  /** Environment to read the config from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Values that win over the environment (local stack, tests). */
  overrides?: Partial<IngressConfig>;
}

/**
 * The webhook ingress Lambda behind a Function URL: verifies Oro's `Webhook-Signature`, checks the
 * body, and forwards it unchanged to the connector queue of its topic (see README.md here).
 * A failure nobody planned for answers 503 (Oro retries) rather than letting Lambda answer 502.
 *
 * @example
 * // functions/webhook-ingress/handler.ts
 * export const handler = createIngressHandler();
 */
export const createIngressHandler = (options: IngressHandlerOptions = {}) => {
  const logger = createRootLogger("webhook-ingress");
  const metrics = new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress" }));
  const log = withKeys(logger, {});
  let ready: { config: IngressConfig; services: ContainerServices; reloadGate: ReloadGate; state: StateTable | undefined } | undefined;

  const handle = async (event: LambdaFunctionURLEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      if (!ready) {
        const env = options.env ?? process.env;
        const config = readIngressConfig(env, options.overrides);
        const services = createContainerServices(env);
        ready = {
          config,
          services,
          reloadGate: new ReloadGate(config.secretReloadSeconds * 1000),
          state: config.stateTableName ? new StateTable({ tableName: config.stateTableName, client: () => services.aws.dynamoDb() }) : undefined,
        };
      }
      const { config, services, reloadGate, state } = ready;
      const secretName = config.secretName;
      return await receiveWebhook(event, {
        config,
        sqs: () => services.aws.sqs(),
        secret: (opts) => services.secrets.get(secretName, WebhookSecretSchema, opts),
        logger: log,
        metrics,
        reloadGate,
        state,
      });
    } catch (error) {
      metrics.count("WebhooksUnavailable");
      logger.error("webhook ingress failed: answering 503 so Oro retries", { code: errorCode(error), error });
      return {
        statusCode: 503,
        headers: { "content-type": "application/json", "retry-after": "30" },
        body: JSON.stringify({ error: "temporarily unavailable" }),
      };
    }
  };

  return middy<LambdaFunctionURLEvent, APIGatewayProxyStructuredResultV2, Error, Context>(handle)
    .use(lambdaContextLogging(logger))
    .use(publishMetrics(() => metrics));
};
