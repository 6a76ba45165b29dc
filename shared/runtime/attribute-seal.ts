import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The seal of a DLQ message's reason attributes (docs/architecture.md "Gotchas", forged DLQ
 * attributes). Any sender to a connector queue (the Oro producer role, the ingress) can set
 * `ErrorCode` / `ExternalId` / `ItemId` on a message; the runtime treats those as "this came back
 * from our DLQ" and sends a recovery event that resolves the named item's alert. So the runtime
 * trusts them only with a valid `AttributeSeal`: an HMAC-SHA256 over those attributes and the
 * body, keyed from the connector's own secret, which the runtime and the ops CLI can read and a
 * producer cannot.
 */
export const SEAL_ATTRIBUTE = "AttributeSeal";

/** Names of the sealed attributes (kept literal here to avoid a cycle with queue-actions.ts). */
const SEALED = ["ErrorCode", "ExternalId", "ItemId", "EnvelopeId"] as const;
/** Domain separation: the key is derived from a credential secret and must never equal a use of it. */
const KEY_LABEL = "oro-connectors/dlq-attribute-seal/v1";

/** A seal key: HMAC of the secret's JSON under a fixed label (never the secret itself). */
export const sealKeyOf = (secretValue: unknown): Buffer => createHmac("sha256", KEY_LABEL).update(JSON.stringify(secretValue)).digest();

/** Reads an attribute's string value by name (SDK `Message` and Lambda `SQSRecord` spell it differently). */
export type AttributeReader = (name: string) => string | undefined;

const canonical = (read: AttributeReader, body: string): string =>
  JSON.stringify([...SEALED.map((name) => read(name) ?? null), createHash("sha256").update(body, "utf8").digest("hex")]);

/** The seal (hex) of the sealed attributes as `read` gives them, and the body. */
export const sealOf = (key: Buffer, read: AttributeReader, body: string): string => createHmac("sha256", key).update(canonical(read, body)).digest("hex");

/** True when `given` is the seal of these attributes and body under `key` (constant-time compare). */
export const verifySeal = (key: Buffer, read: AttributeReader, body: string, given: string | undefined): boolean => {
  if (!given || !/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(sealOf(key, read, body), "hex"), Buffer.from(given, "hex"));
};

/** Gives the container's seal key, or undefined when the connector has no secret to derive it from. */
export type SealKeySource = () => Promise<Buffer | undefined>;
