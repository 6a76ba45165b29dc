import * as z from "zod/mini";
import { configSettingsSchema } from "../../shared/connector/settings";
import type { ConnectorRegistry } from "./registry";
import { ConnectorOverridesSchema, DeployConfigSchema, IntegrationConfigSchema } from "./schema";

/** Where the deploy config's JSON Schema is checked in, relative to the repository root. */
export const DEPLOY_CONFIG_SCHEMA_PATH = "schemas/deploy-config.schema.json";

/**
 * The deploy config's schema with each registered connector's `settings` schema in place of the
 * free `settings` record: `connectors` is then an object keyed by connector type, each with its
 * own settings (shared/connector/settings.ts, strict).
 */
const registrySchema = (registry: ConnectorRegistry) => {
  const connectors = z.strictObject(
    Object.fromEntries(
      registry.connectors.map((connector) => [
        connector.type,
        z.optional(
          z.extend(ConnectorOverridesSchema, {
            settings: z
              .optional(configSettingsSchema(connector.settings))
              .check(
                z.describe(
                  `Settings of ${connector.type} (its settings schema; unknown keys are refused), passed to the connector as \`context.settings\`. Default: {}.`,
                ),
              ),
          }),
        ),
      ]),
    ),
  );
  const integration = z.extend(IntegrationConfigSchema, {
    connectors: connectors.check(z.describe("Keyed by connector type; a connector not listed is not deployed.")),
  });
  return z.extend(DeployConfigSchema, { integrations: z.array(integration).check(z.describe("The integration instances, each with the connectors it runs.")) });
};

/**
 * The JSON Schema of the deploy config, generated from its zod schema (schema.ts) with each
 * registered connector's settings schema (`npm run schema:deploy-config` writes the one of
 * functions/registry.ts to {@link DEPLOY_CONFIG_SCHEMA_PATH}; a test keeps it current).
 * `deploy.config.json` names it in `$schema`, so editors complete and check the file as it is
 * typed. It carries the shape: fields, types, patterns, ranges, enums, no unknown keys, each
 * connector's settings. The checks zod runs in code (schedule expressions, time zones, unique
 * ids) and the checks against the registry and AWS limits (load.ts) have no JSON Schema form:
 * `cdk synth` still runs them all.
 */
export const deployConfigJsonSchema = (registry: ConnectorRegistry): Record<string, unknown> => ({
  $id: "https://oro-serverless-connectors/schemas/deploy-config.schema.json",
  title: "oro-serverless-connectors deploy config",
  description: "deploy.config.json: the integrations, their connectors and the stack's settings (docs/deploy.md section 2).",
  ...(z.toJSONSchema(registrySchema(registry), { target: "draft-2020-12", io: "input" }) as Record<string, unknown>),
});
