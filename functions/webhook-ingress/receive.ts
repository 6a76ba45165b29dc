import type { SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from "aws-lambda";
import * as z from "zod/mini";
import type { Logger } from "../../shared/connector";
import { describeError, errorCode } from "../../shared/errors";
import { OroWebhookBodySchema } from "../../shared/messages";
import type { InvocationMetrics } from "../../shared/observability";
import type { StateTable } from "../../shared/state";
import { type IngressConfig, routeFor } from "./config";
import { forwardWebhook } from "./enqueue";
import type { ReloadGate } from "./reload-gate";
import { keepSeconds, PENDING_CLAIM_SECONDS, replayKey, timestampProblem } from "./replay";
import { checkScheduleSync, SCHEDULE_SYNC_TOPIC, scheduledTimeOf, sendWindowMessage, windowEnvelope } from "./schedule-sync";
import { type SignatureProblem, type WebhookSecret, signatureShapeProblem, verifySignature } from "./signature";

/** Metric names the ingress publishes (EMF). */
export const IngressMetric = {
  accepted: "WebhooksAccepted",
  unauthorized: "WebhooksUnauthorized",
  ignored: "WebhooksIgnoredTopic",
  invalid: "WebhooksInvalid",
  tooLarge: "WebhooksTooLarge",
  enqueueFailed: "WebhooksEnqueueFailed",
  unavailable: "WebhooksUnavailable",
  /** Mismatch while the secret was reloaded less than the reload interval ago: 503, Oro retries. */
  signatureDeferred: "WebhooksSignatureDeferred",
  /** Body timestamp outside the replay window: 400. */
  stale: "WebhooksStale",
  /** messageId already enqueued for this topic: 200, not enqueued again. */
  duplicate: "WebhooksDuplicate",
  /** The state table could not be reached: enqueued without the dedup (logged at error). */
  dedupUnavailable: "WebhooksDedupUnavailable",
  /** A Schedule sync request from Oro started a window run (schedule-sync.ts). */
  scheduleSync: "ScheduleSyncRequested",
} as const;

/** Seconds Oro is asked to wait before redelivering after a 503 (it honours `Retry-After`). */
const RETRY_AFTER_SECONDS = 30;
const MAX_ISSUES = 5;
/** Longest unsigned header value written to a log line: a 401 must not log what an attacker sends. */
const MAX_LOGGED_HEADER_CHARS = 128;

const capped = (value: string | undefined): string | undefined =>
  value === undefined || value.length <= MAX_LOGGED_HEADER_CHARS ? value : `${value.slice(0, MAX_LOGGED_HEADER_CHARS)}…(${value.length} chars)`;

/** What one request needs; built once per container by the handler. */
export interface IngressDependencies {
  config: IngressConfig;
  /** The SQS client (the shared one is created lazily, hence possibly a promise). */
  sqs: () => SQSClient | Promise<SQSClient>;
  /** Loads the webhook secret; `forceRefresh` reloads it (rotation). */
  secret: (options?: { forceRefresh?: boolean }) => Promise<WebhookSecret>;
  /** Structured logger (the Powertools root logger in Lambda); every line is redacted. */
  logger: Logger;
  metrics: InvocationMetrics;
  /** Bounds forced secret reloads (one per container per `config.secretReloadSeconds`). */
  reloadGate: ReloadGate;
  /** The state table for replay dedup; undefined: no dedup. */
  state?: StateTable | undefined;
  /** Clock in ms, for tests. @default Date.now */
  now?: () => number;
}

type Result = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Result => ({
  statusCode,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** Function URL events carry lower-case header names; lower-case anyway for other front doors. */
const headerReader = (headers: LambdaFunctionURLEvent["headers"] | undefined) => {
  const lower = new Map(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return (name: string): string | undefined => lower.get(name.toLowerCase()) ?? undefined;
};

/**
 * Handles one Oro webhook delivery (docs/reference/oro-api.md §8.1, docs/reference/aws.md §5.1). The status
 * codes follow what Oro does with them: 2xx = delivered; 429/5xx = Oro redelivers later; 410 =
 * Oro DELETES the webhook, so it is never used; any other 4xx = Oro logs a failure and gives up.
 *
 * Order: method, size, signature (nothing of an unsigned body is parsed), JSON and schema, topic
 * header, route, enqueue.
 */
export const receiveWebhook = async (event: LambdaFunctionURLEvent, deps: IngressDependencies): Promise<Result> => {
  const { config, logger, metrics } = deps;
  const header = headerReader(event.headers);
  const method = event.requestContext?.http?.method ?? "POST";
  const topicHeader = header("webhook-topic");
  // Unsigned headers are logged capped: they are whatever the sender chose.
  const requestLog = { sourceIp: event.requestContext?.http?.sourceIp, webhookId: capped(header("webhook-id")), topicHeader: capped(topicHeader) };

  if (method !== "POST") return json(405, { error: "only POST is accepted" }, { allow: "POST" });

  const raw = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
  if (raw.length > config.maxBodyBytes) {
    metrics.count(IngressMetric.tooLarge);
    logger.warn("webhook body too large: rejected", { ...requestLog, bytes: raw.length, maxBytes: config.maxBodyBytes });
    return json(413, { error: `body larger than ${config.maxBodyBytes} bytes`, maxBytes: config.maxBodyBytes });
  }

  const signature = header("webhook-signature");
  let problem: SignatureProblem | undefined = signatureShapeProblem(signature, header("webhook-signature-algorithm"));
  if (!problem) {
    let secret: WebhookSecret;
    try {
      secret = await deps.secret();
      if (!verifySignature(raw, signature as string, candidates(secret))) {
        // The secret may have been rotated since it was cached: reload, but at most once per
        // container per interval (coalesced), so bad requests cannot multiply Secrets Manager calls.
        const reloaded = await deps.reloadGate.reload(async () => {
          await deps.secret({ forceRefresh: true });
        });
        if (!reloaded) {
          // Reloaded moments ago: a mismatch now is almost surely a bad request, but a rotation
          // inside the interval cannot be ruled out, and a 401 would make Oro drop the event.
          const wait = Math.max(1, Math.ceil(deps.reloadGate.waitMs() / 1000));
          metrics.count(IngressMetric.signatureDeferred);
          logger.warn("webhook signature does not match the secret loaded moments ago: answering 503 until a reload is allowed", {
            ...requestLog,
            retryAfterSeconds: wait,
          });
          return json(503, { error: "temporarily unavailable" }, { "retry-after": String(wait) });
        }
        // The reload (this request's or one it joined) left the fresh secret in the cache.
        secret = await deps.secret();
        if (!verifySignature(raw, signature as string, candidates(secret))) problem = "mismatch";
      }
    } catch (error) {
      metrics.count(IngressMetric.unavailable);
      logger.error("cannot load the webhook secret: answering 503 so Oro retries", { ...requestLog, code: errorCode(error), error: describeError(error) });
      return json(503, { error: "temporarily unavailable" }, { "retry-after": String(RETRY_AFTER_SECONDS) });
    }
  }
  if (problem) {
    metrics.count(IngressMetric.unauthorized);
    // Neither the signature nor the secret is logged: the reason and the sender are enough to act on.
    logger.warn("webhook signature rejected", { ...requestLog, reason: problem });
    return json(401, { error: "missing or invalid Webhook-Signature" });
  }

  // From here on the body is authentic. A 400 is the right answer for a body we cannot use: Oro
  // would send the same bytes again on a 5xx, so retrying cannot help; Oro logs the failure.
  const text = raw.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid(deps, requestLog, "body is not JSON");
  }
  const result = z.safeParse(OroWebhookBodySchema, parsed);
  if (!result.success) {
    const issues = result.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    return invalid(deps, requestLog, `body is not an Oro webhook {topic, timestamp, messageId, eventData}: ${issues.join("; ")}`);
  }
  const body = result.data;
  // The header is not covered by the signature, the body's topic is: route by the body, and refuse
  // a delivery whose header says something else.
  if (topicHeader !== undefined && topicHeader !== body.topic) {
    return invalid(deps, requestLog, `Webhook-Topic header "${topicHeader.slice(0, 100)}" does not match the body's topic "${body.topic}"`);
  }
  const window = { maxAgeSeconds: config.maxAgeSeconds, maxFutureSeconds: config.maxFutureSeconds };
  const stale = timestampProblem(body.timestamp, (deps.now ?? Date.now)(), window);
  if (stale) {
    metrics.count(IngressMetric.stale);
    return invalid(deps, { ...requestLog, messageId: body.messageId }, stale);
  }

  // What to enqueue: Oro's body unchanged on its topic's queue, or, for the bundle's Schedule sync,
  // the connector's schedule window message (schedule-sync.ts).
  let queueUrl: string | undefined;
  let send: () => Promise<void>;
  if (body.topic === SCHEDULE_SYNC_TOPIC) {
    const sync = checkScheduleSync(body, config.syncRoutes);
    if (!sync.ok) return invalid(deps, { ...requestLog, messageId: body.messageId }, sync.reason);
    const route = sync.route;
    queueUrl = route.queueUrl;
    const envelope = windowEnvelope(sync.event, route.messageType, scheduledTimeOf(Number(body.timestamp)));
    send = async () => sendWindowMessage(await deps.sqs(), route, envelope, sync.event.connector);
  } else {
    const routed = routeFor(config.routes, body.topic);
    if (!routed) {
      // 200, never 410: Oro deletes a webhook that answers 410, and a missing route is our config.
      metrics.count(IngressMetric.ignored);
      logger.warn("webhook topic has no route: ignored (add it to the deploy config's webhook routes)", {
        ...requestLog,
        topic: body.topic,
        messageId: body.messageId,
      });
      return json(200, { ignored: true });
    }
    queueUrl = routed;
    send = async () => forwardWebhook(await deps.sqs(), routed, text, body, requestLog.webhookId);
  }

  const key = replayKey(body);
  let claimed = false;
  if (deps.state) {
    try {
      const claim = await deps.state.claim(key, PENDING_CLAIM_SECONDS);
      if (claim === "done") {
        metrics.count(IngressMetric.duplicate);
        logger.warn("webhook messageId already enqueued for this topic: not enqueued again (a redelivery or a replay)", {
          ...requestLog,
          topic: body.topic,
          messageId: body.messageId,
        });
        return json(200, { duplicate: true, messageId: body.messageId });
      }
      if (claim === "pending") {
        // Another request is enqueueing it right now (or crashed doing so; its claim runs out).
        return json(503, { error: "the same message is being enqueued; retry later" }, { "retry-after": String(PENDING_CLAIM_SECONDS) });
      }
      claimed = true;
    } catch (error) {
      // Losing the event would be worse than a replay slipping through while the table is down.
      metrics.count(IngressMetric.dedupUnavailable);
      logger.error("state table unavailable: enqueueing without replay dedup", {
        ...requestLog,
        messageId: body.messageId,
        code: errorCode(error),
        error: describeError(error),
      });
    }
  }

  try {
    await send();
  } catch (error) {
    if (claimed) await deps.state?.release(key).catch(() => undefined);
    metrics.count(IngressMetric.enqueueFailed);
    logger.error("could not enqueue the webhook: answering 503 so Oro redelivers it", {
      ...requestLog,
      topic: body.topic,
      messageId: body.messageId,
      queue: queueUrl.slice(queueUrl.lastIndexOf("/") + 1),
      error: `${(error as Error).name}: ${(error as Error).message}`,
    });
    return json(503, { error: "could not enqueue; retry later" }, { "retry-after": String(RETRY_AFTER_SECONDS) });
  }
  if (claimed) {
    await deps.state?.complete(key, keepSeconds(window)).catch((error: unknown) =>
      // The claim runs out in PENDING_CLAIM_SECONDS; only then could a replay pass once more.
      logger.error("could not mark the webhook as enqueued in the state table", {
        messageId: body.messageId,
        code: errorCode(error),
        error: describeError(error),
      }),
    );
  }
  metrics.count(body.topic === SCHEDULE_SYNC_TOPIC ? IngressMetric.scheduleSync : IngressMetric.accepted);
  logger.info(body.topic === SCHEDULE_SYNC_TOPIC ? "schedule sync: window message enqueued" : "webhook enqueued", {
    topic: body.topic,
    messageId: body.messageId,
    webhookId: requestLog.webhookId,
  });
  return json(202, { accepted: true, messageId: body.messageId });
};

const candidates = (secret: WebhookSecret): string[] => (secret.previousSecret ? [secret.secret, secret.previousSecret] : [secret.secret]);

const invalid = (deps: IngressDependencies, requestLog: Record<string, unknown>, reason: string): Result => {
  deps.metrics.count(IngressMetric.invalid);
  deps.logger.warn("signed webhook body rejected (400): Oro logs it as failed and does not retry", { ...requestLog, reason });
  return json(400, { error: reason });
};
