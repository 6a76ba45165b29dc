/**
 * The CDK app (`cdk.json`: `node --import tsx infra/app.ts`). Reads the deploy config named by
 * the `config` context (`cdk synth -c config=path/to.json`; default `deploy.config.json`), checks
 * it against functions/registry.ts and synthesizes one stack with cdk-nag on. Offline: no
 * credentials, no lookups.
 */
import { App } from "aws-cdk-lib";
import { connectors } from "../functions/registry";
import { addConnectorsStack } from "./build";
import { DeployConfigError } from "./config/errors";
import { loadDeployConfig } from "./config/load";

const app = new App();
const source = (app.node.tryGetContext("config") as string | undefined) ?? "deploy.config.json";
const registry = { connectors };
try {
  addConnectorsStack(app, { config: loadDeployConfig(source, registry), registry, configSource: source });
} catch (error) {
  if (!(error instanceof DeployConfigError)) throw error;
  // A config mistake is the user's to fix: say what and where, without a stack trace.
  console.error(error.message);
  process.exit(1);
}
app.synth();
