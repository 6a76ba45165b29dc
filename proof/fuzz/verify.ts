import type { Message } from "@aws-sdk/client-sqs";
import { isSqsText, type SendOutcome, SQS_MAX_MESSAGE_BYTES } from "../common/sqs";
import type { FuzzCase } from "./generate";

/** SQS counts attribute names, types and values in the 1 MiB; below this much room no reason fits. */
export const MIN_REASON_BYTES = "ErrorCode".length + "String".length + "UNKNOWN".length + "ErrorMessage".length + "String".length + 1;

export type BadOutcome = "dlq-with-reason" | "dlq-without-reason" | "dlq-invalid-attributes" | "missing" | "refused-by-sqs" | "no-room-for-reason";

export interface CategoryStats {
  generated: number;
  refused: number;
  outcomes: Partial<Record<BadOutcome, number>>;
  /** A few examples of failures (variant and what happened). */
  examples: string[];
}

export interface FuzzCheck {
  bad: { generated: number; refused: number; noRoom: number; eligible: number; withReason: number };
  good: { sent: number; refused: number; processedOnce: number; processedTwice: number; notProcessed: number; inDlq: number };
  categories: Map<string, CategoryStats>;
  /** DLQ messages that match no body sent. */
  unattributedDlq: number;
}

const hasReason = (message: Message) =>
  Boolean(message.MessageAttributes?.ErrorCode?.StringValue) && Boolean(message.MessageAttributes?.ErrorMessage?.StringValue);
const attributesValid = (message: Message) =>
  Object.values(message.MessageAttributes ?? {}).every((a) => a.StringValue === undefined || isSqsText(a.StringValue));

/**
 * Attributes each DLQ message to the body it came from: the runtime's SourceMessageId
 * (`<sqs id>` or `<sqs id>:<item>`), or its own MessageId when SQS's redrive moved it; a copy with
 * no room for attributes (a body at the size limit) is found by its body.
 */
export const attributeDlq = (
  cases: readonly FuzzCase[],
  sent: SendOutcome,
  dlq: readonly Message[],
): { copies: Map<number, Message[]>; unattributed: number } => {
  const byId = new Map<string, number>();
  sent.ids.forEach((id, index) => id && byId.set(id, index));
  const byBody = new Map<string, number>();
  cases.forEach((c, index) => sent.ids[index] && !byBody.has(c.body) && byBody.set(c.body, index));
  const copies = new Map<number, Message[]>();
  let unattributed = 0;
  for (const message of dlq) {
    const source = message.MessageAttributes?.SourceMessageId?.StringValue?.split(":")[0] ?? message.MessageId ?? "";
    const index = byId.get(source) ?? (message.MessageAttributes?.SourceMessageId ? undefined : byBody.get(message.Body ?? ""));
    if (index === undefined) unattributed++;
    else copies.set(index, [...(copies.get(index) ?? []), message]);
  }
  return { copies, unattributed };
};

/**
 * Where each body ended up: a bad body in the DLQ with its reason (or why not), a good body
 * processed exactly once (`processed`: times per envelope id) and never dead-lettered.
 */
export const checkFuzz = (cases: readonly FuzzCase[], sent: SendOutcome, dlq: readonly Message[], processed: ReadonlyMap<string, number>): FuzzCheck => {
  const { copies, unattributed } = attributeDlq(cases, sent, dlq);
  const categories = new Map<string, CategoryStats>();
  const bad = { generated: 0, refused: 0, noRoom: 0, eligible: 0, withReason: 0 };
  const good = { sent: 0, refused: 0, processedOnce: 0, processedTwice: 0, notProcessed: 0, inDlq: 0 };
  cases.forEach((c, index) => {
    const stats = categories.get(c.category) ?? { generated: 0, refused: 0, outcomes: {}, examples: [] };
    categories.set(c.category, stats);
    stats.generated++;
    const refusal = sent.refused.get(index);
    const found = copies.get(index) ?? [];
    if (c.kind === "good") {
      good.sent++;
      if (refusal) {
        good.refused++;
        stats.refused++;
        stats.examples.push(`${c.variant}: refused by SQS (${refusal})`);
        return;
      }
      const times = processed.get(c.id as string) ?? 0;
      if (times === 1 && found.length === 0) good.processedOnce++;
      else {
        if (times > 1) good.processedTwice++;
        if (times === 0) good.notProcessed++;
        if (found.length > 0) good.inDlq++;
        if (stats.examples.length < 5)
          stats.examples.push(
            `${c.id}: processed ${times}x, ${found.length} DLQ copies ${found
              .map((m) => m.MessageAttributes?.ErrorMessage?.StringValue ?? "(no reason)")
              .join("; ")
              .slice(0, 200)}`,
          );
      }
      return;
    }
    bad.generated++;
    let outcome: BadOutcome;
    if (refusal) outcome = "refused-by-sqs";
    else if (found.length === 0) outcome = "missing";
    else if (!found.every(attributesValid)) outcome = "dlq-invalid-attributes";
    else if (found.every(hasReason)) outcome = "dlq-with-reason";
    else if (Buffer.byteLength(c.body) > SQS_MAX_MESSAGE_BYTES - MIN_REASON_BYTES) outcome = "no-room-for-reason";
    else outcome = "dlq-without-reason";
    stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
    if (outcome === "refused-by-sqs") {
      bad.refused++;
      stats.refused++;
    } else if (outcome === "no-room-for-reason") bad.noRoom++;
    else {
      bad.eligible++;
      if (outcome === "dlq-with-reason") bad.withReason++;
    }
    const shortBody = c.body.length > 120 ? `${c.body.slice(0, 120)}… (${c.body.length} chars)` : c.body;
    if ((outcome !== "dlq-with-reason" || stats.examples.length < 1) && stats.examples.length < 6)
      stats.examples.push(`${c.variant}: ${outcome}${refusal ? ` (${refusal.slice(0, 90)})` : ""} ${JSON.stringify(shortBody)}`);
  });
  return { bad, good, categories, unattributedDlq: unattributed };
};
