import { validationError } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import type { ResourceDef } from "../model";
import { attrFilter, idFilter, ref, relFilter, timestamps } from "./fields";

/** Platform resources: async operations, webhooks (6.1.10+), notification alerts (project contract). */

/** Source: platform@6.1:src/Oro/Bundle/ApiBundle/Entity/AsyncOperation.php; only `get` enabled (docs/reference/oro-api.md §5.1). */
export const asyncoperations: ResourceDef = {
  type: "asyncoperations",
  source: "platform@6.1:src/Oro/Bundle/ApiBundle/Resources/config/oro/api.yml (asyncoperations: get only)",
  idStrategy: "sequence",
  attributes: {
    status: { type: "string", readOnly: true },
    progress: { type: "decimal", readOnly: true },
    createdAt: { type: "datetime", readOnly: true },
    updatedAt: { type: "datetime", readOnly: true },
    elapsedTime: { type: "integer", readOnly: true },
    entityType: { type: "string", readOnly: true },
    summary: { type: "json", readOnly: true },
  },
  relationships: {
    owner: { target: "users", readOnly: true, default: () => ref("users", "1") },
    organization: { target: "organizations", readOnly: true, default: () => ref("organizations", "1") },
  },
  actions: ["get"],
  filters: { id: idFilter() },
  sorters: ["id"],
};

const isHttpUrl = (value: unknown): boolean => {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
};

/**
 * Source: platform@6.1.11/7.0.4 src/Oro/Bundle/IntegrationBundle/Resources/config/oro/api.yml (`secret`
 * excluded, re-enabled for `create` only: never output, and a PATCH carrying it is 400 "extra fields
 * constraint"); Entity/WebhookProducerSettings.php (GUID id, USER ownership: `owner` + `organization`,
 * the owner is the creating user). docs/reference/oro-webhooks.md §1.
 */
export const webhooks: ResourceDef = {
  type: "webhooks",
  source: "platform@6.1.11 IntegrationBundle api.yml; Entity/WebhookProducerSettings.php (GUID id, USER-owned)",
  idStrategy: "uuid",
  attributes: {
    notificationUrl: { type: "string", required: true, maxLength: 2048 },
    secret: { type: "string", writeOnly: true, immutable: true, maxLength: 255 },
    enabled: { type: "boolean", default: () => true },
    verifySsl: { type: "boolean", default: () => true },
    // api.yml: `system: form_options: mapped: false` (output only).
    system: { type: "boolean", readOnly: true, default: () => false },
    ...timestamps(),
  },
  relationships: {
    // Both required, no default format (WebhookTest::testTryToCreateWithoutFormat); unknown ids get
    // Oro's own constraints (testTryToCreateWithInvalidTopic/Format, testTryToSetInvalidTopicOnUpdate).
    topic: {
      target: "webhooktopics",
      required: true,
      unknownTarget: { title: "valid webhook topic constraint", detail: "This value is not a known webhook topic." },
    },
    format: {
      target: "webhookformats",
      required: true,
      unknownTarget: { title: "valid webhook format constraint", detail: "This value is not a known webhook format." },
    },
    // The creating API user (every sandbox client acts as user 1); its VIEW decides delivery.
    owner: { target: "users", readOnly: true, default: () => ref("users", "1") },
    organization: { target: "organizations", readOnly: true, default: () => ref("organizations", "1") },
  },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list"],
  filters: { id: { field: "id", kind: "id", valueType: "id" }, topic: relFilter("topic"), enabled: attrFilter("enabled", "boolean") },
  sorters: ["id"],
  validate: ({ record, pointer }) =>
    record.attributes.notificationUrl && !isHttpUrl(record.attributes.notificationUrl)
      ? [validationError("url constraint", "This value is not a valid URL.", `${pointer}/attributes/notificationUrl`)]
      : [],
};

export const webhooktopics: ResourceDef = {
  type: "webhooktopics",
  source: "platform@6.1.10 IntegrationBundle WebhookConfigurationProvider.php (<alias>.created|updated|deleted)",
  idStrategy: "code",
  attributes: { label: { type: "string" } },
  relationships: {},
  actions: ["get", "get_list"],
  filters: { id: { field: "id", kind: "id", valueType: "id" } },
  sorters: ["id"],
};

export const webhookformats: ResourceDef = {
  type: "webhookformats",
  source: "platform@6.1.10 IntegrationBundle (formats default | thin)",
  idStrategy: "code",
  attributes: { label: { type: "string" } },
  relationships: {},
  actions: ["get", "get_list"],
  filters: { id: { field: "id", kind: "id", valueType: "id" } },
  sorters: ["id"],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Oro's NotificationAlert entity (docs/reference/oro-api.md §7) as the companion bundle exposes it
 * (oro-bundle/Resources/config/oro/api.yml: `upsert: false`, create-only fields `output-only` on update,
 * delete disabled; docs/alert-contract.md). Stock Oro has no such resource.
 */
export const notificationalerts: ResourceDef = {
  type: "notificationalerts",
  source: "project alert contract; platform@6.1:src/Oro/Bundle/NotificationBundle/Entity/NotificationAlert.php (columns/lengths)",
  idStrategy: "client",
  attributes: {
    alertType: { type: "string", maxLength: 20, immutable: true },
    sourceType: { type: "string", required: true, maxLength: 50, immutable: true },
    resourceType: { type: "string", required: true, maxLength: 255, immutable: true },
    operation: { type: "string", maxLength: 50, immutable: true },
    step: { type: "string", maxLength: 50, immutable: true },
    itemId: { type: "integer", immutable: true },
    externalId: { type: "string", maxLength: 255, immutable: true },
    message: { type: "string" },
    resolved: { type: "boolean", default: () => false },
    additionalInfo: { type: "json" },
    ...timestamps(),
  },
  relationships: {
    user: { target: "users", readOnly: true, default: () => ref("users", "1") },
    organization: { target: "organizations", readOnly: true, default: () => ref("organizations", "1") },
  },
  actions: ["get", "get_list", "create", "update"],
  filters: {
    id: { field: "id", kind: "id", valueType: "id" },
    sourceType: attrFilter("sourceType", "string"),
    resourceType: attrFilter("resourceType", "string"),
    alertType: attrFilter("alertType", "string"),
    operation: attrFilter("operation", "string"),
    step: attrFilter("step", "string"),
    itemId: attrFilter("itemId", "integer"),
    externalId: attrFilter("externalId", "string"),
    resolved: attrFilter("resolved", "boolean"),
    updatedAt: attrFilter("updatedAt", "datetime", true),
  },
  sorters: ["id", "createdAt", "updatedAt"],
  upsertById: false,
  validate: ({ record, pointer }): ErrorObject[] =>
    UUID.test(record.id) ? [] : [validationError("uuid constraint", "This is not a valid UUID.", `${pointer}/id`)],
};

export const platformResources: readonly ResourceDef[] = [asyncoperations, webhooks, webhooktopics, webhookformats, notificationalerts];
