import type { ResolvedConnector } from "../../infra/config";
import { describeError } from "../../shared/errors";
import { redact } from "../../shared/observability";
import { type OroClient, OroForbiddenError, OroNotFoundError, OroValidationError } from "../../shared/oro";
import type { CheckItem } from "./check-item";

/**
 * The Oro writes each connector makes, with the permission Oro checks for them (entity ACL, or the
 * capability the companion bundle's api.yml names for notificationalerts). One list, read by
 * `ops check` and by docs/deploy.md "Oro permissions".
 * - akeneo-products: creates and updates products (functions/akeneo-products/write.ts, batch `update_list`);
 * - erp-stock: updates inventory levels (functions/erp-stock/apply-levels.ts, `meta.update` / PATCH);
 * - oro-orders-to-erp: writes the ERP number back into the order (export-order.ts, PATCH);
 * - the notifier: creates and updates notificationalerts (oro-bundle/Resources/config/oro/api.yml).
 */
export const ORO_WRITES: Readonly<Record<string, ReadonlyArray<{ resource: string; permission: "CREATE" | "EDIT" }>>> = {
  "akeneo-products": [
    { resource: "products", permission: "CREATE" },
    { resource: "products", permission: "EDIT" },
  ],
  "erp-stock": [{ resource: "inventorylevels", permission: "EDIT" }],
  "oro-orders-to-erp": [{ resource: "orders", permission: "EDIT" }],
};
export const NOTIFIER_WRITES: ReadonlyArray<{ resource: string; permission: "CREATE" | "EDIT" }> = [
  { resource: "notificationalerts", permission: "CREATE" },
  { resource: "notificationalerts", permission: "EDIT" },
];

/** Ids nothing has: a probe must never touch a real row. */
const ABSENT_ID = "0";
const ABSENT_GUID = "00000000-0000-4000-8000-000000000000";
/** Resources whose id the client supplies (GUID, no generator): a create needs one. */
const CLIENT_IDS = new Set(["notificationalerts"]);

const text = (error: unknown) => redact(describeError(error));

const roleHint = (resource: string, permission: string) =>
  resource === "notificationalerts"
    ? `grant the API user's role the capability "${permission === "CREATE" ? "Create" : "Update"} notification alerts via API" (oro-bundle/README.md step 4)`
    : `grant the API user's role ${permission} on ${resource} (System > User Management > Roles; docs/deploy.md "Oro permissions")`;

/**
 * Probes one write permission without writing. Oro checks the entity-type permission (or the
 * action's acl_resource) in the `security_check` group, before it loads the entity or validates
 * the body (platform@6.1.11 ApiBundle Resources/config/oro/app.yml processing groups;
 * Processor/Shared/ValidateEntityTypeAccess.php): so a PATCH of an id that does not exist answers
 * 403 without EDIT and 404 with it, and a POST with no attributes answers 403 without CREATE and
 * 400 (a required field) with it.
 */
export const probeWrite = async (oro: OroClient, resource: string, permission: "CREATE" | "EDIT", users: string): Promise<CheckItem> => {
  const name = `Oro ${permission} ${resource}`;
  const id = CLIENT_IDS.has(resource) ? ABSENT_GUID : ABSENT_ID;
  try {
    if (permission === "EDIT") await oro.update({ type: resource, id, attributes: {} });
    else await oro.create({ type: resource, ...(CLIENT_IDS.has(resource) ? { id } : {}), attributes: {} });
    // A write that succeeded: the probe assumption failed; say so rather than pass silently.
    return {
      name,
      status: "failed",
      detail: `the ${permission} probe unexpectedly wrote ${resource}/${id}`,
      hint: `delete ${resource}/${id} in Oro; report this as a bug of ops/commands/check-permissions.ts`,
    };
  } catch (error) {
    const granted = permission === "EDIT" ? error instanceof OroNotFoundError : error instanceof OroValidationError;
    if (granted)
      return {
        name,
        status: "ok",
        detail: `${permission === "EDIT" ? `PATCH ${resource}/${id} answered 404` : `POST ${resource} without attributes answered 400`}: the API user has ${permission} (used by ${users}); nothing was written`,
      };
    if (error instanceof OroForbiddenError)
      return { name, status: "failed", detail: `Oro denies ${permission} on ${resource} (403): ${users} cannot write`, hint: roleHint(resource, permission) };
    return {
      name,
      status: "failed",
      detail: text(error),
      hint: `the ${permission} probe of ${resource} got an unexpected answer; check that the API user can reach ${resource}`,
    };
  }
};

type WebhookRow = {
  id: string;
  attributes?: { notificationUrl?: string; enabled?: boolean };
  relationships?: { owner?: { data?: { id: string } | null }; topic?: { data?: { id: string } | null } };
};

/** Entity resource of a topic's alias (`order.created` -> `orders`), for the topics the connectors consume. */
const RESOURCE_OF_ALIAS: Record<string, string> = { order: "orders", product: "products", customer: "customers", customeruser: "customerusers" };

/**
 * Oro skips a webhook delivery silently when the webhook's owner lacks VIEW on the entity
 * (IntegrationBundle Async/WebhookNotificationProcessor.php isTargetEntityViewAllowed,
 * docs/reference/oro-webhooks.md §3). VIEW of another user cannot be read through the API, so the
 * check requires each enabled webhook of the consumed topics to be owned by the API user (as
 * `ops webhook register` creates them) and then proves that user's VIEW with a read.
 */
export const checkWebhookOwners = async (oro: OroClient, connectors: readonly ResolvedConnector[]): Promise<CheckItem[]> => {
  const topics = [...new Set(connectors.flatMap((c) => c.oroTopics))];
  if (topics.length === 0) return [];
  const items: CheckItem[] = [];
  let me: string;
  try {
    const profile = await oro.getPath("userprofile");
    me = String(profile.data.id);
  } catch (error) {
    return [
      {
        name: "Oro webhook owner",
        status: "failed",
        detail: `GET userprofile: ${text(error)}`,
        hint: "the API user must be able to read its own profile (any back-office user can)",
      },
    ];
  }
  let webhooks: WebhookRow[] = [];
  try {
    for await (const page of oro.pages<WebhookRow["attributes"] & object>("webhooks", { filter: { topic: topics }, page: { size: 100 }, maxPages: 20 }))
      webhooks.push(...(page.data as WebhookRow[]));
  } catch (error) {
    if (error instanceof OroNotFoundError) {
      // Oro before 6.1.10 / 7.0.2: no webhooks at all; the reconciliation window carries the orders.
      return [
        {
          name: "Oro webhooks",
          status: "skipped",
          detail: `Oro has no webhooks API (needs 6.1.10+ / 7.0.2+): ${topics.join(", ")} events arrive only through the connectors' reconciliation windows`,
        },
      ];
    }
    return [{ name: "Oro webhooks", status: "failed", detail: text(error), hint: "the API user needs VIEW on webhooks to list them" }];
  }
  webhooks = webhooks.filter((w) => w.attributes?.enabled !== false);
  for (const topic of topics) {
    const resource = RESOURCE_OF_ALIAS[topic.split(".")[0] ?? ""] ?? topic;
    const ofTopic = webhooks.filter((w) => w.relationships?.topic?.data?.id === topic);
    if (ofTopic.length === 0) {
      // Not a failure: the reconciliation window still exports the records, only later.
      items.push({
        name: `Oro webhook ${topic}`,
        status: "skipped",
        detail: `no enabled webhook for ${topic}: its records arrive only through the reconciliation window (later); to register one: oro-connectors webhook register --url <WebhookUrl> --topic ${topic}`,
      });
      continue;
    }
    for (const webhook of ofTopic) {
      const owner = webhook.relationships?.owner?.data?.id;
      if (owner !== me) {
        items.push({
          name: `Oro webhook ${topic} owner`,
          status: "failed",
          detail: `webhook ${webhook.id} is owned by user ${owner ?? "?"}, not the API user ${me}: Oro skips its deliveries silently when that user lacks VIEW on ${resource}, and the API cannot show that user's rights`,
          hint: `re-register it with the API user (oro-connectors webhook register), or make sure user ${owner ?? "?"} has VIEW on ${resource} at organization level`,
        });
        continue;
      }
      try {
        await oro.list(resource, { page: { size: 1 } });
        items.push({
          name: `Oro webhook ${topic} owner`,
          status: "ok",
          detail: `webhook ${webhook.id} is owned by the API user ${me}, who has VIEW on ${resource} (GET answered 200); give it organization level so no order is skipped`,
        });
      } catch (error) {
        const forbidden = error instanceof OroForbiddenError;
        items.push({
          name: `Oro webhook ${topic} owner`,
          status: "failed",
          detail: forbidden ? `the webhook's owner (the API user ${me}) has no VIEW on ${resource}: Oro skips every ${topic} delivery` : text(error),
          hint: forbidden ? `grant VIEW on ${resource} (organization level) to the API user's role` : "see the error",
        });
      }
    }
  }
  return items;
};
