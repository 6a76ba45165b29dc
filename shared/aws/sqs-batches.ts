import { createHash } from "node:crypto";

/** SQS's largest message: body plus attribute names, types and values (1 MiB since 2025). */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** SendMessageBatch takes at most 10 entries... */
export const SQS_BATCH_MAX_ENTRIES = 10;
/** ...and at most 1 MiB in all: every entry's body and attribute names, types and values together. */
export const SQS_BATCH_MAX_BYTES = 1_048_576;

/** The part of a SendMessageBatch entry that counts toward SQS's size limit. */
export interface SizedEntry {
  MessageBody?: string | undefined;
  MessageAttributes?: Record<string, { DataType?: string | undefined; StringValue?: string | undefined; BinaryValue?: Uint8Array | undefined }> | undefined;
}

/** Bytes a message (or batch entry) counts toward SQS's limits. */
export const sqsEntryBytes = (entry: SizedEntry): number =>
  Buffer.byteLength(entry.MessageBody ?? "") +
  Object.entries(entry.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "") + Buffer.byteLength(value.StringValue ?? "") + (value.BinaryValue?.length ?? 0),
    0,
  );

/**
 * Splits entries into SendMessageBatch requests within both SQS limits (10 entries, 1 MiB). One
 * place for it: the runtime's fan-out and events and the ops CLI's redrive each once sent ten
 * 200 KB Akeneo pages in one request and got BatchRequestTooLong for the lot.
 */
export const sqsSendBatches = <T extends SizedEntry>(entries: readonly T[], maxBytes = SQS_BATCH_MAX_BYTES): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sqsEntryBytes(entry);
    if (current.length > 0 && (current.length === SQS_BATCH_MAX_ENTRIES || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/**
 * A FIFO MessageDeduplicationId for `value`: its SHA-256 in hex (64 characters, within SQS's 128
 * and its allowed alphabet whatever `value` holds). The same value always gives the same id, so
 * two sends of one message within SQS's 5-minute window are one.
 */
export const fifoDeduplicationId = (value: string): string => createHash("sha256").update(value).digest("hex");
