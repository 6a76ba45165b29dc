import type * as z from "zod/mini";
import type { PermanentError } from "../errors";
import type { NormalizedMessage } from "../messages";
import type { Logger } from "../observability";
import type { OroClient } from "../oro";
import type { ConnectorSettings, NoSettings, SettingsSchema } from "./settings";

/**
 * Integration types and connectors: the serverless form of Oro's channel type, transport and
 * connector (docs/reference/design.md §1). A connector author writes the sync logic; the runtime
 * (shared/runtime) does parsing, validation, dispatch, retries, DLQ, alerts, logging and metrics.
 */

/** Loads a secret's settings; `forceRefresh` skips the cache once (after an auth failure: rotation). */
export type SettingsProvider<S> = (options?: { forceRefresh?: boolean }) => Promise<S>;

/** The seed's channel type: a transport's settings (the secret's JSON) and how to build its client. */
export interface IntegrationType<S = unknown, C = unknown> {
  /** Stable id used in the deploy config, e.g. `akeneo`. */
  readonly type: string;
  readonly label: string;
  /** Shape of the JSON kept in the integration's secret. */
  readonly settings: z.ZodMiniType<S>;
  /** Builds the transport client; called once per warm container. */
  createClient(settings: SettingsProvider<S>): C;
}

export type Direction = "import" | "export";

/** A message type a connector accepts, by name, with its payload schema. */
export type MessageSchemas = Record<string, z.ZodMiniType>;

/** The message a connector's `handle` receives: type and a payload already validated by its schema. */
export type ConnectorMessage<M extends MessageSchemas> = {
  [K in keyof M & string]: { type: K; payload: z.infer<M[K]>; meta: NormalizedMessage };
}[keyof M & string];

/** A message the connector puts back on its own queue (fan-out, continuation). */
export interface OutgoingMessage<M extends MessageSchemas = MessageSchemas> {
  type: keyof M & string;
  /** Idempotency key of the new message, unique within this connector. */
  id: string;
  payload: Record<string, unknown>;
  /** FIFO queues only: the ordering group; defaults to the connector type. */
  groupId?: string;
}

/** One item of a multi-item message that failed for good while the rest landed. */
export interface ItemFailure<M extends MessageSchemas = MessageSchemas> {
  error: PermanentError;
  /** A message that replays just this item; it goes to the DLQ so a redrive retries only the item. */
  replay?: OutgoingMessage<M>;
}

/** What the runtime gives a connector for one message. */
export interface ConnectorContext<C = unknown, M extends MessageSchemas = MessageSchemas, S extends SettingsSchema = NoSettings, P = undefined> {
  integration: string;
  connector: string;
  /** The integration type's client (built from the integration's secret). */
  client: C;
  /** The Oro back-office API client (built from the Oro connection secret). */
  oro: OroClient;
  /** Aborts when the invocation nears its deadline: pass it to every HTTP call. */
  signal: AbortSignal;
  /** Milliseconds left before the runtime must stop starting work. */
  remainingTimeMs(): number;
  logger: Logger;
  /**
   * Connector settings from the deploy config, parsed by the connector's `settings` schema once
   * per container (with the common keys and the ones the stack adds: shared/connector/settings.ts).
   */
  settings: Readonly<ConnectorSettings<S>>;
  /** What the connector's `prepare` built from the settings, once per container (compiled mappings, ...). */
  prepared: P;
  /** Puts messages on this connector's own queue (fan-out, continuation). */
  enqueue(messages: OutgoingMessage<M>[]): Promise<void>;
  /** Reports items that failed for good while the rest of the message landed: DLQ + alert each. */
  failItems(failures: ItemFailure<M>[]): Promise<void>;
  /** Counts a metric (EMF) under this connector (and, per `ledger.records`, into the run ledger). */
  count(metric: string, value?: number): void;
  /**
   * Names the window this message syncs, for the run ledger (`ops status` shows the last successful
   * run's window end). Absent when the function runs without a ledger.
   */
  describeRun?(window: { from: Date | string; to: Date | string }): void;
}

/**
 * How the run ledger (docs/ledger.md) reads a connector's messages: which types only list and fan
 * out (the run's listing steps; every other type is a page), and which of its metrics count the
 * records a message read, wrote and skipped on purpose. Items dead-lettered through `failItems`
 * are counted failed by the runtime.
 */
export interface LedgerDeclaration {
  readonly listing?: readonly string[];
  readonly records?: { readonly read?: readonly string[]; readonly written?: readonly string[]; readonly skipped?: readonly string[] };
}

/** Defaults a connector proposes for its deploy config entry (the config may override each). */
export interface ConnectorDefaults {
  /** EventBridge Scheduler expression, e.g. `rate(15 minutes)`; absent for message-driven connectors. */
  schedule?: string;
  /** Message type the schedule sends (payload `{scheduledTime}`). */
  scheduleMessageType?: string;
  /** Oro webhook topics this connector consumes (routed by the ingress). */
  oroTopics?: string[];
  batchSize?: number;
  timeoutSeconds?: number;
  memoryMb?: number;
  fifo?: boolean;
}

/** One harmless Oro read `ops check` makes to prove the API user may read what the connector reads. */
export interface OroReadCheck {
  /** JSON:API resource type, e.g. `products`. */
  resource: string;
  /** Filters the resource requires (a list Oro refuses unfiltered, e.g. `productprices` needs `priceList`). */
  filter?: Record<string, string>;
  /** Why the connector reads it, shown in the check's detail. */
  why?: string;
}

/** A check of the connector's settings against its external system, run by `ops check` after the connection check passed. */
export interface ExternalCheck<C> {
  name: string;
  /** What to fix when it fails. */
  hint: string;
  /** Returns what it verified; throws (a typed error with an actionable message) when it fails. */
  run(client: C, settings: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<string>;
}

/** What `ops check` verifies for a connector; declared by the connector, run with no per-connector code in ops. */
export interface ConnectorChecks<C> {
  /** Oro reads to try. @default [{ resource: entity }] (`GET <entity>?page[size]=1`) */
  oroReads?: readonly OroReadCheck[];
  /**
   * Oro writes the connector makes, with the permission Oro checks: `ops check` probes each without
   * touching a row. @default the connector's entry in ops/commands/check-permissions.ts ORO_WRITES
   */
  oroWrites?: readonly { resource: string; permission: "CREATE" | "EDIT" }[];
  external?: readonly ExternalCheck<C>[];
}

export interface Connector<C = unknown, M extends MessageSchemas = MessageSchemas, S extends SettingsSchema = NoSettings, P = undefined> {
  /** Stable id, also the folder under functions/ holding its Lambda entry (`handler.ts`). */
  readonly type: string;
  readonly label: string;
  readonly integrationType: IntegrationType<unknown, C>;
  /** Oro entity (JSON:API resource type) it syncs, e.g. `products`; the alerts' resourceType. */
  readonly entity: string;
  readonly direction: Direction;
  readonly messages: M;
  readonly defaults: ConnectorDefaults;
  /**
   * Set when the connector puts messages on its own queue in chains that can pass 16 hops (a page
   * hands over to the next page, a listing to its continuation). Lambda's recursive loop detection
   * stops such a chain at its 17th invocation (docs/reference/lambda-recursion.md), so the function is
   * deployed with `RecursiveLoop: Allow`, and the runtime's hop cap (`maxChainHops`) bounds the
   * chain instead. `reason` says why this connector needs it.
   */
  readonly recursiveLoop?: { allow: true; reason: string };
  /** What `ops check` verifies for this connector beyond the connection (docs/connectors.md "ops check"). */
  readonly checks?: ConnectorChecks<C>;
  /**
   * Schema of the deploy config's `settings` for this connector (a zod/mini object, read strictly:
   * unknown keys are refused). `cdk synth`, the local stack and `ops` reject a bad setting with its
   * field path; the runtime parses it once per container into `context.settings`. Absent: the
   * connector takes only the common keys (shared/connector/settings.ts).
   */
  readonly settings?: S;
  /**
   * Builds what the connector derives from its settings (compiled mappings, converters) once per
   * container, after the settings are parsed; the result is `context.prepared`. A throw (a bad
   * mapping override) is a configuration error of every message.
   */
  readonly prepare?: (settings: ConnectorSettings<S>) => P;
  /** How the run ledger reads this connector's messages and metrics. */
  readonly ledger?: LedgerDeclaration;
  handle(message: ConnectorMessage<M>, context: ConnectorContext<C, M, S, P>): Promise<void>;
}

/** Any connector of the registry (they differ in client, messages, settings and prepared state). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = Connector<any, any, any, any>;

/** Declares an integration type (typed helper; no behaviour). */
export const defineIntegrationType = <S, C>(definition: IntegrationType<S, C>): IntegrationType<S, C> => definition;

/** Declares a connector (typed helper; no behaviour). */
export const defineConnector = <C, M extends MessageSchemas, S extends SettingsSchema = NoSettings, P = undefined>(
  definition: Connector<C, M, S, P>,
): Connector<C, M, S, P> => definition;
