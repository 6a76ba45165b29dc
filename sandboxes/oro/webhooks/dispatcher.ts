import { createHmac, randomUUID } from "node:crypto";
import type { SandboxAcl } from "../acl";
import type { OroStore, Ref, StoredRecord } from "../model";

/**
 * Timing of webhook deliveries. The rules (which answers are retried, which are not) are Oro's;
 * the numbers are test controls, defaults are Oro's (docs/reference/oro-webhooks.md §2).
 */
export interface WebhookRetryOptions {
  /** Attempts in total, first one included. Oro has no limit (default Infinity); tests bound it. */
  maxAttempts: number;
  /** Delay before a retry in ms when the answer has no `Retry-After` (Oro: 1000, GenericRetryStrategy `delay_ms`). */
  baseDelayMs: number;
  /**
   * Delay multiplier per attempt. Oro's effective value is 1 (default): its strategy is asked
   * without a retry count, so every retry waits `delay_ms` (docs/reference/oro-webhooks.md §2).
   */
  multiplier: number;
  /** Upper bound of any delay, `Retry-After` included, in ms. Oro: none (default Infinity); a test control. */
  maxDelayMs: number;
  /** Per-attempt request timeout in ms (Oro: 30 s, `oro_integration.webhook_notification_http_timeout`). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryOptions = { maxAttempts: Infinity, baseDelayMs: 1000, multiplier: 1, maxDelayMs: Infinity, timeoutMs: 30_000 };

/** One delivery attempt (or skip), as shown at `GET /__admin/state/webhookdeliveries`. */
export interface DeliveryLogEntry {
  messageId: string;
  webhookId: string;
  topic: string;
  url: string;
  attempt: number;
  /** HTTP status, or null when the request failed on the network, timed out, or was skipped. */
  status: number | null;
  /**
   * `delivered` 2xx; `retrying` 423/425/429/502/503 (requeued); `failed` anything else, timeouts
   * and transport errors included (never retried); `gone` 410 (webhook deleted); `skipped` the
   * webhook's owner lacks VIEW on the entity (no request made).
   */
  outcome: "delivered" | "retrying" | "failed" | "gone" | "skipped";
  /** Delay before the next attempt, when retrying. */
  retryInMs?: number;
  error?: string;
  at: string;
}

/** Renders the `eventData` of an entity in the `default` format. */
export type EventDataRenderer = (record: StoredRecord) => { data: unknown; included?: unknown[] };

/** Entity aliases that name topics (`order.created`). Source: WebhookConfigurationProvider.php. */
const ALIAS_BY_TYPE: Record<string, string> = { orders: "order", products: "product", customers: "customer", customerusers: "customeruser" };

/** PHP class of each entity, sent as `data.type` by Oro's fallback body (JsonApiFormatWebhookEventDataProvider::getFallbackData). */
export const ENTITY_CLASS_BY_TYPE: Record<string, string> = {
  orders: "Oro\\Bundle\\OrderBundle\\Entity\\Order",
  products: "Oro\\Bundle\\ProductBundle\\Entity\\Product",
  customers: "Oro\\Bundle\\CustomerBundle\\Entity\\Customer",
  customerusers: "Oro\\Bundle\\CustomerBundle\\Entity\\CustomerUser",
};

/**
 * Statuses Oro retries for a webhook POST: Symfony's GenericRetryStrategy::DEFAULT_RETRY_STATUS_CODES
 * without the codes it limits to idempotent methods (0, 500, 504, 507, 510), as
 * RetryableErrorWebhookResponseProcessor::supports() asks it for a POST.
 */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([423, 425, 429, 502, 503]);

/** `Retry-After` in ms: seconds or an HTTP date (RetryableErrorWebhookResponseProcessor::getDelayFromHeader). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.trunc(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.floor((at - Date.now()) / 1000)) * 1000;
}

/** PHP's json_encode() without flags: `/` escaped as `\/`, non-ASCII as `\uXXXX` (what Oro signs and sends). */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What one event carries to every webhook of its topic. */
interface WebhookEvent {
  topic: string;
  messageId: string;
  timestamp: number;
  eventData: { data: Record<string, unknown>; included?: unknown[] };
}

/**
 * Oro 6.1.10+/7.0.2+ webhook delivery, rule for rule (docs/reference/oro-webhooks.md):
 * - an event goes to every enabled webhook of its topic whose owner has VIEW on the entity; the
 *   others are skipped without a request (WebhookNotificationProcessor::isTargetEntityViewAllowed);
 * - all webhooks of one event share its `messageId` (WebhookNotificationProcessor passes
 *   `message_id` to each ProcessSingleWebhookNotification message);
 * - body `{"topic","eventData","timestamp","messageId"}` in that order, PHP-json-encoded;
 *   `Webhook-Topic`, `Webhook-Id`, with a secret `Webhook-Signature` = hex HMAC-SHA256 of the body +
 *   `Webhook-Signature-Algorithm: HMAC-SHA256`; no redirects (WebhookNotificationSender.php);
 *   `thin` drops `included`, `attributes`, `relationships` (ThinPayloadWebhookRequestProcessor.php);
 * - 2xx delivered; 410 deletes the webhook; 423/425/429/502/503 requeued after `Retry-After` or
 *   the strategy's delay, with no attempt limit; every other status (500 included), timeouts and
 *   transport errors are logged and the message rejected: never retried
 *   (Model/WebhookResponseProcessor/*, Async/ProcessSingleWebhookNotificationProcessor.php);
 * - when the entity cannot be serialized, `eventData` is the fallback `{"data":{"type":"<PHP class>","id":...}}`
 *   (Provider/JsonApiFormatWebhookEventDataProvider.php getFallbackData); {@link failSerialization} triggers it.
 * Sources: oroinc/platform 6.1.11 and 7.0.4, src/Oro/Bundle/IntegrationBundle.
 */
export class WebhookDispatcher {
  readonly log: DeliveryLogEntry[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;
  private fallbackEvents = 0;

  private readonly retry: WebhookRetryOptions;

  constructor(
    private readonly store: OroStore,
    private readonly render: EventDataRenderer,
    retry: WebhookRetryOptions,
    private readonly acl: SandboxAcl,
  ) {
    this.retry = { ...retry };
  }

  /** Test control: changes the timing (e.g. a short timeout for a proof run); later attempts use it. */
  configure(retry: Partial<WebhookRetryOptions>): void {
    Object.assign(this.retry, retry);
  }

  /** Test control: the next `count` events are sent with Oro's fallback body, as when Oro cannot load the entity. */
  failSerialization(count: number): void {
    this.fallbackEvents = Math.max(0, Math.floor(count));
  }

  /** Queues notifications for `<alias>.<event>` to every enabled webhook of that topic. */
  emit(record: StoredRecord, event: "created" | "updated" | "deleted"): void {
    const alias = ALIAS_BY_TYPE[record.type];
    if (!alias || this.stopped) return;
    const topic = `${alias}.${event}`;
    const webhooks = this.store.list("webhooks").filter((w) => w.attributes.enabled === true && (w.relationships.topic as Ref | null)?.id === topic);
    if (webhooks.length === 0) return;
    let eventData: WebhookEvent["eventData"];
    if (this.fallbackEvents > 0) {
      this.fallbackEvents -= 1;
      eventData = { data: { type: ENTITY_CLASS_BY_TYPE[record.type] ?? record.type, id: /^\d+$/.test(record.id) ? Number(record.id) : record.id } };
    } else {
      // Serialized once, at event time (delete events are serialized before the row goes).
      eventData = this.render(record) as WebhookEvent["eventData"];
    }
    const message: WebhookEvent = { topic, messageId: randomUUID(), timestamp: Math.floor(Date.now() / 1000), eventData };
    for (const webhook of webhooks) {
      const owner = (webhook.relationships.owner as Ref | null)?.id ?? "1";
      if (!this.acl.isGranted(owner, record.type, "VIEW")) {
        // Oro logs this at info level only; nothing is sent and nothing is retried.
        this.log.push({
          messageId: message.messageId,
          webhookId: webhook.id,
          topic,
          url: String(webhook.attributes.notificationUrl),
          attempt: 0,
          status: null,
          outcome: "skipped",
          error: `owner ${owner} has no VIEW on ${record.type}`,
          at: new Date().toISOString(),
        });
        continue;
      }
      this.track(this.deliver(webhook.id, message, 1));
    }
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Cancels queued retries; in-flight requests finish on their own. */
  stop(): void {
    this.stopped = true;
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }

  clearLog(): void {
    this.log.length = 0;
    this.fallbackEvents = 0;
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private bodyFor(webhookId: string, message: WebhookEvent): string {
    const webhook = this.store.mustTable("webhooks").get(webhookId);
    const format = (webhook?.relationships.format as Ref | null)?.id ?? "default";
    let eventData = message.eventData;
    if (format === "thin") {
      const data = { ...message.eventData.data };
      delete data.attributes;
      delete data.relationships;
      eventData = { data };
    }
    return phpJsonEncode({ topic: message.topic, eventData, timestamp: message.timestamp, messageId: message.messageId });
  }

  private async deliver(webhookId: string, message: WebhookEvent, attempt: number): Promise<void> {
    // ProcessSingleWebhookNotificationProcessor reloads the webhook on each attempt: deleted = dropped, disabled = acked.
    const webhook = this.store.mustTable("webhooks").get(webhookId);
    if (!webhook || webhook.attributes.enabled !== true || this.stopped) return;
    const url = String(webhook.attributes.notificationUrl);
    const body = this.bodyFor(webhookId, message);
    const headers: Record<string, string> = { "Content-Type": "application/json", "Webhook-Topic": message.topic, "Webhook-Id": message.messageId };
    const secret = webhook.attributes.secret;
    if (typeof secret === "string" && secret !== "") {
      headers["Webhook-Signature"] = createHmac("sha256", secret).update(body).digest("hex");
      headers["Webhook-Signature-Algorithm"] = "HMAC-SHA256";
    }
    const entry: DeliveryLogEntry = {
      messageId: message.messageId,
      webhookId,
      topic: message.topic,
      url,
      attempt,
      status: null,
      outcome: "failed",
      at: new Date().toISOString(),
    };
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(this.retry.timeoutMs) });
      await response.arrayBuffer();
      entry.status = response.status;
      if (response.status >= 200 && response.status < 300) entry.outcome = "delivered";
      else if (response.status === 410) {
        entry.outcome = "gone";
        this.store.mustTable("webhooks").delete(webhookId);
      } else if (RETRIED_STATUSES.has(response.status)) {
        entry.outcome = "retrying";
        retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      }
    } catch (error) {
      // Timeout or transport error: logged and rejected by Oro, never retried.
      entry.error = error instanceof Error ? (error.name === "TimeoutError" ? `timed out after ${this.retry.timeoutMs} ms` : error.message) : String(error);
    }
    if (entry.outcome === "retrying" && attempt >= this.retry.maxAttempts) entry.outcome = "failed";
    this.log.push(entry);
    if (entry.outcome !== "retrying") return;
    const delay = Math.min(retryAfterMs ?? this.retry.baseDelayMs * this.retry.multiplier ** (attempt - 1), this.retry.maxDelayMs);
    entry.retryInMs = delay;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, delay);
      this.timers.set(timer, resolve);
    });
    return this.deliver(webhookId, message, attempt + 1);
  }
}
