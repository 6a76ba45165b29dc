export {
  ENVELOPE_VERSION,
  EnvelopeSchema,
  NativeEnvelopeSchema,
  OroWebhookBodySchema,
  createEnvelope,
  envelopeJsonSchema,
  isOroWebhookBody,
  normalizeEnvelope,
} from "./envelope";
export type { Envelope, NativeEnvelope, NormalizedMessage, OroWebhookBody } from "./envelope";
