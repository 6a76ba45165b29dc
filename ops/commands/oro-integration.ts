import { createOroClient, OroConnectionSchema, type OroClient } from "../../shared/oro";
import { findChannelId } from "../../shared/oro/integration-status";
import type { OpsContext } from "../context";
import { UsageError } from "../errors";

/**
 * `oro-integration register [integration] [--ingress-url URL]`: makes every integration of the deploy
 * config a channel in Oro's System > Integrations, through the companion bundle's
 * `oroserverlesstransports` resource (oro-bundle/Resources/config/oro/api.yml; the bundle creates the
 * channel, Api/Processor/SyncServerlessChannel.php). Why an ops command and not the bundle: the
 * deploy config, which says which integrations and connectors run and where, lives with the stack,
 * not in Oro (docs/oro-integration.md "Channels"). Running it twice changes nothing.
 */
export const TRANSPORT_TYPE = "oroserverlesstransports";

export interface RegisterOptions {
  /** Only this integration of the deploy config. */
  integration?: string;
  /** The webhook ingress URL (the stack output `WebhookUrl`; the local stack's under `--local`). */
  ingressUrl?: string;
  dryRun?: boolean;
  /** The Oro client; default one built from the config's `oroSecretName`. */
  oro?: OroClient;
}

export interface RegisteredIntegration {
  integration: string;
  connectors: string[];
  action: "created" | "updated" | "unchanged" | "would create" | "would update";
  transportId?: string;
  channelId?: string;
}

export interface RegisterResult {
  region: string;
  ingressUrl: string;
  integrations: RegisteredIntegration[];
}

interface TransportAttributes {
  integration: string;
  region: string;
  ingressUrl: string;
  connectors: string[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export const registerIntegrations = async (ctx: OpsContext, options: RegisterOptions = {}): Promise<RegisterResult> => {
  const ingressUrl = options.ingressUrl ?? ctx.local?.webhookUrl;
  if (!ingressUrl) throw new UsageError("oro-integration register needs --ingress-url <url>: the stack output WebhookUrl (Oro's Schedule sync posts there)");
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(ingressUrl)) throw new UsageError(`--ingress-url must be an http(s) URL, got "${ingressUrl}"`);
  const integrations = ctx.config.integrations.filter((i) => options.integration === undefined || i.name === options.integration);
  if (integrations.length === 0) throw new UsageError(`no integration '${options.integration}' in ${ctx.configPath}`);
  const oro = options.oro ?? createOroClient({ getConnection: async () => ctx.secrets.get(ctx.config.oroSecretName, OroConnectionSchema), retry: { attempts: 2 }, timeoutMs: 15_000 });

  const results: RegisteredIntegration[] = [];
  for (const integration of integrations) {
    const wanted: TransportAttributes = { integration: integration.name, region: ctx.region, ingressUrl, connectors: Object.keys(integration.connectors) };
    const page = await oro.list<TransportAttributes>(TRANSPORT_TYPE, { filter: { integration: integration.name }, page: { size: 1 } });
    const existing = page.data.find((t) => t.attributes?.integration === integration.name);
    const base = { integration: integration.name, connectors: wanted.connectors };
    if (!existing) {
      if (options.dryRun) {
        results.push({ ...base, action: "would create" });
        continue;
      }
      const created = await oro.create<TransportAttributes>({ type: TRANSPORT_TYPE, attributes: wanted });
      results.push({ ...base, action: "created", transportId: created.data.id, channelId: await findChannelId(oro, integration.name) });
      continue;
    }
    const current = existing.attributes as TransportAttributes;
    const changed = current.region !== wanted.region || current.ingressUrl !== wanted.ingressUrl || !sameList(current.connectors ?? [], wanted.connectors);
    if (changed && !options.dryRun) {
      await oro.update<TransportAttributes>({ type: TRANSPORT_TYPE, id: existing.id, attributes: { region: wanted.region, ingressUrl: wanted.ingressUrl, connectors: wanted.connectors } });
    }
    results.push({
      ...base,
      action: changed ? (options.dryRun ? "would update" : "updated") : "unchanged",
      transportId: existing.id,
      ...(options.dryRun ? {} : { channelId: await findChannelId(oro, integration.name) }),
    });
  }
  return { region: ctx.region, ingressUrl, integrations: results };
};

export const formatRegister = (r: RegisterResult): string =>
  [
    `Oro integrations (region ${r.region}, Schedule sync to ${r.ingressUrl}):`,
    ...r.integrations.map((i) => `  ${i.integration}: ${i.action}${i.channelId ? ` (channel ${i.channelId})` : ""}; connectors ${i.connectors.join(", ")}`),
  ].join("\n");
