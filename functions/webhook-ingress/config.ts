import * as z from "zod/mini";
import { ConfigurationError } from "../../shared/errors";

import { IngressEnv } from "../../shared/runtime/env";

/** Environment of the ingress: shared/runtime/env.ts, beside the connectors' (the deployment plan sets both). */
export { IngressEnv };

/**
 * Largest body accepted: SQS takes at most 256 KiB per message, body and attributes together
 * (docs/reference/aws.md §3.3); 2 KiB stay free for the attributes the ingress adds.
 */
export const DEFAULT_MAX_BODY_BYTES = 254 * 1024;

/** What the ingress reads from its environment. */
export interface IngressConfig {
  secretName: string;
  /** Topic -> queue URL. */
  routes: Readonly<Record<string, string>>;
  maxBodyBytes: number;
}

/**
 * A queue URL, checked by shape only: WHATWG `URL` (and `z.url`) refuse hosts whose last label is
 * numeric, such as a local emulator's `sqs.us-east-1.127.0.0.1`, which the SDK handles fine.
 */
const QUEUE_URL = /^https?:\/\/[^\s/]+\/\S+$/;
const RoutesSchema = z.record(z.string().check(z.minLength(1)), z.string().check(z.regex(QUEUE_URL)));

/** Reads and checks the environment; a problem names the variable and what it must hold. */
export const readIngressConfig = (env: NodeJS.ProcessEnv = process.env, overrides: Partial<IngressConfig> = {}): IngressConfig => {
  const secretName = overrides.secretName ?? env[IngressEnv.WEBHOOK_SECRET_NAME];
  if (!secretName) throw new ConfigurationError(`environment variable ${IngressEnv.WEBHOOK_SECRET_NAME} is not set: the CDK stack sets it from the deploy config's webhook.secretName`);
  let routes = overrides.routes;
  if (!routes) {
    let json: unknown;
    try {
      json = JSON.parse(env[IngressEnv.WEBHOOK_ROUTES] ?? "{}");
    } catch {
      throw new ConfigurationError(`environment variable ${IngressEnv.WEBHOOK_ROUTES} is not JSON: it must be an object of topic -> queue URL`);
    }
    const parsed = z.safeParse(RoutesSchema, json);
    if (!parsed.success) throw new ConfigurationError(`environment variable ${IngressEnv.WEBHOOK_ROUTES} must be an object of topic -> queue URL, e.g. {"order.created":"https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders"}`);
    routes = parsed.data;
  }
  const rawMax = env[IngressEnv.WEBHOOK_MAX_BODY_BYTES];
  const maxBodyBytes = overrides.maxBodyBytes ?? (rawMax ? Number(rawMax) : DEFAULT_MAX_BODY_BYTES);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new ConfigurationError(`environment variable ${IngressEnv.WEBHOOK_MAX_BODY_BYTES} must be a positive integer`);
  return { secretName, routes, maxBodyBytes };
};

/**
 * The queue of a topic: the exact topic first, then, for Oro's per-record topics
 * (`order.updated.42`), the topic without its last segment (`order.updated`).
 */
export const routeFor = (routes: Readonly<Record<string, string>>, topic: string): string | undefined => {
  if (Object.hasOwn(routes, topic)) return routes[topic];
  const parent = topic.slice(0, topic.lastIndexOf("."));
  return /\.\d+$/.test(topic) && parent && Object.hasOwn(routes, parent) ? routes[parent] : undefined;
};
