import { formatDateTime } from "../jsonapi/values";
import type { AttributeDef, FilterDef, Ref, RelationshipDef } from "../model";

/** Small builders that keep the resource tables readable. */

export const ref = (type: string, id: string): Ref => ({ type, id });

export const readOnlyDateTime = (): AttributeDef => ({ type: "datetime", readOnly: true, default: () => formatDateTime() });

/** createdAt/updatedAt, server-set (Oro's UpdatedAtAwareInterface entities). */
export const timestamps = (): Record<string, AttributeDef> => ({ createdAt: readOnlyDateTime(), updatedAt: readOnlyDateTime() });

/** `organization` and `owner` that Oro fills from the token's user (read-only here). */
export const ownership = (ownerType = "users"): Record<string, RelationshipDef> => ({
  owner: { target: ownerType, readOnly: true, default: () => ref(ownerType, "1") },
  organization: { target: "organizations", readOnly: true, default: () => ref("organizations", "1") },
});

export const idFilter = (): FilterDef => ({ field: "id", kind: "id", valueType: "id", range: true });
export const attrFilter = (field: string, valueType: FilterDef["valueType"], range = false): FilterDef => ({ field, kind: "attribute", valueType, range });
export const relFilter = (field: string): FilterDef => ({ field, kind: "relationship", valueType: "id" });
