import type { Message } from "@aws-sdk/client-sqs";
import type { OpsContext } from "../context";
import { decodeDlqMessage } from "../dlq-message";
import type { DlqEntry } from "../dlq-message";
import { UsageError } from "../errors";
import { receive, release } from "../queue-io";

/** Messages shown by default. */
export const DEFAULT_PEEK_MAX = 10;
/** Most messages one peek shows. */
export const MAX_PEEK = 1_000;
/** How long peeked messages are hidden before they are released (and the longest if release fails). */
export const PEEK_VISIBILITY_SECONDS = 30;

/** Options of {@link peekDlq}. */
export interface PeekOptions {
  /** Most messages to show. Default {@link DEFAULT_PEEK_MAX}, at most {@link MAX_PEEK}. */
  max?: number;
  /** Long-poll seconds of each receive. Default 0 (local) / 1 (AWS, so every SQS host is asked). */
  waitSeconds?: number;
}

/** What a peek saw. */
export interface PeekResult {
  integration: string;
  connector: string;
  dlq: string;
  messages: DlqEntry[];
  /** Messages whose visibility could not be reset; they reappear after {@link PEEK_VISIBILITY_SECONDS} s. */
  notReleased: number;
}

/**
 * Shows the messages of a connector's DLQ without consuming them: receives them with a short
 * visibility timeout, decodes body and error attributes, then makes them visible again at once.
 * A peek counts as a receive (ApproximateReceiveCount goes up); DLQs have no redrive policy, so
 * nothing moves because of it.
 */
export const peekDlq = async (ctx: OpsContext, integration: string, connector: string, options: PeekOptions = {}): Promise<PeekResult> => {
  const max = options.max ?? DEFAULT_PEEK_MAX;
  if (!Number.isInteger(max) || max < 1 || max > MAX_PEEK) throw new UsageError(`--max must be an integer from 1 to ${MAX_PEEK}, got ${String(max)}`);
  const { resolved } = ctx.connector(integration, connector);
  const url = await ctx.queueUrl(resolved.dlq.name);
  const seen = new Map<string, Message>();
  const held: Message[] = [];
  let notReleased = 0;
  try {
    // Bounded: every round either adds a message or ends the loop.
    for (let round = 0; round < Math.ceil(max / 10) + 5 && seen.size < max; round++) {
      const batch = await receive(ctx, url, {
        max: max - seen.size,
        visibilitySeconds: PEEK_VISIBILITY_SECONDS,
        waitSeconds: options.waitSeconds ?? (ctx.local ? 0 : 1),
      });
      if (batch.length === 0) break;
      held.push(...batch);
      let added = 0;
      for (const m of batch) {
        if (m.MessageId && !seen.has(m.MessageId)) {
          seen.set(m.MessageId, m);
          added++;
        }
      }
      if (added === 0) break;
    }
  } finally {
    notReleased = await release(ctx, url, held);
  }
  return { integration, connector, dlq: resolved.dlq.name, messages: [...seen.values()].map(decodeDlqMessage), notReleased };
};

/** Text form of a peek, one block per message. */
export const formatPeek = (result: PeekResult): string => {
  if (result.messages.length === 0) return `${result.dlq}: empty`;
  const lines = [`${result.dlq}: ${result.messages.length} message(s) shown, left in the DLQ`];
  for (const m of result.messages) {
    const e = m.error;
    lines.push("");
    lines.push(`- message ${m.messageId}  envelope ${m.envelopeId ?? "?"}  type ${m.type ?? "?"}`);
    lines.push(
      m.deadLetteredBy === "runtime"
        ? `  error ${e.code ?? "?"} (attempt ${e.attempt ?? "?"}, failed at ${e.failedAt ?? "?"}): ${e.message ?? ""}`
        : `  moved by SQS after maxReceiveCount (transient failures; no error attributes), sent at ${m.sentAt ?? "?"}`,
    );
    if (m.redrivenFrom) lines.push(`  redriven before from ${m.redrivenFrom}`);
    const body = m.bodyIsJson ? JSON.stringify(m.body) : String(m.body);
    lines.push(`  body ${body.length > 2_000 ? `${body.slice(0, 2_000)}… (${body.length} chars)` : body}`);
  }
  if (result.notReleased > 0) lines.push(`\n${result.notReleased} message(s) could not be made visible again; they reappear within 30 s`);
  return lines.join("\n");
};
