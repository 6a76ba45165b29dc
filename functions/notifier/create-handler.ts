import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createMetrics, createRootLogger, InvocationMetrics } from "../../shared/observability";
import { createOroClient, OroConnectionSchema, type OroClient, type OroClientOptions } from "../../shared/oro";
import { createContainerServices, lambdaContextLogging, publishMetrics, QueueActions } from "../../shared/runtime";
import { StateLeases } from "../../shared/state";
import { AlertKeyLeases } from "./alert-lease";
import { AlertStore } from "./alert-store";
import { type NotifierConfig, readNotifierConfig } from "./config";
import { processNotifierBatch } from "./process-batch";

/** Options of {@link createNotifierHandler}. */
export interface NotifierHandlerOptions {
  /** Environment to read the config from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Values that win over the environment (local stack, tests). */
  overrides?: Partial<NotifierConfig>;
  /** Oro client settings, e.g. a shorter in-call retry in tests. @default the client's defaults */
  oro?: Omit<OroClientOptions, "getConnection">;
  /** Random source for backoff jitter, for tests. @default Math.random */
  random?: () => number;
}

/**
 * The notifier Lambda: consumes the alerts queue (FailureEvent / RecoveryEvent) and keeps Oro's
 * notification alerts in step (docs/alert-contract.md), with partial batch responses, one writer per
 * alert key through leases in the state table (alert-lease.ts). Config, the Oro client (connection from the `ORO_SECRET_NAME` secret, cached with a TTL and reloaded once
 * after a 401) and the SQS helpers are built on the first invocation and reused while warm.
 *
 * @example
 * // functions/notifier/handler.ts
 * export const handler = createNotifierHandler();
 */
export const createNotifierHandler = (options: NotifierHandlerOptions = {}) => {
  const logger = createRootLogger("notifier");
  let state: { config: NotifierConfig; store: AlertStore; keys: AlertKeyLeases; actions: QueueActions; metrics: InvocationMetrics } | undefined;

  const init = () => {
    const env = options.env ?? process.env;
    const config = readNotifierConfig(env, options.overrides);
    const { aws, secrets } = createContainerServices(env);
    let oro: OroClient | undefined;
    const getOro = () => (oro ??= createOroClient({ ...options.oro, getConnection: (opts) => secrets.get(config.oroSecretName, OroConnectionSchema, opts) }));
    // The runtime's SQS helper for the DLQ and visibility; no alerts queue: the notifier consumes it and must not feed it.
    const actions = new QueueActions(() => aws.sqs(), {
      queueUrl: config.queueUrl,
      dlqUrl: config.dlqUrl,
      alertsQueueUrl: undefined,
      fifo: false,
      connector: "notifier",
      integration: "notifier",
    });
    const keys = new AlertKeyLeases({ leases: new StateLeases({ tableName: config.stateTableName, client: () => aws.dynamoDb() }) });
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "notifier" }));
    return { config, store: new AlertStore(getOro), keys, actions, metrics };
  };

  const batchHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    state ??= init();
    return processNotifierBatch(event, context, { ...state, logger, ...(options.random ? { random: options.random } : {}) });
  };

  // The batch processor keeps its own deadline (keys not started are reported failed), so
  // middy's early timeout, which would fail every record, is off.
  return middy<SQSEvent, SQSBatchResponse, Error, Context>(batchHandler, { timeoutEarlyInMillis: 0 })
    .use(lambdaContextLogging(logger))
    .use(publishMetrics(() => state?.metrics));
};
