import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import { REPO_ROOT } from "../infra/config";

/** The local stack's settings file (local-stack/local.json). */
export const LocalSettingsSchema = z.object({
  deployConfig: z.string(),
  ports: z.object({
    sqs: z.int(),
    secretsManager: z.int(),
    webhooks: z.int(),
    oro: z.int(),
    erp: z.int(),
    akeneo: z.int(),
    dynamodb: z._default(z.int(), 4569),
  }),
  sandboxes: z.object({
    oro: z.object({ enabled: z.boolean(), clientId: z.string(), clientSecret: z.string() }),
    akeneo: z.object({ enabled: z.boolean(), clientId: z.string(), secret: z.string(), username: z.string(), password: z.string() }),
    erp: z.object({ enabled: z.boolean(), apiKey: z.string() }),
  }),
  /** Secret name -> JSON value; `{{oro}}`, `{{akeneo}}`, `{{erp}}` become the sandboxes' URLs. */
  secrets: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type LocalSettings = z.infer<typeof LocalSettingsSchema>;

export const DEFAULT_SETTINGS_PATH = join(REPO_ROOT, "local-stack", "local.json");

export const loadLocalSettings = (path = DEFAULT_SETTINGS_PATH): LocalSettings => {
  const result = z.safeParse(LocalSettingsSchema, JSON.parse(readFileSync(path, "utf8")));
  if (!result.success) {
    throw new Error(`${path} is invalid: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return result.data;
};

/** The secrets to seed, with sandbox URLs filled in. */
export const renderSecrets = (settings: LocalSettings, urls: Record<string, string>): Record<string, Record<string, unknown>> =>
  Object.fromEntries(
    Object.entries(settings.secrets).map(([name, value]) => [
      name,
      JSON.parse(JSON.stringify(value).replace(/\{\{(\w+)\}\}/g, (match, key: string) => urls[key] ?? match)) as Record<string, unknown>,
    ]),
  );
