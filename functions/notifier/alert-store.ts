import { randomUUID } from "node:crypto";
import { OroConflictError, OroNotFoundError, type OroClient, type ResourceObject } from "../../shared/oro";
import { type AlertKey, type ResolveKey, matchesKey, unresolvedFilters } from "./alert-key";
import { alertIdOf } from "./alert-lease";
import type { AlertInfo } from "./alert-text";

/** JSON:API type of the alerts (docs/alert-contract.md section 1). */
export const ALERT_TYPE = "notificationalerts";
/** Page size of look-ups: more than one, so the client-side key check can skip lax matches. */
const LOOKUP_PAGE_SIZE = 20;
/** Pages a resolve walks at most (20 x 25 = 500 open alerts for one record is already absurd). */
const MAX_RESOLVE_PAGES = 25;

/** Attributes of a stored alert the notifier reads. */
export interface AlertAttributes {
  alertType: string | null;
  sourceType: string;
  resourceType: string;
  operation: string | null;
  step: string | null;
  itemId: number | null;
  externalId: string | null;
  message: string | null;
  resolved: boolean;
  additionalInfo: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export type StoredAlert = ResourceObject<AlertAttributes>;

/**
 * The notifier's few calls on `notificationalerts` through the shared Oro client: look up open
 * alerts by key, create with a client-generated UUID, update message/count, resolve.
 */
export class AlertStore {
  constructor(
    private readonly oro: () => OroClient,
    /** The id of a new alert: of a key's generation (alert-lease.ts `alertIdOf`), else a fresh UUID. */
    private readonly newId: (key: AlertKey, generation: string | undefined) => string = (key, generation) =>
      generation === undefined ? randomUUID() : alertIdOf(key, generation),
  ) {}

  /** The id the alert of `key` gets in `generation`: every invocation creating it uses the same one. */
  idOf(key: AlertKey, generation: string): string {
    return this.newId(key, generation);
  }

  /**
   * Open alerts with exactly this key, most recently updated first (contract section 7, step 1).
   * The filters do the work; the key is checked again here because a comma in a value is an OR
   * in Oro's filter syntax.
   */
  async findOpen(key: AlertKey | ResolveKey, signal?: AbortSignal): Promise<StoredAlert[]> {
    const page = await this.oro().list<AlertAttributes>(ALERT_TYPE, {
      filter: unresolvedFilters(key),
      sort: "-updatedAt",
      page: { size: LOOKUP_PAGE_SIZE },
      ...(signal ? { signal } : {}),
    });
    return page.data.filter((alert) => alert.attributes && matchesKey(alert.attributes as unknown as Record<string, unknown>, key));
  }

  /** Every open alert of a resolve key (any alertType), bounded. */
  async findAllOpen(key: ResolveKey, signal?: AbortSignal): Promise<StoredAlert[]> {
    const found: StoredAlert[] = [];
    for await (const page of this.oro().pages<AlertAttributes>(ALERT_TYPE, {
      filter: unresolvedFilters(key),
      sort: "id",
      page: { size: LOOKUP_PAGE_SIZE },
      maxPages: MAX_RESOLVE_PAGES,
      ...(signal ? { signal } : {}),
    })) {
      found.push(...page.data.filter((alert) => alert.attributes && matchesKey(alert.attributes as unknown as Record<string, unknown>, key)));
    }
    return found;
  }

  /**
   * Creates an open alert with id `id` (a plain create, never an upsert: the bundle's api.yml sets
   * `upsert: false`; oro-bundle/Resources/config/oro/api.yml, docs/reference/oro-writes.md §3).
   * The POST is marked retry-safe, and `exists` is Oro's 409 "already exists": an alert with this
   * id is stored already (this call's own earlier attempt, or another writer's create of the same
   * id: docs/alert-contract.md section 10).
   */
  async createWithId(id: string, key: AlertKey, fields: { message: string; additionalInfo: AlertInfo }, signal?: AbortSignal): Promise<"created" | "exists"> {
    try {
      await this.oro().create(
        { type: ALERT_TYPE, id, attributes: { ...key, resolved: false, message: fields.message, additionalInfo: fields.additionalInfo } },
        { retrySafe: true, ...(signal ? { signal } : {}) },
      );
      return "created";
    } catch (error) {
      if (error instanceof OroConflictError) return "exists";
      throw error;
    }
  }

  /**
   * Creates an open alert with a fresh id (`newId`); a 409 on a retried POST means the earlier
   * attempt was stored (contract section 2), which is success.
   */
  async create(key: AlertKey, fields: { message: string; additionalInfo: AlertInfo }, signal?: AbortSignal): Promise<string> {
    const id = this.newId(key, undefined);
    await this.createWithId(id, key, fields, signal);
    return id;
  }

  /** One alert by id (`GET notificationalerts/{id}`); undefined when Oro has none. */
  async get(id: string, signal?: AbortSignal): Promise<StoredAlert | undefined> {
    try {
      return (await this.oro().get<AlertAttributes>(ALERT_TYPE, id, signal ? { signal } : {})).data;
    } catch (error) {
      if (error instanceof OroNotFoundError) return undefined;
      throw error;
    }
  }

  /** Sets the writable fields of an alert (message, resolved, additionalInfo; contract section 3). */
  async update(id: string, attributes: { message?: string; resolved?: boolean; additionalInfo?: AlertInfo }, signal?: AbortSignal): Promise<void> {
    await this.oro().update({ type: ALERT_TYPE, id, attributes }, signal ? { signal } : {});
  }
}
