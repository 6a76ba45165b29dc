import type { FailureEvent, RecoveryEvent } from "../../shared/alerts";
import type { Filters } from "../../shared/oro";

/**
 * The dedup key of an alert (docs/alert-contract.md section 6): Oro's NotificationAlertManager rule,
 * sourceType + resourceType + alertType + operation + step + itemId + externalId, null matching null.
 */
export interface AlertKey {
  sourceType: string;
  resourceType: string;
  alertType: string | null;
  operation: string | null;
  step: string | null;
  itemId: number | null;
  externalId: string | null;
}

/** The key a recovery resolves: the alert key without `alertType` (any kind of failure of that record). */
export type ResolveKey = Omit<AlertKey, "alertType">;

/**
 * Column limits of `oro_notification_alert` (contract section 3). Values are cut to them the same
 * way for look-ups and writes, so a long integration name still dedups instead of being rejected
 * with a 400 on every event.
 */
const LIMITS = { sourceType: 50, resourceType: 255, alertType: 20, step: 50, externalId: 255 } as const;

const cut = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);

/** The resolve key of a failure or recovery event. */
export const resolveKeyOf = (event: FailureEvent | RecoveryEvent): ResolveKey => ({
  sourceType: cut(event.integration, LIMITS.sourceType),
  resourceType: cut(event.entity, LIMITS.resourceType),
  operation: event.operation,
  step: cut(event.step, LIMITS.step),
  itemId: event.itemId ?? null,
  externalId: event.externalId === undefined ? null : cut(event.externalId, LIMITS.externalId),
});

/** The full alert key of a failure event. */
export const alertKeyOf = (event: FailureEvent): AlertKey => ({ ...resolveKeyOf(event), alertType: cut(event.alertType, LIMITS.alertType) });

/** A stable string for grouping (JSON of the parts in contract order). */
export const keyId = (key: ResolveKey | AlertKey): string =>
  JSON.stringify([key.sourceType, key.resourceType, "alertType" in key ? key.alertType : undefined, key.operation, key.step, key.itemId, key.externalId]);

/**
 * List filters matching the key exactly among unresolved alerts (contract section 7, step 1): a null
 * part becomes `filter[<name>][exists]=false`, since a plain filter cannot say "null".
 */
export const unresolvedFilters = (key: ResolveKey | AlertKey): Filters => {
  const filters: Filters = { resolved: false };
  for (const [name, value] of Object.entries(key) as Array<[string, string | number | null]>) {
    filters[name] = value === null ? { exists: false } : value;
  }
  return filters;
};

/** True when a stored alert's attributes carry exactly this key (guards against a lax filter). */
export const matchesKey = (attributes: Record<string, unknown>, key: ResolveKey | AlertKey): boolean =>
  (Object.entries(key) as Array<[string, unknown]>).every(([name, value]) => (attributes[name] ?? null) === value);
