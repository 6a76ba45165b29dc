import { createHash, randomBytes } from "node:crypto";

/**
 * Lambda's recursive loop detection, as the local event source mapping emulates it
 * (docs/reference/lambda-recursion.md):
 *
 * - Lambda gives each invocation an X-Ray trace id whose `Lineage` counts, per function, how many
 *   times this chain of requests has invoked it; the SDK's recursion-detection middleware copies
 *   that trace id into `X-Amzn-Trace-Id` on every SendMessage/SendMessageBatch, and SQS keeps it as
 *   the message's `AWSTraceHeader`;
 * - when a message's lineage says the chain has already invoked the function 16 times and the
 *   function's `RecursiveLoop` is `Terminate` (the default), Lambda does not invoke it and sends
 *   the event to the DLQ (the queue's redrive target) if there is one; with `Allow` it does nothing.
 *
 * Observed header forms: `Lineage=037bed70:0` (hash:count, 2023) and `Lineage=1:fe460cdd:0`
 * (version:hash:count); several functions' entries are joined by `|`. What Lambda hashes is not
 * documented: the emulator hashes the function ARN. Counts start at 0 on a chain's first
 * invocation, so invocation n of a chain carries n - 1.
 */
export type RecursiveLoop = "Allow" | "Terminate";

/** Invocations of one function a chain may make before Lambda stops it (AWS: "after exceeding 16 invocations"). */
export const MAX_RECURSIVE_INVOCATIONS = 16;

const LINEAGE_VERSION = "1";

/** `hash -> count` of a trace header's Lineage field. */
export type Lineage = Map<string, number>;

/** The function's key in a Lineage field (8 hex characters). */
export const lineageHash = (functionArn: string): string => createHash("sha256").update(functionArn).digest("hex").slice(0, 8);

export const parseLineage = (traceHeader: string | undefined): Lineage => {
  const lineage: Lineage = new Map();
  const field = traceHeader?.split(";").find((part) => part.trim().startsWith("Lineage="));
  if (!field) return lineage;
  for (const entry of field.trim().slice("Lineage=".length).split("|")) {
    const parts = entry.split(":");
    // version:hash:count or (older) hash:count
    const [hash, count] = parts.length === 3 ? [parts[1], parts[2]] : [parts[0], parts[1]];
    const n = Number(count);
    if (hash && Number.isInteger(n) && n >= 0) lineage.set(hash, Math.max(n, lineage.get(hash) ?? 0));
  }
  return lineage;
};

/** Which invocation of `hash` a message with this lineage would be (1 = the chain's first). */
export const invocationNumber = (lineage: Lineage, hash: string): number => {
  const count = lineage.get(hash);
  return count === undefined ? 1 : count + 2;
};

const field = (traceHeader: string | undefined, name: string): string | undefined =>
  traceHeader
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/**
 * The trace id Lambda would give an invocation of `hash` for these records' trace headers: the
 * first record's Root (or a new one), a new Parent, and the records' lineages merged (the highest
 * count per function) with this function's count set to its invocation number - 1. How Lambda
 * merges the lineages of a batch is not documented; the emulator takes the longest chain.
 */
export const invocationTraceId = (traceHeaders: readonly (string | undefined)[], hash: string): { traceId: string; invocation: number } => {
  const merged: Lineage = new Map();
  for (const header of traceHeaders) for (const [h, n] of parseLineage(header)) merged.set(h, Math.max(n, merged.get(h) ?? 0));
  const invocation = invocationNumber(merged, hash);
  merged.set(hash, invocation - 1);
  const root =
    field(
      traceHeaders.find((h) => field(h, "Root")),
      "Root",
    ) ?? `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
  const lineage = [...merged].map(([h, n]) => `${LINEAGE_VERSION}:${h}:${n}`).join("|");
  return { traceId: `Root=${root};Parent=${randomBytes(8).toString("hex")};Sampled=0;Lineage=${lineage}`, invocation };
};
