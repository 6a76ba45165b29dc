import type { SQSClient } from "@aws-sdk/client-sqs";
import { type ConnectorOverrides, loadDeployConfig } from "../infra/config";
import { type ConnectorPlan, type DeploymentPlan, deploymentPlan } from "../infra/plan";
import type { AnyConnector } from "../shared/connector";
import { createQueuePair, localEnvironment } from "./stack";

/** One connector of one integration, as a deploy config would name it. */
export interface OneConnectorOptions {
  connector: AnyConnector;
  integration: string;
  integrationSecretName: string;
  oroSecretName: string;
  /** Prefix of the queue names: unique per rig when several share one fauxqs. */
  stackName: string;
  /** The connector's deploy-config entry (settings, maxReceiveCount, batchSize, ...). @default {} */
  entry?: ConnectorOverrides;
  /** Creates the plan's state table (dynalite) and returns its name: the connector's run ledger, the notifier's alert-key leases. */
  createStateTable: (name: string) => Promise<string>;
}

/** A function's queues as made, and the environment the plan gives it. */
export interface RenderedFunction {
  queueUrl: string;
  dlqUrl: string;
  env: Record<string, string>;
}

/** {@link renderOneConnector}'s result: the plan, and the connector and the notifier rendered. */
export interface RenderedOneConnector {
  plan: DeploymentPlan;
  connectorPlan: ConnectorPlan;
  connector: RenderedFunction;
  notifier: RenderedFunction;
}

/**
 * The deployment plan (infra/plan) of a deploy config that runs just this connector, rendered onto
 * local SQS the way the local stack renders the whole plan: its queues and the alerts queue with
 * the plan's names, attributes and redrive policies, its state table, and each function's environment from the plan.
 * Test rigs (proof/common/rig.ts, test/erp-local-stack.ts) build their handlers on it, so no rig
 * writes a connector's wiring by hand. The config goes through `loadDeployConfig`: a bad setting
 * fails here as it fails `cdk synth`.
 */
export const renderOneConnector = async (sqs: SQSClient, options: OneConnectorOptions): Promise<RenderedOneConnector> => {
  const { connector } = options;
  const registry = { connectors: [connector] };
  const config = loadDeployConfig(
    {
      stackName: options.stackName,
      oroSecretName: options.oroSecretName,
      integrations: [
        {
          name: options.integration,
          type: connector.integrationType.type,
          secretName: options.integrationSecretName,
          connectors: { [connector.type]: options.entry ?? {} },
        },
      ],
    },
    registry,
  );
  const plan = deploymentPlan(config, registry);
  const connectorPlan = plan.connectors[0];
  if (!connectorPlan) throw new Error(`the plan deploys no ${connector.type}: is it disabled in the entry?`);
  const urls = new Map<string, string>();
  const stateTableName = await options.createStateTable(plan.stateTable.name);
  const alerts = await createQueuePair(sqs, plan.notifier.queue, plan.notifier.dlq, plan.notifier.maxReceiveCount, urls);
  const queues = await createQueuePair(sqs, connectorPlan.queue, connectorPlan.dlq, connectorPlan.maxReceiveCount, urls);
  return {
    plan,
    connectorPlan,
    connector: { queueUrl: queues.queue.url, dlqUrl: queues.dlq.url, env: localEnvironment(connectorPlan.function, urls, stateTableName) },
    notifier: { queueUrl: alerts.queue.url, dlqUrl: alerts.dlq.url, env: localEnvironment(plan.notifier.function, urls, stateTableName) },
  };
};
