import type { OroClient } from "./client";
import { findChannelId } from "./integration-status";

/**
 * Makes integrations channels of Oro's System > Integrations through the companion bundle's
 * `oroserverlesstransports` resource (oro-bundle/Resources/config/oro/api.yml): one transport per
 * integration (name, region, ingress URL, connectors), whose creation creates the channel
 * (oro-bundle/Api/Processor/SyncServerlessChannel.php). Oro's own `integrationchannels` is
 * read-only in its API (docs/reference/oro-integration.md §2). Idempotent: what matches is left alone.
 * Used by `ops oro-integration register` and the local stack (docs/oro-integration.md "Channels").
 */
export const TRANSPORT_TYPE = "oroserverlesstransports";

/** An integration as the deploy config has it: name and the connector types it enables. */
export interface IntegrationToRegister {
  name: string;
  connectors: readonly string[];
}

export interface RegisterChannelsOptions {
  /** AWS region the integrations run in. */
  region: string;
  /** The webhook ingress URL (Schedule sync posts there). */
  ingressUrl: string;
  /** Report what would change; change nothing. */
  dryRun?: boolean;
}

export interface RegisteredIntegration {
  integration: string;
  connectors: string[];
  action: "created" | "updated" | "unchanged" | "would create" | "would update";
  transportId?: string;
  channelId?: string;
}

interface TransportAttributes {
  integration: string;
  region: string;
  ingressUrl: string;
  connectors: string[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export const registerChannels = async (
  oro: OroClient,
  integrations: readonly IntegrationToRegister[],
  options: RegisterChannelsOptions,
): Promise<RegisteredIntegration[]> => {
  const results: RegisteredIntegration[] = [];
  for (const integration of integrations) {
    const wanted: TransportAttributes = {
      integration: integration.name,
      region: options.region,
      ingressUrl: options.ingressUrl,
      connectors: [...integration.connectors],
    };
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
      await oro.update<TransportAttributes>({
        type: TRANSPORT_TYPE,
        id: existing.id,
        attributes: { region: wanted.region, ingressUrl: wanted.ingressUrl, connectors: wanted.connectors },
      });
    }
    results.push({
      ...base,
      action: changed ? (options.dryRun ? "would update" : "updated") : "unchanged",
      transportId: existing.id,
      ...(options.dryRun ? {} : { channelId: await findChannelId(oro, integration.name) }),
    });
  }
  return results;
};
