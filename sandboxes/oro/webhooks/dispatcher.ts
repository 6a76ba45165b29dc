import { createHmac, randomUUID } from "node:crypto";
import type { OroStore, Ref, StoredRecord } from "../model";

/** Retry behaviour of webhook deliveries; keep delays short in tests. */
export interface WebhookRetryOptions {
  /** Attempts in total, first one included (default 5). */
  maxAttempts: number;
  /** First retry delay in ms (default 1000, Symfony GenericRetryStrategy). */
  baseDelayMs: number;
  /** Delay multiplier per attempt (default 2). */
  multiplier: number;
  /** Upper bound of any delay, `Retry-After` included, in ms (default 60000). */
  maxDelayMs: number;
  /** Per-attempt request timeout in ms (default 5000). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryOptions = { maxAttempts: 5, baseDelayMs: 1000, multiplier: 2, maxDelayMs: 60_000, timeoutMs: 5_000 };

/** One delivery attempt, as shown at `GET /__admin/state/webhookdeliveries`. */
export interface DeliveryLogEntry {
  messageId: string;
  webhookId: string;
  topic: string;
  url: string;
  attempt: number;
  /** HTTP status, or null when the request failed on the network. */
  status: number | null;
  outcome: "delivered" | "retrying" | "failed" | "gone";
  /** Delay before the next attempt, when retrying. */
  retryInMs?: number;
  error?: string;
  at: string;
}

/** Renders the `eventData` of an entity in the `default` format. */
export type EventDataRenderer = (record: StoredRecord) => { data: unknown; included?: unknown[] };

/** Entity aliases that name topics (`order.created`). Source: WebhookConfigurationProvider.php. */
const ALIAS_BY_TYPE: Record<string, string> = { orders: "order", products: "product", customers: "customer", customerusers: "customeruser" };

/** Symfony GenericRetryStrategy codes plus 5xx (the brief: 429/5xx are retried). */
const isRetryable = (status: number) => status === 423 || status === 425 || status === 429 || status >= 500;

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Sends Oro 6.1.10+ webhook notifications: POST `{topic, timestamp, messageId, eventData}` with
 * `Webhook-Topic`, `Webhook-Id`, and with a secret `Webhook-Signature` = hex HMAC-SHA256 of the raw
 * body + `Webhook-Signature-Algorithm: HMAC-SHA256`; 2xx ok, 410 deletes the webhook, 429/5xx retried
 * with backoff honouring `Retry-After`, others logged as failures; redirects are not followed.
 * Sources: platform@6.1.10 IntegrationBundle Model/WebhookNotificationSender.php, WebhookResponseProcessor/*;
 * doc@6.1:bundles/platform/IntegrationBundle/webhooks.md (docs/reference/oro-api.md §8.1).
 */
export class WebhookDispatcher {
  readonly log: DeliveryLogEntry[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(
    private readonly store: OroStore,
    private readonly render: EventDataRenderer,
    private readonly retry: WebhookRetryOptions,
  ) {}

  /** Queues notifications for `<alias>.<event>` to every enabled webhook of that topic. */
  emit(record: StoredRecord, event: "created" | "updated" | "deleted"): void {
    const alias = ALIAS_BY_TYPE[record.type];
    if (!alias || this.stopped) return;
    const topic = `${alias}.${event}`;
    for (const webhook of this.store.list("webhooks")) {
      if (webhook.attributes.enabled !== true || (webhook.relationships.topic as Ref | null)?.id !== topic) continue;
      const format = (webhook.relationships.format as Ref | null)?.id ?? "default";
      // Serialized now, not at send time (delete events are serialized before the row goes).
      const eventData = format === "thin" ? { data: { type: record.type, id: record.id } } : this.render(record);
      const body = JSON.stringify({ topic, timestamp: Math.floor(Date.now() / 1000), messageId: randomUUID(), eventData });
      this.track(this.deliver(webhook.id, topic, body, 1));
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
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private async deliver(webhookId: string, topic: string, body: string, attempt: number): Promise<void> {
    const webhook = this.store.mustTable("webhooks").get(webhookId);
    if (!webhook || this.stopped) return;
    const url = String(webhook.attributes.notificationUrl);
    const messageId = (JSON.parse(body) as { messageId: string }).messageId;
    const headers: Record<string, string> = { "Content-Type": "application/json", "Webhook-Topic": topic, "Webhook-Id": messageId };
    const secret = webhook.attributes.secret;
    if (typeof secret === "string" && secret !== "") {
      headers["Webhook-Signature"] = createHmac("sha256", secret).update(body).digest("hex");
      headers["Webhook-Signature-Algorithm"] = "HMAC-SHA256";
    }
    const entry: DeliveryLogEntry = { messageId, webhookId, topic, url, attempt, status: null, outcome: "failed", at: new Date().toISOString() };
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(this.retry.timeoutMs) });
      await response.arrayBuffer();
      entry.status = response.status;
      if (response.status >= 200 && response.status < 300) entry.outcome = "delivered";
      else if (response.status === 410) {
        entry.outcome = "gone";
        this.store.mustTable("webhooks").delete(webhookId);
      } else if (isRetryable(response.status)) {
        entry.outcome = "retrying";
        retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      }
    } catch (error) {
      entry.outcome = "retrying";
      entry.error = error instanceof Error ? error.message : String(error);
    }
    if (entry.outcome === "retrying" && attempt >= this.retry.maxAttempts) entry.outcome = "failed";
    if (entry.outcome === "retrying") {
      const backoff = this.retry.baseDelayMs * this.retry.multiplier ** (attempt - 1);
      const delay = Math.min(retryAfterMs ?? backoff, this.retry.maxDelayMs);
      entry.retryInMs = delay;
      this.log.push(entry);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, delay);
        this.timers.set(timer, resolve);
      });
      return this.deliver(webhookId, topic, body, attempt + 1);
    }
    this.log.push(entry);
  }
}
