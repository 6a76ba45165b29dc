import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { type Connector, type MessageSchemas, parseConnectorSettings, type SettingsSchema } from "../connector";
import { ConfigurationError } from "../errors";
import { createMetrics, createRootLogger, InvocationMetrics } from "../observability";
import { RunLedger, type RunFinishedListener } from "../ledger";
import { createOroClient, OroConnectionSchema, type OroClient } from "../oro";
import * as z from "zod/mini";
import type { SecretStore } from "../secrets";
import { createContainerServices } from "./container";
import { type RuntimeConfig, readRuntimeConfig } from "./config";
import { withInvocationObservability } from "./middlewares";
import { type BatchDependencies, processBatch, writesDebug } from "./process-batch";
import { type SealKeySource, sealKeyOf } from "./attribute-seal";
import { QueueActions } from "./queue-actions";
import { RunTracker } from "./run-tracking";
import { reportRunStatus } from "./run-status-report";

export interface ConnectorHandlerOptions {
  /** Environment to read the runtime config from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Values that win over the environment (local stack, tests). */
  overrides?: Partial<RuntimeConfig>;
  /** Random source for backoff jitter, for tests. @default Math.random */
  random?: () => number;
  /**
   * Told once per outcome a run reaches (docs/ledger.md). @default reportRunStatus: the run's
   * status to Oro (shared/runtime/run-status-report.ts)
   */
  onRunFinished?: (oro: () => OroClient) => RunFinishedListener;
}

/** Any JSON: the seal key is derived from the secret as stored, whatever the connector's schema. */
const AnySecret = z.unknown();

/**
 * The DLQ attribute seal key of a connector: derived from its integration secret (else the Oro
 * secret), which the runtime and the ops CLI read and producers cannot (attribute-seal.ts).
 */
export const sealKeySource = (config: Pick<RuntimeConfig, "integrationSecretName" | "oroSecretName">, secrets: SecretStore): SealKeySource => {
  const name = config.integrationSecretName ?? config.oroSecretName;
  let cached: { value: unknown; key: Buffer } | undefined;
  return async () => {
    if (!name) return undefined;
    const value = await secrets.get(name, AnySecret);
    if (cached?.value !== value) cached = { value, key: sealKeyOf(value) };
    return cached?.key;
  };
};

/**
 * The Lambda handler for one connector: the batch processor with the Lambda context in its logs
 * and its metrics published once per invocation (withInvocationObservability: no middy, see
 * there). Config (with the connector's settings parsed by its schema, and its `prepare`
 * run), the container's services (container.ts), the Oro client and the connector's integration
 * client are built on the first invocation and reused while the container is warm.
 *
 * @example
 * // functions/akeneo-products/handler.ts
 * export const handler = createConnectorHandler(akeneoProducts);
 */
export const createConnectorHandler = <C, M extends MessageSchemas, S extends SettingsSchema, P>(
  connector: Connector<C, M, S, P>,
  options: ConnectorHandlerOptions = {},
) => {
  const logger = createRootLogger(connector.type);
  let state: BatchDependencies<C, M> | undefined;

  const init = () => {
    const env = options.env ?? process.env;
    const raw = readRuntimeConfig(env, options.overrides);
    const { aws, secrets } = createContainerServices(env);
    // Settings are parsed (and the connector's derived state built) once per container.
    const settings = parseConnectorSettings(connector.type, connector.settings, raw.settings);
    const config: RuntimeConfig = { ...raw, settings };
    const prepared = connector.prepare?.(settings);
    const sealKey = sealKeySource(config, secrets);
    const actions = new QueueActions(() => aws.sqs(), { ...config }, sealKey);
    const metrics = new InvocationMetrics(
      createMetrics({ serviceName: connector.type, dimensions: { connector: connector.type, integration: config.integration } }),
    );
    let client: C | undefined;
    const getClient = () => {
      if (client === undefined) {
        const secretName = config.integrationSecretName;
        client = connector.integrationType.createClient(async (opts) => {
          if (!secretName)
            throw new ConfigurationError(`connector ${connector.type} needs INTEGRATION_SECRET_NAME: set the integration's secretName in the deploy config`);
          return secrets.get(secretName, connector.integrationType.settings, opts);
        }) as C;
      }
      return client;
    };
    let oro: OroClient | undefined;
    const getOro = () =>
      (oro ??= createOroClient({
        getConnection: async (opts) => {
          if (!config.oroSecretName) throw new ConfigurationError(`connector ${connector.type} needs ORO_SECRET_NAME: set oroSecretName in the deploy config`);
          return secrets.get(config.oroSecretName, OroConnectionSchema, opts);
        },
      }));
    const runs = config.stateTableName
      ? new RunTracker(
          new RunLedger({
            tableName: config.stateTableName,
            client: () => aws.dynamoDb(),
            onFinished: (options.onRunFinished ?? reportRunStatus(logger))(getOro),
          }),
          { integration: config.integration, connector: connector.type },
          connector.ledger,
        )
      : undefined;
    // The batch's dependencies, one object per container (not spread again per invocation).
    // The root logger's level is fixed for the container: Powertools sets it at construction (level
    // variables, sampling) and only setLogLevel/refreshSampleRateCalculation change it, which
    // nothing calls on this private logger. Read once here, not per invocation (an env read each).
    const debug = writesDebug(logger);
    return {
      connector,
      logger,
      random: options.random ?? Math.random,
      config,
      prepared,
      actions,
      metrics,
      client: getClient,
      oro: getOro,
      sealKey,
      runs,
      debug,
    };
  };

  // Not async: withInvocationObservability awaits it inside its try, where a throw of init() and a
  // rejection end the same way, without one more promise and await per invocation.
  const batchHandler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    state ??= init();
    return processBatch(event, context, state);
  };

  // The runtime keeps its own deadline (records not started are reported failed, in-flight calls
  // are aborted), so there is no early timeout that would fail every record.
  return withInvocationObservability<SQSEvent, SQSBatchResponse>(logger, () => state?.metrics, batchHandler);
};
