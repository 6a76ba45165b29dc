import * as z from "zod/mini";
import { DeployConfigSchema } from "./schema";

/** Where the deploy config's JSON Schema is checked in, relative to the repository root. */
export const DEPLOY_CONFIG_SCHEMA_PATH = "schemas/deploy-config.schema.json";

/**
 * The JSON Schema of the deploy config, generated from its zod schema (schema.ts) and checked in
 * at {@link DEPLOY_CONFIG_SCHEMA_PATH} (`npm run schema:deploy-config`; a test keeps it current).
 * `deploy.config.json` names it in `$schema`, so editors complete and check the file as it is
 * typed. It carries the shape: fields, types, patterns, ranges, enums, no unknown keys. The checks
 * zod runs in code (schedule expressions, time zones, unique ids) and the checks against the
 * registry and AWS limits (load.ts) have no JSON Schema form: `cdk synth` still runs them all.
 */
export const deployConfigJsonSchema = (): Record<string, unknown> => ({
  $id: "https://oro-serverless-connectors/schemas/deploy-config.schema.json",
  title: "oro-serverless-connectors deploy config",
  description: "deploy.config.json: the integrations, their connectors and the stack's settings (docs/deploy.md section 2).",
  ...(z.toJSONSchema(DeployConfigSchema, { target: "draft-2020-12" }) as Record<string, unknown>),
});
