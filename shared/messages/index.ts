export {
  ENVELOPE_VERSION,
  EnvelopeSchema,
  NativeEnvelopeHeaderSchema,
  NativeEnvelopeSchema,
  OroWebhookHeaderSchema,
  OroWebhookBodySchema,
  createEnvelope,
  envelopeJsonSchema,
  isNativeEnvelopeHeader,
  isOroWebhookBody,
  isOroWebhookHeader,
  normalizeEnvelope,
} from "./envelope";
export type { Envelope, NativeEnvelope, NormalizedMessage, OroWebhookBody } from "./envelope";
