import type { SQSClient } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import { fifoDeduplicationId, loadSqsSdk } from "../../shared/aws";
import { ENVELOPE_VERSION, type OroWebhookBody } from "../../shared/messages";

/**
 * Oro's "Schedule sync" as a topic of its own (docs/oro-integration.md "Schedule sync"): the
 * companion bundle's sync processor (oro-bundle/Integration/ScheduleSync/) signs a body shaped like
 * an Oro webhook, `{topic: "oro-serverless.schedule-sync", eventData: {integration, connector,
 * channelId, force}, timestamp, messageId}`, and the ingress checks it like any delivery (signature,
 * replay window, one enqueue per messageId). Instead of forwarding the body, it sends the window
 * message the connector's EventBridge schedule sends (infra/plan `SchedulePlan.envelope` with the
 * request's time as the scheduled time), so the run is a window run like any scheduled one.
 */
export const SCHEDULE_SYNC_TOPIC = "oro-serverless.schedule-sync";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const name = z.string().check(z.minLength(1), z.maxLength(128), z.regex(NAME));

/** `eventData` of a Schedule sync request (oro-bundle SyncRequestFactory::create()). */
export const ScheduleSyncEventSchema = z.object({
  integration: name,
  connector: name,
  /** The Oro channel that asked, for the logs. */
  channelId: z.optional(z.int().check(z.minimum(1))),
  /** Oro's "Full re-sync" (`force=true`): the schedule has no such mode, so it is logged only. */
  force: z.optional(z.boolean()),
});
export type ScheduleSyncEvent = z.infer<typeof ScheduleSyncEventSchema>;

/** `<integration>/<connector>`: the key of the sync routes. */
export const syncRouteKey = (integration: string, connector: string): string => `${integration}/${connector}`;

/** Where a connector's window message goes and what type it has (from the plan's schedule). */
export interface SyncRoute {
  queueUrl: string;
  messageType: string;
}

/** EventBridge Scheduler's `<aws.scheduler.scheduled-time>` format: ISO 8601 in UTC without milliseconds. */
export const scheduledTimeOf = (timestampSeconds: number): string => new Date(Math.floor(timestampSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The window envelope of a connector's schedule for one scheduled time: the same object as
 * `scheduledEnvelope(plan.schedule, scheduledTime)` (infra/plan; test/webhook-ingress-schedule-sync.test.ts
 * compares both for every scheduled connector of the deploy config).
 */
export const windowEnvelope = (event: ScheduleSyncEvent, messageType: string, scheduledTime: string): Record<string, unknown> => ({
  version: ENVELOPE_VERSION,
  id: scheduledTime,
  integration: event.integration,
  connector: event.connector,
  type: messageType,
  payload: { scheduledTime },
});

/** Why a Schedule sync body cannot start a run, or its event and route. */
export type ScheduleSyncCheck = { ok: true; event: ScheduleSyncEvent; route: SyncRoute } | { ok: false; reason: string };

export const checkScheduleSync = (body: OroWebhookBody, routes: Readonly<Record<string, SyncRoute>>): ScheduleSyncCheck => {
  const parsed = z.safeParse(ScheduleSyncEventSchema, body.eventData);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `eventData.${i.path.join(".") || "(root)"}: ${i.message}`);
    return { ok: false, reason: `a ${SCHEDULE_SYNC_TOPIC} body needs eventData {integration, connector, channelId?, force?}: ${issues.join("; ")}` };
  }
  const event = parsed.data;
  const key = syncRouteKey(event.integration, event.connector);
  const route = Object.hasOwn(routes, key) ? routes[key] : undefined;
  if (!route) {
    return {
      ok: false,
      reason: `connector "${event.connector}" of integration "${event.integration}" is not deployed with a schedule here: nothing to start (deploy config, docs/oro-integration.md)`,
    };
  }
  return { ok: true, event, route };
};

/**
 * Sends the window message. FIFO queues get the schedule's message group (the connector type,
 * infra/plan `messageGroupId`) and the deduplication id `ops send` uses (sha256 of `type:id`).
 */
export const sendWindowMessage = async (sqs: SQSClient, route: SyncRoute, envelope: Record<string, unknown>, connector: string): Promise<void> => {
  const { SendMessageCommand } = await loadSqsSdk();
  const fifo = route.queueUrl.endsWith(".fifo");
  const dedupId = fifoDeduplicationId(`${String(envelope.type)}:${String(envelope.id)}`);
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: route.queueUrl,
      MessageBody: JSON.stringify(envelope),
      ...(fifo ? { MessageGroupId: connector, MessageDeduplicationId: dedupId } : {}),
    }),
  );
};
