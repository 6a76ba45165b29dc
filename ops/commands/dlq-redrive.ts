import { DeleteMessageBatchCommand, ListMessageMoveTasksCommand, SendMessageBatchCommand, StartMessageMoveTaskCommand } from "@aws-sdk/client-sqs";
import type { BatchResultErrorEntry, Message, SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import { fifoDeduplicationId, sqsSendBatches } from "../../shared/aws";
import { sealKeyOf } from "../../shared/runtime";
import type { OpsContext } from "../context";
import { reachHint } from "../context";
import { decodeDlqMessage, redriveAttributes } from "../dlq-message";
import type { DlqEntry } from "../dlq-message";
import { awsErrorName, messageOf, UsageError, wrapAwsError } from "../errors";
import { Progress } from "../io";
import type { OpsIo } from "../io";
import { queueDepth, receive, release } from "../queue-io";

/** Default and hard bound of messages one redrive handles. */
export const DEFAULT_REDRIVE_MAX = 10_000;
export const MAX_REDRIVE = 100_000;
/** Visibility of messages held during a receive/send/delete redrive (kept ones are released at the end). */
export const REDRIVE_VISIBILITY_SECONDS = 120;
/** How long to follow a StartMessageMoveTask before reporting it as still running. */
export const DEFAULT_MOVE_TASK_TIMEOUT_MS = 10 * 60_000;
/** Items listed in a result (counts are always complete). */
const MAX_LISTED = 1_000;
/** Errors that mean "this SQS has no message-move-task API" (fauxqs: `InvalidAction`). */
const MISSING_API = new Set(["InvalidAction", "UnknownOperation", "UnknownOperationException", "UnsupportedOperation", "NotImplemented"]);

/** Which messages a selective redrive moves; filters AND together, values of one filter OR. */
export interface RedriveFilter {
  /** `ErrorCode` values; `none` matches messages SQS moved (no ErrorCode). */
  codes?: readonly string[];
  /** Envelope ids (the `EnvelopeId` attribute or the body's id / messageId). */
  envelopeIds?: readonly string[];
  /** Connector type of the message (the `Connector` attribute or the envelope's `connector`). */
  connectors?: readonly string[];
}

/** Options of {@link redriveDlq}. */
export interface RedriveOptions {
  filter?: RedriveFilter;
  /** Most messages to move. Default {@link DEFAULT_REDRIVE_MAX}. */
  max?: number;
  /** Evaluate the filters and list what would move; move nothing. */
  dryRun?: boolean;
  /** Always receive / send / delete (marks every message for the recovery event), even where StartMessageMoveTask exists. */
  copy?: boolean;
  /** Long-poll seconds per receive. Default 0 (local) / 1 (AWS). */
  waitSeconds?: number;
  /** How long to follow a move task. Default {@link DEFAULT_MOVE_TASK_TIMEOUT_MS}. */
  moveTaskTimeoutMs?: number;
  /** Poll interval of the move task's status. Default 2 s. */
  pollIntervalMs?: number;
  /** For the progress bar (stderr, TTY only). */
  io?: OpsIo;
}

/** One message a redrive moved (or would move). */
export interface RedriveItem {
  messageId: string;
  envelopeId: string | undefined;
  code: string | undefined;
}

/** What a redrive did. */
export interface RedriveResult {
  integration: string;
  connector: string;
  dlq: string;
  queue: string;
  method: "move-task" | "receive-send-delete";
  dryRun: boolean;
  /** Moved back to the connector queue (or, with dryRun, that would be). */
  moved: number;
  /** Left in the DLQ: not matching the filters, or over `max`. */
  kept: number;
  /** Could not be moved (send refused); left in the DLQ. */
  failed: number;
  /** Moved but could not be deleted from the DLQ: they reappear there and may run twice (harmless: idempotent). */
  notDeleted: number;
  /** Move task only: its final status (`COMPLETED`, `RUNNING` when still going at the timeout, `FAILED`, `CANCELLED`). */
  taskStatus?: string;
  taskHandle?: string;
  /** Why the move-task API was not used, when it was not. */
  fallbackReason?: string;
  items: RedriveItem[];
  notes: string[];
}

const lower = (values: readonly string[] | undefined) => (values && values.length > 0 ? new Set(values.map((v) => v.toLowerCase())) : undefined);

/** Whether a decoded DLQ message passes the filter. */
export const matchesFilter = (entry: DlqEntry, filter: RedriveFilter = {}): boolean => {
  const codes = lower(filter.codes);
  const ids = filter.envelopeIds && filter.envelopeIds.length > 0 ? new Set(filter.envelopeIds) : undefined;
  const connectors = lower(filter.connectors);
  if (codes && !codes.has((entry.error.code ?? "none").toLowerCase())) return false;
  if (ids && (entry.envelopeId === undefined || !ids.has(entry.envelopeId))) return false;
  if (connectors) {
    const body = entry.body as { connector?: unknown } | null;
    const connector = entry.error.connector ?? (typeof body === "object" && body !== null && typeof body.connector === "string" ? body.connector : undefined);
    if (connector === undefined || !connectors.has(connector.toLowerCase())) return false;
  }
  return true;
};

const isSelective = (filter: RedriveFilter | undefined) =>
  Boolean(filter && ((filter.codes?.length ?? 0) > 0 || (filter.envelopeIds?.length ?? 0) > 0 || (filter.connectors?.length ?? 0) > 0));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves messages of a connector's DLQ back to its queue.
 *
 * - All messages, no filter: `StartMessageMoveTask` (AWS), followed until it ends; where the API
 *   is missing (fauxqs answers `InvalidAction`) it falls back to receive / send / delete.
 * - Selective (`codes`, `envelopeIds`, `connectors`), `copy` or `dryRun`: receive / send / delete.
 *   Each moved message keeps its body and attributes, gets `RedrivenFrom`, and one SQS's redrive
 *   policy moved (no `ErrorCode`) gets `ErrorCode=REDRIVEN`, so a success after the redrive sends
 *   the recovery event that resolves its alert. A move task cannot add attributes: use `copy`
 *   for that.
 *
 * Bounded by `max` messages and a fixed number of receive rounds; messages kept or not moved
 * are made visible again at the end.
 */
/** The pseudo-integration that names the notifier's queues: `dlq redrive notifier`. */
export const NOTIFIER_TARGET = "notifier";

/** The queue pair a redrive moves between: a connector's, or the notifier's alerts queue and its DLQ. */
const redriveQueues = (ctx: OpsContext, integration: string, connector: string | undefined) => {
  if (integration === NOTIFIER_TARGET && connector === undefined) {
    return { queue: ctx.shared.alertsQueue, dlq: ctx.shared.alertsDlq, connector: NOTIFIER_TARGET };
  }
  if (connector === undefined) throw new UsageError(`dlq redrive takes <integration> <connector>, or "${NOTIFIER_TARGET}" for the alerts DLQ`);
  const { resolved } = ctx.connector(integration, connector);
  return { queue: resolved.queue, dlq: resolved.dlq, connector: resolved.connector };
};

export const redriveDlq = async (ctx: OpsContext, integration: string, connector: string | undefined, options: RedriveOptions = {}): Promise<RedriveResult> => {
  const max = options.max ?? DEFAULT_REDRIVE_MAX;
  if (!Number.isInteger(max) || max < 1 || max > MAX_REDRIVE) throw new UsageError(`--max must be an integer from 1 to ${MAX_REDRIVE}, got ${String(max)}`);
  const resolved = redriveQueues(ctx, integration, connector);
  const dlqUrl = await ctx.queueUrl(resolved.dlq.name);
  const queueUrl = await ctx.queueUrl(resolved.queue.name);
  const base = { integration, connector: resolved.connector, dlq: resolved.dlq.name, queue: resolved.queue.name };

  let fallbackReason: string | undefined;
  if (!isSelective(options.filter) && !options.copy && !options.dryRun && options.max === undefined) {
    const moved = await tryMoveTask(ctx, dlqUrl, queueUrl, options);
    if (moved.kind === "done") return { ...base, ...moved.result };
    fallbackReason = moved.reason;
  }
  const seal = await redriveSealKey(ctx, integration, connector);
  const result = await copyRedrive(ctx, dlqUrl, queueUrl, resolved.dlq.name, resolved.queue.fifo, resolved.connector, max, options, seal.key);
  if (seal.note) result.notes = [...result.notes, seal.note];
  return { ...base, ...result, ...(fallbackReason ? { fallbackReason } : {}) };
};

type Outcome = Omit<RedriveResult, "integration" | "connector" | "dlq" | "queue">;

const tryMoveTask = async (
  ctx: OpsContext,
  dlqUrl: string,
  queueUrl: string,
  options: RedriveOptions,
): Promise<{ kind: "done"; result: Outcome } | { kind: "fallback"; reason: string }> => {
  const [sourceArn, destinationArn] = await Promise.all([ctx.queueArn(dlqUrl), ctx.queueArn(queueUrl)]);
  let handle: string | undefined;
  try {
    handle = (await ctx.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }))).TaskHandle;
  } catch (error) {
    const name = awsErrorName(error);
    if (name !== undefined && MISSING_API.has(name))
      return { kind: "fallback", reason: `StartMessageMoveTask is not available here (${name}); moved by receive / send / delete instead` };
    throw wrapAwsError(error, `${ctx.sqsLabel} (StartMessageMoveTask)`, reachHint(ctx));
  }
  const progress = options.io ? new Progress(options.io, "redrive", undefined) : undefined;
  const deadline = Date.now() + (options.moveTaskTimeoutMs ?? DEFAULT_MOVE_TASK_TIMEOUT_MS);
  const interval = options.pollIntervalMs ?? 2_000;
  let status = "RUNNING";
  let moved = 0;
  let failure: string | undefined;
  // Bounded by the deadline; one poll per interval.
  while (Date.now() < deadline) {
    let task;
    try {
      task = (await ctx.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }))).Results?.[0];
    } catch (error) {
      throw wrapAwsError(error, `${ctx.sqsLabel} (ListMessageMoveTasks)`, reachHint(ctx));
    }
    if (task && (handle === undefined || task.TaskHandle === undefined || task.TaskHandle === handle)) {
      status = task.Status ?? status;
      moved = task.ApproximateNumberOfMessagesMoved ?? moved;
      failure = task.FailureReason;
      progress?.set(moved, task.ApproximateNumberOfMessagesToMove);
      if (status !== "RUNNING" && status !== "CANCELLING") break;
    }
    await sleep(interval);
  }
  progress?.done();
  const notes = [
    "moved by StartMessageMoveTask: messages SQS's redrive policy dead-lettered carry no ErrorCode, so their alerts are not resolved by the recovery; use --copy to mark them (ErrorCode=REDRIVEN)",
  ];
  if (status === "RUNNING") notes.push("the move task is still running; follow it with `aws sqs list-message-move-tasks --source-arn " + sourceArn + "`");
  if (failure) notes.push(`move task failure: ${failure}`);
  return {
    kind: "done",
    result: {
      method: "move-task",
      dryRun: false,
      moved,
      kept: 0,
      failed: status === "FAILED" ? 1 : 0,
      notDeleted: 0,
      taskStatus: status,
      ...(handle ? { taskHandle: handle } : {}),
      items: [],
      notes,
    },
  };
};

/** Deletes messages (at most 10); returns how many SQS did not delete. */
const deleteBatch = async (ctx: OpsContext, queueUrl: string, messages: Message[]): Promise<number> => {
  const deleted = await ctx.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle as string })),
    }),
  );
  return deleted.Failed?.length ?? 0;
};

/**
 * The connector's DLQ attribute seal key, derived from its integration secret as the runtime does
 * (shared/runtime/attribute-seal.ts). The notifier has none; an unreadable secret means the copies
 * go unsealed (the runtime then sends no recovery event for them), said in a note.
 */
const redriveSealKey = async (ctx: OpsContext, integration: string, connector: string | undefined): Promise<{ key?: Buffer; note?: string }> => {
  if (integration === NOTIFIER_TARGET && connector === undefined) return {};
  const name = ctx.connector(integration, connector as string).resolved.integrationSecretName;
  try {
    return { key: sealKeyOf(await ctx.secrets.get(name, AnySecret)) };
  } catch (error) {
    return {
      note: `could not read secret "${name}" to seal the redriven attributes (${awsErrorName(error) ?? (error as Error).name}): their alerts will not be resolved by a recovery`,
    };
  }
};
const AnySecret = z.unknown();

const copyRedrive = async (
  ctx: OpsContext,
  dlqUrl: string,
  queueUrl: string,
  dlqName: string,
  fifo: boolean,
  connectorType: string,
  max: number,
  options: RedriveOptions,
  sealKey?: Buffer,
): Promise<Outcome> => {
  const hint = reachHint(ctx);
  const total = (await queueDepth(ctx, dlqUrl)).visible;
  const progress = options.io ? new Progress(options.io, options.dryRun ? "redrive (dry run)" : "redrive", Math.min(total, max)) : undefined;
  const seen = new Set<string>();
  const keep: Message[] = [];
  const items: RedriveItem[] = [];
  const notes: string[] = [];
  let moved = 0;
  let kept = 0;
  let failed = 0;
  let notDeleted = 0;
  const maxRounds = Math.ceil(Math.max(total, max) / 10) + 20;
  try {
    for (let round = 0; round < maxRounds; round++) {
      const batch = (
        await receive(ctx, dlqUrl, { max: 10, visibilitySeconds: REDRIVE_VISIBILITY_SECONDS, waitSeconds: options.waitSeconds ?? (ctx.local ? 0 : 1) })
      ).filter((m) => {
        if (!m.MessageId || seen.has(m.MessageId)) return false;
        seen.add(m.MessageId);
        return true;
      });
      if (batch.length === 0) break;
      const selected: Message[] = [];
      for (const m of batch) {
        const entry = decodeDlqMessage(m);
        if (moved + failed + selected.length < max && matchesFilter(entry, options.filter)) {
          selected.push(m);
          if (items.length < MAX_LISTED) items.push({ messageId: entry.messageId, envelopeId: entry.envelopeId, code: entry.error.code });
        } else {
          keep.push(m);
          kept++;
        }
      }
      if (options.dryRun) {
        moved += selected.length;
        keep.push(...selected);
        progress?.tick(selected.length);
        continue;
      }
      if (selected.length > 0) {
        const entries: SendMessageBatchRequestEntry[] = selected.map((m, index) => ({
          Id: String(index),
          MessageBody: m.Body ?? "",
          MessageAttributes: redriveAttributes(m, dlqName, sealKey),
          ...(fifo
            ? { MessageGroupId: m.Attributes?.MessageGroupId ?? connectorType, MessageDeduplicationId: fifoDeduplicationId(`redrive:${m.MessageId ?? ""}`) }
            : {}),
        }));
        const sent = new Set<string>();
        const refused: BatchResultErrorEntry[] = [];
        let sendError: unknown;
        // Ten big messages (Akeneo pages of up to 200 KB) exceed what one SendMessageBatch may carry.
        for (const group of sqsSendBatches(entries)) {
          try {
            const sendResult = await ctx.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: group }));
            for (const s of sendResult.Successful ?? []) if (s.Id !== undefined) sent.add(s.Id);
            refused.push(...(sendResult.Failed ?? []));
          } catch (error) {
            sendError = error;
            break;
          }
        }
        if (refused.length > 0 && notes.length < 5)
          notes.push(`SQS refused ${refused.length} message(s): ${refused[0]?.Code ?? "?"} ${refused[0]?.Message ?? ""}`);
        const toDelete = selected.filter((_, index) => sent.has(String(index)));
        keep.push(...selected.filter((_, index) => !sent.has(String(index))));
        if (sendError !== undefined) {
          // What was sent before the error leaves the DLQ; the rest stays there.
          if (toDelete.length > 0) await deleteBatch(ctx, dlqUrl, toDelete).catch(() => undefined);
          throw wrapAwsError(sendError, `${ctx.sqsLabel} (SendMessageBatch to ${queueUrl})`, hint);
        }
        failed += selected.length - toDelete.length;
        moved += toDelete.length;
        if (toDelete.length > 0) {
          try {
            notDeleted += await deleteBatch(ctx, dlqUrl, toDelete);
          } catch (error) {
            notDeleted += toDelete.length;
            if (notes.length < 5) notes.push(`could not delete moved messages from the DLQ: ${messageOf(error)}`);
          }
        }
        progress?.tick(selected.length);
      }
      if (moved + failed >= max && !isSelective(options.filter)) break;
    }
  } finally {
    const notReleased = await release(ctx, dlqUrl, keep);
    if (notReleased > 0) notes.push(`${notReleased} kept message(s) could not be made visible again; they reappear within ${REDRIVE_VISIBILITY_SECONDS} s`);
    progress?.done();
  }
  if (notDeleted > 0)
    notes.push(`${notDeleted} moved message(s) could not be deleted from the DLQ; they stay there and may run twice (harmless: writes are idempotent)`);
  if (fifo && keep.length > 0) notes.push("FIFO: messages kept in the DLQ hold their group during the run; later messages of those groups were not looked at");
  return { method: "receive-send-delete", dryRun: options.dryRun === true, moved, kept, failed, notDeleted, items, notes };
};

/** Text form of a redrive result. */
export const formatRedrive = (r: RedriveResult): string => {
  const verb = r.dryRun ? "would move" : "moved";
  const lines = [`${r.dlq} -> ${r.queue}: ${verb} ${r.moved}, kept ${r.kept}, failed ${r.failed} (${r.method}${r.taskStatus ? `, task ${r.taskStatus}` : ""})`];
  if (r.fallbackReason) lines.push(`note: ${r.fallbackReason}`);
  if (r.dryRun) for (const item of r.items) lines.push(`  ${item.messageId}  envelope ${item.envelopeId ?? "?"}  code ${item.code ?? "none"}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
};

/** Whether the redrive left failures behind (exit 1). */
export const redriveFailed = (r: RedriveResult): boolean => r.failed > 0 || r.taskStatus === "FAILED" || r.taskStatus === "CANCELLED";
