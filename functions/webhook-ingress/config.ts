import * as z from "zod/mini";
import { SQS_MAX_MESSAGE_BYTES } from "../../shared/aws/sqs-batches";
import { ConfigurationError } from "../../shared/errors";

import { IngressEnv } from "../../shared/runtime/env";
import type { SyncRoute } from "./schedule-sync";

/** Environment of the ingress: shared/runtime/env.ts, beside the connectors' (the deployment plan sets both). */
export { IngressEnv };

/**
 * Room kept for the attributes the ingress adds (3 of them, each at most 256 characters, up to 4
 * UTF-8 bytes each, plus names and types: 3,138 bytes at most), rounded up.
 */
export const ATTRIBUTE_ROOM_BYTES = 4 * 1024;
/**
 * Largest body accepted: SQS takes 1 MiB per message, body and attributes together
 * (docs/reference/security.md §7, docs/reference/aws.md §3.3). A body SQS could take must not be refused: a 413 is a 4xx, and
 * Oro drops an event answered with a 4xx for good.
 */
export const DEFAULT_MAX_BODY_BYTES = SQS_MAX_MESSAGE_BYTES - ATTRIBUTE_ROOM_BYTES;
/**
 * Oldest accepted `timestamp` (Oro's `time()` when the event was queued, kept through every
 * redelivery): 24 h. Oro redelivers a 429/503 answer with no count limit (every `Retry-After`
 * seconds, 30 here), and its message consumers can lag hours behind during maintenance; the window
 * must let those through. Older bodies are refused as replays (docs/reference/security.md §3).
 */
export const DEFAULT_MAX_AGE_SECONDS = 24 * 3600;
/** Furthest accepted `timestamp` in the future: Oro's clock may run ahead of AWS's a little. */
export const DEFAULT_MAX_FUTURE_SECONDS = 5 * 60;
/**
 * One forced secret reload per container per 30 s: a flood of well-formed, wrong signatures makes
 * at most (containers / 30) GetSecretValue calls per second, and the ingress's reserved
 * concurrency caps the containers.
 */
export const DEFAULT_SECRET_RELOAD_SECONDS = 30;

/** What the ingress reads from its environment. */
export interface IngressConfig {
  secretName: string;
  /** Topic -> queue URL. */
  routes: Readonly<Record<string, string>>;
  /** `<integration>/<connector>` -> the queue and window message type of a scheduled connector (Schedule sync). */
  syncRoutes: Readonly<Record<string, SyncRoute>>;
  maxBodyBytes: number;
  /** State table for replay dedup; undefined: no dedup (the stack always sets it). */
  stateTableName?: string | undefined;
  maxAgeSeconds: number;
  maxFutureSeconds: number;
  secretReloadSeconds: number;
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
  if (!secretName)
    throw new ConfigurationError(
      `environment variable ${IngressEnv.WEBHOOK_SECRET_NAME} is not set: the CDK stack sets it from the deploy config's webhook.secretName`,
    );
  let routes = overrides.routes;
  if (!routes) {
    let json: unknown;
    try {
      json = JSON.parse(env[IngressEnv.WEBHOOK_ROUTES] ?? "{}");
    } catch {
      throw new ConfigurationError(`environment variable ${IngressEnv.WEBHOOK_ROUTES} is not JSON: it must be an object of topic -> queue URL`);
    }
    const parsed = z.safeParse(RoutesSchema, json);
    if (!parsed.success)
      throw new ConfigurationError(
        `environment variable ${IngressEnv.WEBHOOK_ROUTES} must be an object of topic -> queue URL, e.g. {"order.created":"https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders"}`,
      );
    routes = parsed.data;
  }
  const syncRoutes = overrides.syncRoutes ?? readSyncRoutes(env);
  const maxBodyBytes = positive(env, IngressEnv.WEBHOOK_MAX_BODY_BYTES, overrides.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  if (maxBodyBytes > DEFAULT_MAX_BODY_BYTES)
    throw new ConfigurationError(
      `environment variable ${IngressEnv.WEBHOOK_MAX_BODY_BYTES} must be at most ${DEFAULT_MAX_BODY_BYTES}: SQS takes 1 MiB with the attributes`,
    );
  return {
    secretName,
    routes,
    syncRoutes,
    maxBodyBytes,
    stateTableName: overrides.stateTableName ?? (env[IngressEnv.STATE_TABLE_NAME] || undefined),
    maxAgeSeconds: positive(env, IngressEnv.WEBHOOK_MAX_AGE_SECONDS, overrides.maxAgeSeconds, DEFAULT_MAX_AGE_SECONDS),
    maxFutureSeconds: positive(env, IngressEnv.WEBHOOK_MAX_FUTURE_SECONDS, overrides.maxFutureSeconds, DEFAULT_MAX_FUTURE_SECONDS),
    secretReloadSeconds: positive(env, IngressEnv.WEBHOOK_SECRET_RELOAD_SECONDS, overrides.secretReloadSeconds, DEFAULT_SECRET_RELOAD_SECONDS),
  };
};

const SyncTypesSchema = z.record(z.string().check(z.minLength(1)), z.string().check(z.minLength(1)));

/** `WEBHOOK_SYNC_ROUTES` (key -> queue URL) and `WEBHOOK_SYNC_TYPES` (key -> message type), both or neither. */
const readSyncRoutes = (env: NodeJS.ProcessEnv): Record<string, SyncRoute> => {
  const parse = <T>(variable: string, schema: z.ZodMiniType<Record<string, T>>, example: string): Record<string, T> => {
    let json: unknown;
    try {
      json = JSON.parse(env[variable] ?? "{}");
    } catch {
      throw new ConfigurationError(`environment variable ${variable} is not JSON: it must be an object like ${example}`);
    }
    const parsed = z.safeParse(schema, json);
    if (!parsed.success) throw new ConfigurationError(`environment variable ${variable} must be an object like ${example}`);
    return parsed.data;
  };
  const queues = parse(
    IngressEnv.WEBHOOK_SYNC_ROUTES,
    RoutesSchema,
    `{"akeneo-main/akeneo-products":"https://sqs.eu-west-1.amazonaws.com/123456789012/akeneo-products"}`,
  );
  const types = parse(IngressEnv.WEBHOOK_SYNC_TYPES, SyncTypesSchema, `{"akeneo-main/akeneo-products":"window"}`);
  const keys = new Set([...Object.keys(queues), ...Object.keys(types)]);
  const routes: Record<string, SyncRoute> = {};
  for (const key of keys) {
    const queueUrl = queues[key];
    const messageType = types[key];
    if (!queueUrl || !messageType)
      throw new ConfigurationError(`${IngressEnv.WEBHOOK_SYNC_ROUTES} and ${IngressEnv.WEBHOOK_SYNC_TYPES} must have the same keys; "${key}" is in only one`);
    routes[key] = { queueUrl, messageType };
  }
  return routes;
};

const positive = (env: NodeJS.ProcessEnv, name: string, override: number | undefined, fallback: number): number => {
  const raw = env[name];
  const value = override ?? (raw ? Number(raw) : fallback);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`environment variable ${name} must be a positive integer`);
  return value;
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
