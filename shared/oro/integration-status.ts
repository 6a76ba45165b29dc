import { ConfigurationError, ValidationError } from "../errors";
import type { OroClient } from "./client";
import { OroValidationError } from "./errors";
import { resolveUrl } from "./transport";

/**
 * Writing a finished run as an Oro integration status (`Oro\Bundle\IntegrationBundle\Entity\Status`),
 * so the channel's statuses grid in System > Integrations shows the run history and Oro's "last
 * status" (`ChannelRepository::getLastStatusForConnector(..., Status::STATUS_COMPLETED)`) reads the
 * last success. The facts relied on, with their Oro sources, are in docs/reference/oro-integration.md.
 */

/** JSON:API type of Oro's Status entity (plural alias in IntegrationBundle's entity.yml), exposed by the bundle. */
export const INTEGRATION_STATUS_TYPE = "integrationstatuses";
/** JSON:API type of Oro's Channel entity (read-only in Oro's own api.yml). */
export const INTEGRATION_CHANNEL_TYPE = "integrationchannels";
/** Status codes as Oro defines them: `Status::STATUS_COMPLETED = '1'`, `Status::STATUS_FAILED = '2'`. */
export const STATUS_COMPLETED = "1";
export const STATUS_FAILED = "2";
/** Channel type of the companion bundle (generated into oro-bundle/ from functions/registry.ts). */
export const SERVERLESS_CHANNEL_TYPE = "oro_serverless";
/** `Status.connector` and `Channel.name` are `string(255)` columns. */
export const STATUS_CONNECTOR_MAX_LENGTH = 255;

/** Counts of one run, as the ledger keeps them. */
export interface RunCounts {
  pagesPlanned: number;
  pagesDone: number;
  pagesDeadLettered: number;
  read: number;
  written: number;
  skipped: number;
  failed: number;
}

/** A finished run (the interface between the run ledger and Oro). */
export interface RunStatus {
  /** Integration name of the deploy config; the Oro channel has this name. */
  integration: string;
  /** Registry connector name; the channel's connector type of the same name. */
  connector: string;
  runId: string;
  outcome: "succeeded" | "failed" | "partly failed";
  /** Summary or the last error; already free of secrets. */
  message: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; becomes the status `date`. */
  finishedAt: string;
  counts: RunCounts;
  /** The window the run covered, when it is a window run (ISO 8601). */
  window?: { from: string; to: string };
}

/** The integration has no channel in Oro yet (run `ops oro-integration register`); an operator fixes it, so transient. */
export class IntegrationChannelNotFoundError extends ConfigurationError {
  constructor(readonly integration: string) {
    super(
      `No Oro integration channel of type "${SERVERLESS_CHANNEL_TYPE}" is named "${integration}": register it with \`ops oro-integration register\` (docs/oro-integration.md).`,
    );
  }
}

/** Oro's status code for an outcome: only a fully succeeded run is "completed". */
export const statusCodeOf = (outcome: RunStatus["outcome"]): string => (outcome === "succeeded" ? STATUS_COMPLETED : STATUS_FAILED);

/**
 * The status message: the run's own message after a one-line summary shaped like Oro's
 * (`AbstractSyncProcessor` writes "Stats: read [n], process [n], ..."), so the grid reads alike.
 */
export const statusMessageOf = (status: RunStatus): string => {
  const c = status.counts;
  const stats = `[${status.outcome}] Stats: read [${c.read}], written [${c.written}], skipped [${c.skipped}], failed [${c.failed}]; pages [${c.pagesDone}/${c.pagesPlanned}], dead-lettered [${c.pagesDeadLettered}]`;
  return status.message ? `${stats}\n${status.message}` : stats;
};

/** Oro's datetime format in the API: `YYYY-MM-DDTHH:MM:SSZ` (UTC, no milliseconds). */
const oroDate = (iso: string): string => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ValidationError(`RunStatus.finishedAt is not a date: "${iso}".`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
};

/** The id of the integration's channel (type {@link SERVERLESS_CHANNEL_TYPE}, name = integration). */
export const findChannelId = async (oro: OroClient, integration: string, signal?: AbortSignal): Promise<string> => {
  // `filter[name]`: `name` is indexed (oro_integration_channel_name_idx), so Oro's API offers the filter.
  // Names are not unique in Oro; the type is checked here.
  const page = await oro.list<{ name: string; type: string }>(INTEGRATION_CHANNEL_TYPE, {
    filter: { name: integration },
    page: { size: 20 },
    ...(signal ? { signal } : {}),
  });
  const channel = page.data.find((c) => c.attributes?.type === SERVERLESS_CHANNEL_TYPE && c.attributes.name === integration);
  if (!channel) throw new IntegrationChannelNotFoundError(integration);
  return channel.id;
};

/** How long a container takes "no channel" for an integration as known before it asks Oro again (see {@link IntegrationChannelIds}). */
export const NO_CHANNEL_TTL_MS = 60_000;

/** Where a status's channel relationship is, in Oro's errors about it. */
const CHANNEL_POINTER = "/data/relationships/channel/data";

/**
 * Oro refused a status because its channel id names no entity (the channel was deleted, or deleted
 * and registered again under a new id): 400 `form constraint` "The entity does not exist." at the
 * relationship (platform@6.1.11 ApiBundle Form/DataTransformer/AbstractEntityAssociationTransformer.php;
 * docs/reference/oro-integration.md "A status on a missing channel").
 */
export const isMissingChannelError = (error: unknown): boolean =>
  error instanceof OroValidationError && error.errors.some((e) => e.title === "form constraint" && e.source?.pointer === CHANNEL_POINTER);

/**
 * The channel id of each integration, as one container learnt it (one lookup by name instead of one
 * per finished run). An id is kept until Oro refuses a status for it because that channel no longer
 * exists ({@link isMissingChannelError}: {@link writeRunStatus} then forgets it and looks it up once
 * more); Oro's ids are never reused, so a kept id cannot name another channel. "No channel" is kept
 * for {@link NO_CHANNEL_TTL_MS}: an unregistered integration then costs one lookup a minute instead
 * of one per run, and a channel registered meanwhile gets its statuses at most that long later.
 * Concurrent lookups of one integration share one request. Ids are kept per Oro instance (the
 * connection's `baseUrl` and `apiPrefix`): an Oro secret repointed to another Oro while the container
 * is warm must not reuse the first instance's ids, which there may name another channel. Owned by
 * whoever owns the container's dependencies (the runtime's run-status listener), never a module global.
 */
export class IntegrationChannelIds {
  private readonly known = new Map<string, { id: Promise<string>; resolved?: string } | { missingUntil: number }>();
  private readonly now: () => number;
  private readonly noChannelTtlMs: number;

  constructor(options: { now?: () => number; noChannelTtlMs?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.noChannelTtlMs = options.noChannelTtlMs ?? NO_CHANNEL_TTL_MS;
  }

  /** The integration's channel id; `fresh` when this call asked Oro for it (else it was kept, or another call's lookup). Throws {@link IntegrationChannelNotFoundError}. */
  async get(oro: OroClient, integration: string, signal?: AbortSignal): Promise<{ id: string; fresh: boolean }> {
    const key = await this.keyOf(oro, integration);
    const entry = this.known.get(key);
    if (entry && "missingUntil" in entry) {
      if (this.now() < entry.missingUntil) throw new IntegrationChannelNotFoundError(integration);
    } else if (entry) {
      return { id: await entry.id, fresh: false };
    }
    const id = findChannelId(oro, integration, signal);
    const pending: { id: Promise<string>; resolved?: string } = { id };
    this.known.set(key, pending);
    try {
      pending.resolved = await id;
      return { id: pending.resolved, fresh: true };
    } catch (error) {
      // The entry is still this lookup's: forget() drops only a resolved id, and every other get()
      // of the key found this entry and awaits it.
      if (error instanceof IntegrationChannelNotFoundError) this.known.set(key, { missingUntil: this.now() + this.noChannelTtlMs });
      else this.known.delete(key);
      throw error;
    }
  }

  /**
   * The Oro instance (the URL the lookup goes to, built as the transport builds it) and the
   * integration: a JSON pair, so no name can forge another's key.
   */
  private async keyOf(oro: OroClient, integration: string): Promise<string> {
    return JSON.stringify([resolveUrl(await oro.connection(), INTEGRATION_CHANNEL_TYPE), integration]);
  }

  /**
   * Drops the integration's channel id `refused` (Oro said that channel no longer exists), unless
   * what is kept is already newer: a lookup in flight or another id (runs refused at once share
   * the next lookup).
   */
  async forget(oro: OroClient, integration: string, refused: string): Promise<void> {
    const key = await this.keyOf(oro, integration);
    const entry = this.known.get(key);
    if (entry && "resolved" in entry && entry.resolved === refused) this.known.delete(key);
  }
}

/**
 * Writes one finished run as an Oro integration status of its channel. Called once per finished run.
 * With `channels` the channel id comes from that cache; an id Oro refuses as a missing entity is
 * forgotten and, if it came from the cache, looked up once more and the status written once more.
 */
export async function writeRunStatus(
  oro: OroClient,
  status: RunStatus,
  options: { signal?: AbortSignal; channels?: IntegrationChannelIds } = {},
): Promise<void> {
  if (status.connector.length === 0 || status.connector.length > STATUS_CONNECTOR_MAX_LENGTH) {
    throw new ValidationError(`RunStatus.connector must be 1-${STATUS_CONNECTOR_MAX_LENGTH} characters (Status.connector is string(255)).`);
  }
  const { channels, signal } = options;
  if (!channels) return createStatus(oro, status, await findChannelId(oro, status.integration, signal), signal);
  // Two writes at most: on the kept id, then (if Oro refused it as a missing channel) on the id
  // looked up again. A refused id is forgotten each time, so the next run looks it up.
  for (let attempt = 1; ; attempt++) {
    const channel = await channels.get(oro, status.integration, signal);
    try {
      return await createStatus(oro, status, channel.id, signal);
    } catch (error) {
      if (!isMissingChannelError(error)) throw error;
      await channels.forget(oro, status.integration, channel.id);
      if (channel.fresh || attempt === 2) throw error;
    }
  }
}

async function createStatus(oro: OroClient, status: RunStatus, channelId: string, signal: AbortSignal | undefined): Promise<void> {
  await oro.create(
    {
      type: INTEGRATION_STATUS_TYPE,
      attributes: {
        code: statusCodeOf(status.outcome),
        connector: status.connector,
        message: statusMessageOf(status),
        date: oroDate(status.finishedAt),
        data: {
          runId: status.runId,
          outcome: status.outcome,
          startedAt: status.startedAt,
          finishedAt: status.finishedAt,
          ...(status.window ? { window: status.window } : {}),
          counts: { ...status.counts },
        },
      },
      relationships: { channel: { data: { type: INTEGRATION_CHANNEL_TYPE, id: channelId } } },
    },
    signal ? { signal } : {},
  );
}

/**
 * {@link writeRunStatus} for callers that must not fail when the integration has no channel in Oro
 * yet (the run ledger's listener, a local stack where `ops oro-integration register` was not run):
 * answers `"no channel"` instead of throwing {@link IntegrationChannelNotFoundError}. Any other error
 * (Oro down, a 400 for a connector the channel does not list yet) is thrown as by writeRunStatus.
 */
export async function writeRunStatusIfRegistered(
  oro: OroClient,
  status: RunStatus,
  options: { signal?: AbortSignal; channels?: IntegrationChannelIds } = {},
): Promise<"written" | "no channel"> {
  try {
    await writeRunStatus(oro, status, options);
    return "written";
  } catch (error) {
    if (error instanceof IntegrationChannelNotFoundError) return "no channel";
    throw error;
  }
}
