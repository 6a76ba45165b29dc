import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod/mini";

/** The algorithm Oro signs with (`Webhook-Signature-Algorithm`, docs/reference/oro-api.md §8.1). */
export const SIGNATURE_ALGORITHM = "HMAC-SHA256";
/** A hex SHA-256 digest. */
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/**
 * The webhook secret as kept in Secrets Manager (`WEBHOOK_SECRET_NAME`):
 *
 * ```json
 * { "secret": "<the secret set on the Oro webhook>", "previousSecret": "<optional, during rotation>" }
 * ```
 *
 * `previousSecret` lets a rotation happen without dropped deliveries: put the new secret with the
 * old one as `previousSecret`, change the webhook in Oro, then remove `previousSecret`.
 */
export const WebhookSecretSchema = z.object({
  secret: z.string().check(z.minLength(16), z.maxLength(255)),
  previousSecret: z.optional(z.string().check(z.minLength(16), z.maxLength(255))),
});
export type WebhookSecret = z.infer<typeof WebhookSecretSchema>;

/** Why a signature did not verify; for logs and metrics, never sent back. */
export type SignatureProblem = "missing" | "malformed" | "algorithm" | "mismatch";

/** Checks the header's shape before any HMAC is computed. */
export const signatureShapeProblem = (signature: string | undefined, algorithm: string | undefined): SignatureProblem | undefined => {
  if (!signature) return "missing";
  if (algorithm !== undefined && algorithm.toUpperCase() !== SIGNATURE_ALGORITHM) return "algorithm";
  return HEX_DIGEST.test(signature.trim()) ? undefined : "malformed";
};

/**
 * True when `signature` (hex) is the HMAC-SHA256 of the raw body bytes under one of the secrets.
 * The length is checked first (timingSafeEqual needs equal lengths), then the bytes are compared
 * in constant time, so the answer time does not tell how much of a guess was right.
 */
export const verifySignature = (rawBody: Uint8Array, signature: string, secrets: readonly string[]): boolean => {
  const given = Buffer.from(signature.trim(), "hex");
  if (given.length !== 32) return false;
  let ok = false;
  // Every secret is tried (no early exit), so timing does not tell which one matched.
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(rawBody).digest();
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
};

/** The hex signature Oro would send for `body` (ops scripts and tests). */
export const signBody = (body: string | Uint8Array, secret: string): string => createHmac("sha256", secret).update(body).digest("hex");
