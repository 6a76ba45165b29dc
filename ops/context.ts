import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { connectors as registryConnectors } from "../functions/registry";
import { DeployConfigError, loadDeployConfig, resolveConnectorSettings, resolveShared } from "../infra/config";
import type { ConnectorRegistry, DeployConfig, IntegrationConfig, ResolvedConnector, ResolvedShared } from "../infra/config";
import type { AnyConnector } from "../shared/connector";
import { SecretStore } from "../shared/secrets";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RunLedger } from "../shared/ledger";
import { stateTableName } from "../infra/plan";
import { awsErrorName, OpsFailureError, UsageError, wrapAwsError } from "./errors";
import { LOCAL_CREDENTIALS, readLocalEndpoints } from "./local";
import type { LocalEndpoints } from "./local";

/** The default deploy config, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = "deploy.config.json";

/** How to build an {@link OpsContext}. */
export interface ContextOptions {
  /** Deploy config path. Default: the local stack's `configPath` under `--local`, else `deploy.config.json`. */
  configPath?: string;
  /** Use the running local stack: `true` reads `.local-stack/endpoints.json`; an object gives the endpoints. */
  local?: boolean | LocalEndpoints;
  /** Path of the endpoints file when `local` is `true`. Default `.local-stack/endpoints.json`. */
  endpointsPath?: string;
  /** Environment (AWS_REGION, AWS_DEFAULT_REGION). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Connectors the config may enable. Default functions/registry.ts. */
  registry?: ConnectorRegistry;
}

/** A connector of an integration, as the config resolves it and as the registry declares it. */
export interface ConnectorTarget {
  resolved: ResolvedConnector;

  definition: AnyConnector;
}

/**
 * What every command works with: the deploy config and registry, the SDK clients pointed at AWS
 * or the local stack, and queue URLs resolved by name.
 */
export interface OpsContext {
  config: DeployConfig;
  configPath: string;
  registry: ConnectorRegistry;
  region: string;
  /** The local stack's endpoints under `--local`; `undefined` against AWS. */
  local: LocalEndpoints | undefined;
  sqs: SQSClient;
  secretsManager: SecretsManagerClient;
  secrets: SecretStore;
  shared: ResolvedShared;
  /** Every enabled connector of every integration. */
  connectors: ResolvedConnector[];
  /** Where SQS is, for messages ("the local stack at http://...", "AWS SQS in eu-central-1"). */
  sqsLabel: string;
  integration(name: string): IntegrationConfig;
  connector(integration: string, connector: string): ConnectorTarget;
  queueUrl(name: string): Promise<string>;
  queueArn(url: string): Promise<string>;
  /** The run ledger in the stack's state table (docs/ledger.md), on first use. */
  runLedger(): RunLedger;
  close(): void;
}

const names = (values: readonly string[]) => (values.length ? values.join(", ") : "none");

/**
 * Builds the context: reads the deploy config (exit 2 when it is bad), picks the endpoints
 * (`--local`: the local stack's, with dummy credentials; otherwise the AWS credential chain and
 * region AWS_REGION / AWS_DEFAULT_REGION / the config's `region`).
 */
export const createContext = (options: ContextOptions = {}): OpsContext => {
  const env = options.env ?? process.env;
  const local = options.local === true ? readLocalEndpoints(options.endpointsPath) : options.local || undefined;
  const configPath = options.configPath ?? local?.configPath ?? DEFAULT_CONFIG_PATH;
  const registry = options.registry ?? { connectors: registryConnectors };
  let config: DeployConfig;
  try {
    config = loadDeployConfig(configPath, registry);
  } catch (error) {
    if (error instanceof DeployConfigError)
      throw new UsageError(`${error.message}\n(fix the deploy config, or pass another with --config <path>)`, { cause: error });
    throw error;
  }
  const shared = resolveShared(config);
  const region = local?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? shared.region;
  const sqs = new SQSClient({ region, maxAttempts: 2, ...(local ? { endpoint: local.sqsEndpoint, credentials: LOCAL_CREDENTIALS } : {}) });
  const secretsManager = new SecretsManagerClient({
    region,
    maxAttempts: 2,
    ...(local ? { endpoint: local.secretsManagerEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  // Through ctx, so a test may swap the client.
  const secrets = new SecretStore({ client: async () => ctx.secretsManager });
  const connectors = resolveConnectorSettings(config, registry);
  const sqsLabel = local ? `the local stack's SQS at ${local.sqsEndpoint}` : `AWS SQS in ${region}`;
  const hint = reachHint({ local });
  const urls = new Map<string, Promise<string>>();
  let dynamodb: DynamoDBClient | undefined;
  let ledger: RunLedger | undefined;

  const integration = (name: string): IntegrationConfig => {
    const found = config.integrations.find((i) => i.name === name);
    if (!found) throw new UsageError(`no integration '${name}' in ${configPath} (integrations: ${names(config.integrations.map((i) => i.name))})`);
    return found;
  };

  const ctx: OpsContext = {
    config,
    configPath,
    registry,
    region,
    local,
    sqs,
    secretsManager,
    secrets,
    shared,
    connectors,
    sqsLabel,
    integration,
    connector(integrationName, type) {
      integration(integrationName);
      const resolved = connectors.find((c) => c.integration === integrationName && c.connector === type);
      if (!resolved) {
        const enabled = connectors.filter((c) => c.integration === integrationName).map((c) => c.connector);
        throw new UsageError(`connector '${type}' is not enabled for integration '${integrationName}' in ${configPath} (enabled: ${names(enabled)})`);
      }
      const definition = registry.connectors.find((c) => c.type === type);
      if (!definition) throw new UsageError(`connector '${type}' is not in the registry (functions/registry.ts)`);
      return { resolved, definition };
    },
    queueUrl(name) {
      let url = urls.get(name);
      if (!url) {
        url = ctx.sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
          (result) => result.QueueUrl as string,
          (error: unknown) => {
            const code = awsErrorName(error);
            if (code === "QueueDoesNotExist" || code === "AWS.SimpleQueueService.NonExistentQueue") {
              throw new OpsFailureError(
                `queue '${name}' does not exist in ${sqsLabel}. ${local ? "Start the local stack with this config (`npm start`)" : "Deploy the stack (`npx cdk deploy`)"}, or pass the config it was deployed with (--config).`,
                { cause: error },
              );
            }
            throw wrapAwsError(error, sqsLabel, hint);
          },
        );
        urls.set(name, url);
      }
      return url;
    },
    async queueArn(url) {
      try {
        const result = await ctx.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
        return result.Attributes?.QueueArn as string;
      } catch (error) {
        throw wrapAwsError(error, sqsLabel, hint);
      }
    },
    runLedger() {
      if (!ledger) {
        if (local && !local.dynamodbEndpoint) throw new OpsFailureError("the local stack's endpoints name no DynamoDB: restart it (`npm start`)");
        dynamodb = new DynamoDBClient({
          region,
          maxAttempts: 2,
          ...(local?.dynamodbEndpoint ? { endpoint: local.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
        });
        const client = dynamodb;
        ledger = new RunLedger({ tableName: stateTableName(shared), client: async () => client });
      }
      return ledger;
    },
    close() {
      ctx.sqs.destroy();
      ctx.secretsManager.destroy();
      dynamodb?.destroy();
    },
  };
  return ctx;
};

/** The hint for "cannot reach" errors of this context. */
export const reachHint = (ctx: Pick<OpsContext, "local">): string =>
  ctx.local
    ? "Is the local stack still running (`npm start`)?"
    : "Check your network and AWS credentials (AWS_PROFILE, `aws sts get-caller-identity`) and AWS_REGION.";
