import { createOroClient } from "../shared/oro";
import { type IntegrationToRegister, registerChannels } from "../shared/oro/integration-channels";
import { startAkeneoSandbox, type AkeneoSandbox } from "../sandboxes/akeneo";
import { startErpSandbox, type ErpSandbox } from "../sandboxes/erp";
import { startOroSandbox, type OroSandbox } from "../sandboxes/oro";
import type { LocalSettings } from "./settings";

/** Products in the Akeneo sandbox's demo catalog. */
export const DEMO_AKENEO_PRODUCTS = 120;

export interface StartedSandboxes {
  oro: OroSandbox | undefined;
  akeneo: AkeneoSandbox | undefined;
  erp: ErpSandbox | undefined;
  /** Name -> base URL, for secrets templates and the ops CLI. */
  urls: Record<string, string>;
  /** Registers Oro webhooks for these topics pointing at the local ingress (Oro sandbox only). */
  registerWebhooks?: (url: string, topics: string[], secret: Record<string, unknown> | undefined) => Promise<void>;
  /** Makes the integrations channels of the Oro sandbox, as `ops oro-integration register` does (docs/oro-integration.md). */
  registerIntegrations?: (ingressUrl: string, integrations: IntegrationToRegister[], region: string) => Promise<void>;
  /** Resolves when the Oro sandbox has no webhook delivery pending. */
  webhooksIdle?: () => Promise<void>;
  stop(): Promise<void>;
}

/** Starts the enabled sandboxes on 127.0.0.1 (ephemeral ports in tests). */
export const startSandboxes = async (settings: LocalSettings, options: { ephemeralPorts: boolean; seed: boolean }): Promise<StartedSandboxes> => {
  const port = (name: "oro" | "akeneo" | "erp") => (options.ephemeralPorts ? 0 : settings.ports[name]);
  const config = settings.sandboxes;
  const started: { stop(): Promise<void> }[] = [];
  try {
    const oro = config.oro.enabled
      ? await startOroSandbox({
          port: port("oro"),
          clientId: config.oro.clientId,
          clientSecret: config.oro.clientSecret,
          seed: options.seed,
          webhookRetry: { baseDelayMs: 200, maxDelayMs: 2_000 },
        })
      : undefined;
    if (oro) started.push(oro);
    const akeneo = config.akeneo.enabled
      ? await startAkeneoSandbox({
          port: port("akeneo"),
          clientId: config.akeneo.clientId,
          secret: config.akeneo.secret,
          username: config.akeneo.username,
          password: config.akeneo.password,
          // Demo catalog: changed a minute ago, so the first scheduled window picks it up.
          catalog: { count: options.seed ? DEMO_AKENEO_PRODUCTS : 0, updatedAt: new Date(Date.now() - 60_000).toISOString(), families: ["default_family"] },
        })
      : undefined;
    if (akeneo) started.push(akeneo);
    const erp = config.erp.enabled ? await startErpSandbox({ port: port("erp"), apiKey: config.erp.apiKey, seed: options.seed }) : undefined;
    if (erp) started.push(erp);
    const urls: Record<string, string> = {};
    if (oro) urls.oro = oro.url;
    if (akeneo) urls.akeneo = akeneo.url;
    if (erp) urls.erp = erp.url;
    return {
      oro,
      akeneo,
      erp,
      urls,
      ...(oro
        ? {
            // Registered through the API, as `npm run ops -- webhook register` does against a real Oro.
            registerWebhooks: async (url: string, topics: string[], secret: Record<string, unknown> | undefined) => {
              const client = createOroClient({
                getConnection: async () => ({
                  baseUrl: oro.url,
                  apiPrefix: "/admin/api",
                  clientId: config.oro.clientId,
                  clientSecret: config.oro.clientSecret,
                }),
              });
              for (const topic of topics) {
                await client.create({
                  type: "webhooks",
                  attributes: {
                    notificationUrl: url,
                    enabled: true,
                    verifySsl: false,
                    ...(typeof secret?.secret === "string" ? { secret: secret.secret } : {}),
                  },
                  relationships: { topic: { data: { type: "webhooktopics", id: topic } }, format: { data: { type: "webhookformats", id: "default" } } },
                });
              }
            },
            registerIntegrations: async (ingressUrl: string, integrations: IntegrationToRegister[], region: string) => {
              const client = createOroClient({
                getConnection: async () => ({
                  baseUrl: oro.url,
                  apiPrefix: "/admin/api",
                  clientId: config.oro.clientId,
                  clientSecret: config.oro.clientSecret,
                }),
              });
              await registerChannels(client, integrations, { region, ingressUrl });
            },
            webhooksIdle: () => oro.webhooks.idle(),
          }
        : {}),
      async stop() {
        await Promise.allSettled(started.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw error;
  }
};
