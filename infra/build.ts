import type { App } from "aws-cdk-lib";
import type { ConnectorRegistry } from "./config/registry";
import { resolveShared } from "./config/resolve";
import type { DeployConfig } from "./config/schema";
import { addNagChecks } from "./nag";
import { OroConnectorsStack } from "./stack";
import type { OroConnectorsStackProps } from "./stack";

/** Options of {@link addConnectorsStack}. */
export interface AddConnectorsStackOptions extends Pick<OroConnectorsStackProps, "configSource" | "notifierEntry" | "webhookIngressEntry"> {
  readonly config: DeployConfig;
  readonly registry: ConnectorRegistry;
  /** Registers the AwsSolutions pack and the project pack. @default true */
  readonly nag?: boolean;
}

/**
 * Adds the connectors stack to an app the way `cdk synth` does: stack name and region from the
 * config, the account left unresolved (account-agnostic: no credentials, no lookups), cdk-nag on.
 * Tests call it with a fixture registry; infra/app.ts with functions/registry.ts.
 */
export const addConnectorsStack = (app: App, options: AddConnectorsStackOptions): OroConnectorsStack => {
  const { nag = true, ...props } = options;
  const shared = resolveShared(props.config);
  const stack = new OroConnectorsStack(app, shared.stackName, { ...props, stackName: shared.stackName, env: { region: shared.region } });
  if (nag) addNagChecks(app);
  return stack;
};
