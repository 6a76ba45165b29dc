import type { OroClient, ResourceObject } from "../shared/oro";

/**
 * Managing Oro's webhooks (`/admin/api/webhooks`, Oro 6.1.10+ / 7.0.2+, docs/reference/oro-api.md §8.1)
 * that point at the webhook ingress. Idempotent: registering again updates the webhook of that
 * URL and topic instead of adding a second one (which would deliver every event twice).
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
  action: "created" | "updated" | "deleted" | "found";
  id: string;
  topic: string;
  url: string;
  enabled?: boolean;
}

type WebhookAttributes = { notificationUrl?: string; enabled?: boolean; verifySsl?: boolean };

const topicOf = (webhook: ResourceObject<WebhookAttributes>): string | undefined => {
  const data = webhook.relationships?.topic?.data;
  return data && !Array.isArray(data) ? data.id : undefined;
};

/** Webhooks of `topics` (all when empty) that notify `url` (any when undefined). */
export const findWebhooks = async (oro: OroClient, options: { url?: string; topics?: readonly string[] }): Promise<Array<ResourceObject<WebhookAttributes>>> => {
  const found: Array<ResourceObject<WebhookAttributes>> = [];
  const filter = options.topics && options.topics.length > 0 ? { topic: [...options.topics] } : undefined;
  for await (const page of oro.pages<WebhookAttributes>(WEBHOOKS, { ...(filter ? { filter } : {}), page: { size: 100 }, maxPages: MAX_PAGES })) {
    // notificationUrl has no filter in Oro's api.yml: matched here.
    found.push(...page.data.filter((w) => options.url === undefined || w.attributes?.notificationUrl === options.url));
  }
  return found;
};

/**
 * Creates the webhook of each topic, or updates the existing one of that URL and topic (secret,
 * format, TLS check, enabled). Unknown topics fail with Oro's 400, which names the topic.
 */
export const registerWebhooks = async (oro: OroClient, registration: WebhookRegistration): Promise<WebhookAction[]> => {
  const actions: WebhookAction[] = [];
  const existing = await findWebhooks(oro, { url: registration.url, topics: registration.topics });
  for (const topic of registration.topics) {
    const attributes = { notificationUrl: registration.url, secret: registration.secret, enabled: true, verifySsl: registration.verifySsl ?? true };
    const relationships = {
      topic: { data: { type: TOPICS, id: topic } },
      format: { data: { type: FORMATS, id: registration.format ?? "default" } },
    };
    const current = existing.find((w) => topicOf(w) === topic);
    if (current) {
      await oro.update({ type: WEBHOOKS, id: current.id, attributes, relationships: { format: relationships.format } });
      actions.push({ action: "updated", id: current.id, topic, url: registration.url, enabled: true });
    } else {
      const created = await oro.create({ type: WEBHOOKS, attributes, relationships });
      actions.push({ action: "created", id: created.data.id, topic, url: registration.url, enabled: true });
    }
  }
  return actions;
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
  (await findWebhooks(oro, options)).map((w) => ({ action: "found", id: w.id, topic: topicOf(w) ?? "?", url: w.attributes?.notificationUrl ?? "?", enabled: w.attributes?.enabled ?? false }));
