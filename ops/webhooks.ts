import type { OroClient, ResourceObject } from "../shared/oro";

/**
 * Managing Oro's webhooks (`/admin/api/webhooks`, Oro 6.1.10+ / 7.0.2+, docs/reference/oro-webhooks.md)
 * that point at the webhook ingress. Registering again replaces the webhook of that URL and topic
 * instead of adding a second one (which would deliver every event twice for good).
 */

/** JSON:API types of Oro's webhook resources. */
const WEBHOOKS = "webhooks";
const TOPICS = "webhooktopics";
const FORMATS = "webhookformats";
/** Pages of webhooks read per topic at most. */
const MAX_PAGES = 20;

/** What to register. */
export interface WebhookRegistration {
  /** The ingress Function URL (Oro's `notificationUrl`). */
  url: string;
  /** Topics, e.g. `order.created` (ids of `webhooktopics`). */
  topics: readonly string[];
  /** Signing secret; the same value the ingress reads from `WEBHOOK_SECRET_NAME`. Never printed. */
  secret: string;
  /** `default` (full JSON:API document) or `thin` (type and id only). @default "default" */
  format?: string;
  /** Verify the ingress's TLS certificate. @default true */
  verifySsl?: boolean;
}

/** One thing done, for the CLI to print. */
export interface WebhookAction {
  action: "created" | "deleted" | "found";
  id: string;
  topic: string;
  url: string;
  enabled?: boolean;
  /** For a webhook deleted by a rotation: the webhook created in its place. */
  replacedBy?: string;
}

type WebhookAttributes = { notificationUrl?: string; enabled?: boolean; verifySsl?: boolean };

const topicOf = (webhook: ResourceObject<WebhookAttributes>): string | undefined => {
  const data = webhook.relationships?.topic?.data;
  return data && !Array.isArray(data) ? data.id : undefined;
};

/** Webhooks of `topics` (all when empty) that notify `url` (any when undefined). */
export const findWebhooks = async (
  oro: OroClient,
  options: { url?: string; topics?: readonly string[] },
): Promise<Array<ResourceObject<WebhookAttributes>>> => {
  const found: Array<ResourceObject<WebhookAttributes>> = [];
  const filter = options.topics && options.topics.length > 0 ? { topic: [...options.topics] } : undefined;
  for await (const page of oro.pages<WebhookAttributes>(WEBHOOKS, { ...(filter ? { filter } : {}), page: { size: 100 }, maxPages: MAX_PAGES })) {
    // notificationUrl has no filter in Oro's api.yml: matched here.
    found.push(...page.data.filter((w) => options.url === undefined || w.attributes?.notificationUrl === options.url));
  }
  return found;
};

/**
 * Creates the webhook of each topic and then deletes the ones it replaces (same URL and topic).
 *
 * Why delete + re-create instead of PATCH: Oro's `secret` is write-once (api.yml excludes it and
 * re-enables it for `create` only, so a PATCH carrying it answers 400 "extra fields constraint",
 * docs/reference/oro-webhooks.md §1), and it is never output, so whether the existing webhook
 * already has this secret cannot be read either. Creating first means there is no moment without
 * a webhook: while both exist each event goes to both with the same `messageId` (Oro shares it
 * between the webhooks of one event), which the ingress and the connectors deduplicate, and the
 * ingress accepts both secrets when its secret holds the new one with the old as `previousSecret`
 * (docs/ops.md "Rotating the webhook signing secret"). If any create fails nothing is deleted.
 * An unknown topic fails with Oro's 400 "valid webhook topic constraint" before anything is deleted.
 */
export const registerWebhooks = async (oro: OroClient, registration: WebhookRegistration): Promise<WebhookAction[]> => {
  const existing = await findWebhooks(oro, { url: registration.url, topics: registration.topics });
  const created: WebhookAction[] = [];
  for (const topic of registration.topics) {
    const webhook = await oro.create({
      type: WEBHOOKS,
      attributes: { notificationUrl: registration.url, secret: registration.secret, enabled: true, verifySsl: registration.verifySsl ?? true },
      relationships: {
        topic: { data: { type: TOPICS, id: topic } },
        format: { data: { type: FORMATS, id: registration.format ?? "default" } },
      },
    });
    created.push({ action: "created", id: webhook.data.id, topic, url: registration.url, enabled: true });
  }
  const deleted: WebhookAction[] = [];
  for (const old of existing) {
    const topic = topicOf(old) ?? "?";
    await oro.delete(WEBHOOKS, old.id, { ignoreNotFound: true });
    const replacement = created.find((c) => c.topic === topic);
    deleted.push({ action: "deleted", id: old.id, topic, url: registration.url, ...(replacement ? { replacedBy: replacement.id } : {}) });
  }
  return [...created, ...deleted];
};

/** Deletes the webhooks of `url` for `topics` (every topic when empty). */
export const deleteWebhooks = async (oro: OroClient, options: { url: string; topics?: readonly string[] }): Promise<WebhookAction[]> => {
  const actions: WebhookAction[] = [];
  for (const webhook of await findWebhooks(oro, options)) {
    await oro.delete(WEBHOOKS, webhook.id, { ignoreNotFound: true });
    actions.push({ action: "deleted", id: webhook.id, topic: topicOf(webhook) ?? "?", url: options.url });
  }
  return actions;
};

/** Lists webhooks (of `url`, when given) as actions `found`. */
export const listWebhooks = async (oro: OroClient, options: { url?: string; topics?: readonly string[] }): Promise<WebhookAction[]> =>
  (await findWebhooks(oro, options)).map((w) => ({
    action: "found",
    id: w.id,
    topic: topicOf(w) ?? "?",
    url: w.attributes?.notificationUrl ?? "?",
    enabled: w.attributes?.enabled ?? false,
  }));
