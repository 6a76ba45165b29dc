import { createOroClient, OroConnectionSchema, type OroClient } from "../../shared/oro";
import { type RegisteredIntegration, registerChannels } from "../../shared/oro/integration-channels";
import type { OpsContext } from "../context";
import { UsageError } from "../errors";

/**
 * `oro-integration register [integration] [--ingress-url URL] [--dry-run]`: makes every integration
 * of the deploy config a channel in Oro's System > Integrations with its connectors
 * (shared/oro/integration-channels.ts). Why an ops command and not the bundle: the deploy config,
 * which says which integrations and connectors run and where, lives with the stack, not in Oro
 * (docs/oro-integration.md "Channels"). Running it twice changes nothing.
 */
export interface RegisterOptions {
  /** Only this integration of the deploy config. */
  integration?: string;
  /** The webhook ingress URL (the stack output `WebhookUrl`; the local stack's under `--local`). */
  ingressUrl?: string;
  dryRun?: boolean;
  /** The Oro client; default one built from the config's `oroSecretName`. */
  oro?: OroClient;
}

export interface RegisterResult {
  region: string;
  ingressUrl: string;
  integrations: RegisteredIntegration[];
}

export const registerIntegrations = async (ctx: OpsContext, options: RegisterOptions = {}): Promise<RegisterResult> => {
  const ingressUrl = options.ingressUrl ?? ctx.local?.webhookUrl;
  if (!ingressUrl) throw new UsageError("oro-integration register needs --ingress-url <url>: the stack output WebhookUrl (Oro's Schedule sync posts there)");
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(ingressUrl)) throw new UsageError(`--ingress-url must be an http(s) URL, got "${ingressUrl}"`);
  const integrations = ctx.config.integrations.filter((i) => options.integration === undefined || i.name === options.integration);
  if (integrations.length === 0) throw new UsageError(`no integration '${options.integration}' in ${ctx.configPath}`);
  const oro =
    options.oro ??
    createOroClient({ getConnection: async () => ctx.secrets.get(ctx.config.oroSecretName, OroConnectionSchema), retry: { attempts: 2 }, timeoutMs: 15_000 });
  const results = await registerChannels(
    oro,
    integrations.map((i) => ({ name: i.name, connectors: Object.keys(i.connectors) })),
    { region: ctx.region, ingressUrl, ...(options.dryRun ? { dryRun: true } : {}) },
  );
  return { region: ctx.region, ingressUrl, integrations: results };
};

export const formatRegister = (r: RegisterResult): string =>
  [
    `Oro integrations (region ${r.region}, Schedule sync to ${r.ingressUrl}):`,
    ...r.integrations.map((i) => `  ${i.integration}: ${i.action}${i.channelId ? ` (channel ${i.channelId})` : ""}; connectors ${i.connectors.join(", ")}`),
  ].join("\n");
