/**
 * Lambda entry of the webhook ingress (bundled by infra/constructs/webhook-ingress.ts from this
 * path, behind a Function URL). Environment, set from the deployment plan
 * (infra/plan): the names of IngressEnv in shared/runtime/env.ts.
 */
import { createIngressHandler } from "./create-handler";

export const handler = createIngressHandler();
