import type { StateKey, StateTable } from "../../shared/state";
import type { OroWebhookBody } from "../../shared/messages";

/**
 * Replay protection of signed webhooks (docs/reference/security.md §3). A captured delivery stays
 * validly signed forever, so the signed body's `timestamp` must be recent, and each Oro
 * `messageId` is enqueued once per topic (a claim in the state table that outlives the window).
 */

/** Seconds a claim stays `pending` while its delivery is enqueued: 3x the ingress timeout (10 s). */
export const PENDING_CLAIM_SECONDS = 30;
/** Margin added to the window for how long a handled `messageId` is remembered. */
const KEEP_MARGIN_SECONDS = 3600;

/** Why a body's timestamp is refused, or undefined when it is inside the window. */
export const timestampProblem = (
  timestamp: OroWebhookBody["timestamp"],
  nowMs: number,
  window: { maxAgeSeconds: number; maxFutureSeconds: number },
): string | undefined => {
  // Oro sends `time()`: integer epoch seconds (IntegrationBundle WebhookNotifier).
  const seconds = typeof timestamp === "number" ? timestamp : timestamp.trim() === "" ? Number.NaN : Number(timestamp);
  if (!Number.isFinite(seconds)) return `timestamp ${JSON.stringify(String(timestamp).slice(0, 40))} is not epoch seconds`;
  const age = nowMs / 1000 - seconds;
  if (age > window.maxAgeSeconds)
    return `timestamp ${seconds} is ${Math.round(age)} s old, older than the ${window.maxAgeSeconds} s window: refused as a replay (set webhook.replayWindowSeconds to allow older deliveries)`;
  if (-age > window.maxFutureSeconds)
    return `timestamp ${seconds} is ${Math.round(-age)} s in the future, beyond the ${window.maxFutureSeconds} s allowed for clock skew`;
  return undefined;
};

/** The state-table key of a delivery: one per Oro event (`messageId`) and topic. */
export const replayKey = (body: OroWebhookBody): StateKey => ({ pk: `webhook#${body.messageId}`, sk: `topic#${body.topic}` });

/** How long a handled messageId is remembered: longer than any timestamp the window accepts. */
export const keepSeconds = (window: { maxAgeSeconds: number; maxFutureSeconds: number }): number =>
  window.maxAgeSeconds + window.maxFutureSeconds + KEEP_MARGIN_SECONDS;

export type { StateTable };
