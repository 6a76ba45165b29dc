import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { validationError } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import type { HookEnv, ResourceDef, StoredRecord } from "../model";
import { attrFilter, idFilter, ref, relFilter } from "./fields";

/**
 * Oro's integrations (IntegrationBundle `Channel`, `Status`) and the companion bundle's transport
 * (oro-bundle/Entity/ServerlessTransport.php), as the API serves them. Facts and sources:
 * docs/reference/oro-integration.md; sandboxes/oro/README.md "Integrations".
 */

/** The bundle's channel type (oro-bundle/Resources/config/integration.yml, generated). */
export const SERVERLESS_CHANNEL_TYPE = "oro_serverless";
/** `Status::STATUS_COMPLETED` / `Status::STATUS_FAILED` (platform@6.1.11 IntegrationBundle Entity/Status.php). */
export const STATUS_CODES = ["1", "2"] as const;

const BUNDLE_INTEGRATION_YML = path.resolve(import.meta.dirname, "..", "..", "..", "oro-bundle", "Resources", "config", "integration.yml");

/**
 * The connector types the installed bundle registers: read from the bundle's own service file
 * (tag `oro_integration.connector`, attribute `type`), so the double knows what the bundle knows.
 */
export const bundleConnectorTypes = (file = BUNDLE_INTEGRATION_YML): string[] => {
  const services = (parse(readFileSync(file, "utf8")) as { services: Record<string, { tags?: { name: string; type?: string; channel_type?: string }[] }> })
    .services;
  return Object.values(services).flatMap((s) =>
    (s.tags ?? []).filter((t) => t.name === "oro_integration.connector" && t.channel_type === SERVERLESS_CHANNEL_TYPE).map((t) => t.type ?? ""),
  );
};

/**
 * `integrationchannels`: Oro's Channel entity. Read-only in Oro's API (platform@6.1.11
 * IntegrationBundle Resources/config/oro/api.yml: create/update/delete/delete_list false;
 * mappingSettings, connectors, transport, editMode, previouslyEnabled, synchronizationSettings,
 * defaultBusinessUnitOwner, defaultUserOwner, organization excluded). Entity/Channel.php: `name`
 * and `type` string(255), `enabled` nullable boolean (true in the constructor); `name` is indexed
 * (`oro_integration_channel_name_idx`), hence its filter and sorter. Rows come from the bundle's
 * transport resource below (as the bundle's processor creates them) or the store (tests).
 */
export const integrationchannels: ResourceDef = {
  type: "integrationchannels",
  source: "platform@6.1.11 IntegrationBundle Resources/config/oro/api.yml (read-only), entity.yml (alias), Entity/Channel.php",
  idStrategy: "sequence",
  attributes: {
    name: { type: "string", required: true, maxLength: 255 },
    type: { type: "string", required: true, maxLength: 255 },
    enabled: { type: "boolean", default: () => true },
  },
  relationships: {},
  actions: ["get", "get_list"],
  filters: { id: idFilter(), name: attrFilter("name", "string") },
  sorters: ["id", "name"],
};

/**
 * `integrationstatuses`: Oro's Status entity (platform@6.1.11 IntegrationBundle Entity/Status.php:
 * `code` string(255), `connector` string(255), `message` text, `date` datetime (now in the
 * constructor), `data` json nullable, `channel` required, CASCADE), exposed by the bundle
 * (oro-bundle/Resources/config/oro/api.yml: get, get_list, create; create guarded by the capability
 * `oro_serverless_integration_status_create`; `code` limited to Oro's two codes). Stock Oro has
 * no such resource (its alias `integrationstatuses` is declared in entity.yml, no api.yml entry).
 */
export const integrationstatuses: ResourceDef = {
  type: "integrationstatuses",
  source:
    "platform@6.1.11 IntegrationBundle Entity/Status.php (columns), entity.yml (alias); oro-bundle/Resources/config/oro/api.yml (actions, constraints, capability)",
  idStrategy: "sequence",
  attributes: {
    code: { type: "string", required: true, maxLength: 255, choices: STATUS_CODES, immutable: true },
    connector: { type: "string", required: true, maxLength: 255, immutable: true },
    message: { type: "string", required: true, immutable: true },
    date: { type: "datetime", required: true, immutable: true, default: () => formatNow() },
    data: { type: "json", immutable: true },
  },
  relationships: {
    channel: { target: "integrationchannels", required: true, cascadeDelete: true },
  },
  actions: ["get", "get_list", "create"],
  aclResources: { create: "oro_serverless_integration_status_create" },
  filters: {
    id: idFilter(),
    channel: relFilter("channel"),
    connector: attrFilter("connector", "string"),
    code: attrFilter("code", "string"),
    date: attrFilter("date", "datetime", true),
  },
  sorters: ["id", "date"],
  validate: ({ record, pointer, resolve }): ErrorObject[] => {
    // The bundle's processor (Api/Processor/ValidateIntegrationStatus.php): the connector must be one of
    // the channel's connectors, and the channel one of the bundle's type.
    const channelRef = record.relationships.channel;
    const channel = channelRef && !Array.isArray(channelRef) ? resolve(channelRef) : undefined;
    if (!channel) return [];
    if (channel.attributes.type !== SERVERLESS_CHANNEL_TYPE) {
      return [
        validationError(
          "integration status constraint",
          `The integration "${String(channel.attributes.name)}" is not of type "${SERVERLESS_CHANNEL_TYPE}".`,
          `${pointer}/relationships/channel/data`,
        ),
      ];
    }
    const connectors = (channel.attributes.connectors as string[] | undefined) ?? [];
    return connectors.includes(String(record.attributes.connector))
      ? []
      : [
          validationError(
            "integration status constraint",
            `The integration "${String(channel.attributes.name)}" has no connector "${String(record.attributes.connector)}".`,
            `${pointer}/attributes/connector`,
          ),
        ];
  },
};

const formatNow = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * `oroserverlesstransports`: the bundle's transport settings entity (oro-bundle/Entity/ServerlessTransport.php,
 * a `Transport` subclass in Oro's single `oro_integration_transport` table, discriminator
 * `oro_serverless`). Where the integration runs, no secrets: `integration` (the deploy config's
 * name, becomes the channel's name, unique), `region`, `ingressUrl` (the signed webhook ingress),
 * `connectors` (registry connector types the deploy config enables). Creating one creates its
 * channel (type `oro_serverless`, same name and connectors, enabled); updating it updates the
 * channel (oro-bundle/Api/Processor/SyncServerlessChannel.php). Create/update are guarded by the
 * capability `oro_serverless_integration_register`.
 */
export const oroserverlesstransports = (connectorTypes: readonly string[]): ResourceDef => ({
  type: "oroserverlesstransports",
  source: "oro-bundle/Resources/config/oro/api.yml, Entity/ServerlessTransport.php, Api/Processor/SyncServerlessChannel.php",
  idStrategy: "sequence",
  attributes: {
    integration: { type: "string", required: true, maxLength: 255, unique: true, immutable: true },
    region: { type: "string", required: true, maxLength: 32 },
    ingressUrl: { type: "string", required: true, maxLength: 2048 },
    connectors: { type: "array", required: true },
  },
  relationships: {
    channel: { target: "integrationchannels", readOnly: true },
  },
  actions: ["get", "get_list", "create", "update"],
  aclResources: { create: "oro_serverless_integration_register", update: "oro_serverless_integration_register" },
  filters: { id: idFilter(), integration: attrFilter("integration", "string") },
  sorters: ["id"],
  validate: ({ record, pointer }): ErrorObject[] => {
    const errors: ErrorObject[] = [];
    const region = record.attributes.region;
    if (typeof region === "string" && region !== "" && !AWS_REGION.test(region)) {
      errors.push(validationError("regex constraint", "This value is not valid.", `${pointer}/attributes/region`));
    }
    const url = record.attributes.ingressUrl;
    if (typeof url === "string" && url !== "" && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url)) {
      errors.push(validationError("url constraint", "This value is not a valid URL.", `${pointer}/attributes/ingressUrl`));
    }
    const connectors = record.attributes.connectors;
    if (Array.isArray(connectors)) {
      connectors.forEach((c, i) => {
        if (typeof c !== "string" || !connectorTypes.includes(c)) {
          errors.push(validationError("choice constraint", "The value you selected is not a valid choice.", `${pointer}/attributes/connectors/${i}`));
        }
      });
      if (new Set(connectors).size !== connectors.length)
        errors.push(
          validationError("unique collection constraint", "This collection should contain only unique elements.", `${pointer}/attributes/connectors`),
        );
    }
    return errors;
  },
  afterSave: syncChannel,
});

/** What the bundle's SyncServerlessChannel processor does on create/update of a transport. */
function syncChannel(transport: StoredRecord, created: boolean, env: HookEnv): void {
  const channels = env.store.mustTable("integrationchannels");
  const current = transport.relationships.channel;
  const existing = current && !Array.isArray(current) ? channels.get(current.id) : undefined;
  const id = existing?.id ?? channels.nextId();
  channels.put({
    type: "integrationchannels",
    id,
    attributes: {
      name: transport.attributes.integration,
      type: SERVERLESS_CHANNEL_TYPE,
      enabled: existing?.attributes.enabled ?? true,
      // Not output (api.yml excludes `connectors`), kept on the row as Oro keeps Channel::$connectors.
      connectors: [...(transport.attributes.connectors as string[])],
    },
    relationships: {},
  });
  if (created || !existing) {
    env.store
      .mustTable("oroserverlesstransports")
      .put({ ...transport, relationships: { ...transport.relationships, channel: ref("integrationchannels", id) } });
  }
}

/** The transport row of a channel (the Schedule sync action reads its ingress URL). */
export const findTransportOfChannel = (store: { list(type: string): StoredRecord[] }, channelId: string): StoredRecord | undefined =>
  store.list("oroserverlesstransports").find((t) => {
    const channel = t.relationships.channel;
    return channel !== null && !Array.isArray(channel) && channel?.id === channelId;
  });

export const integrationResources = (connectorTypes: readonly string[] = bundleConnectorTypes()): readonly ResourceDef[] => [
  integrationchannels,
  integrationstatuses,
  oroserverlesstransports(connectorTypes),
];
