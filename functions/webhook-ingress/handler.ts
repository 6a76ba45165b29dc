/**
 * Lambda entry of the webhook ingress (bundled by infra/constructs/webhook-ingress.ts from this
 * path, behind a Function URL). Environment, set by the stack: WEBHOOK_SECRET_NAME, WEBHOOK_ROUTES.
 */
import { createIngressHandler } from "./create-handler";

export const handler = createIngressHandler();
