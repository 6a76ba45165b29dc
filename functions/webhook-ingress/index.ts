/** The ingress's pieces, for the local stack, ops scripts and tests; the Lambda entry is `handler.ts`. */
export { DEFAULT_MAX_BODY_BYTES, IngressEnv, readIngressConfig, routeFor } from "./config";
export type { IngressConfig } from "./config";
export { createIngressHandler } from "./create-handler";
export type { IngressHandlerOptions } from "./create-handler";
export { forwardWebhook, groupIdOf, WebhookAttribute } from "./enqueue";
export { IngressMetric, receiveWebhook } from "./receive";
export type { IngressDependencies } from "./receive";
export { SIGNATURE_ALGORITHM, WebhookSecretSchema, signBody, signatureShapeProblem, verifySignature } from "./signature";
export type { SignatureProblem, WebhookSecret } from "./signature";
