import type { ErrorObject } from "../jsonapi/errors";
import type { OroStore } from "./store";

/** Actions of Oro's API config (`actions:` in api.yml). */
export type Action = "get" | "get_list" | "create" | "update" | "delete" | "delete_list" | "update_list";

/** How a value is stored, validated and compared. */
export type ValueType = "string" | "integer" | "decimal" | "boolean" | "datetime" | "json" | "array";

/** A JSON:API resource identifier. */
export interface Ref {
  type: string;
  id: string;
}

/** A resource as the sandbox stores it: attribute values already in output format. */
export interface StoredRecord {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, Ref | Ref[] | null>;
}

export interface AttributeDef {
  type: ValueType;
  /** NotBlank on create (after defaults). */
  required?: boolean;
  maxLength?: number;
  minLength?: number;
  /** Allowed values (Choice constraint / enum). */
  choices?: readonly string[];
  /** Value on create when not sent. */
  default?: () => unknown;
  /** Server-set; ignored in request bodies. */
  readOnly?: boolean;
  /** Accepted on write, never output (e.g. a webhook secret). */
  writeOnly?: boolean;
  /**
   * Create-only (`direction: output-only` on the update action): an update carrying it gets 400
   * "extra fields constraint" like an unknown field.
   */
  immutable?: boolean;
  /** Unique index (case-insensitive when `caseInsensitive`). */
  unique?: boolean;
  /**
   * The uniqueness comes from an entity-config `unique_key` (extend fields such as `externalId`), not a
   * Doctrine unique column: Oro's UniqueEntityExtension answers 400 "unique entity constraint"
   * `Value for field "<label>" must be unique` on the entity itself (errorPath ''), so no attribute
   * pointer, and CompleteUpsertConfig derives no upsert key from it.
   */
  uniqueKeyLabel?: string;
  caseInsensitive?: boolean;
}

export interface RelationshipDef {
  /** JSON:API type of the target. */
  target: string;
  toMany?: boolean;
  required?: boolean;
  /** Not writable (`form_options: mapped: false`); silently ignored in bodies. */
  readOnly?: boolean;
  default?: () => Ref | Ref[] | null;
  /** Filled by the parent when this record is created through the parent's `included` (e.g. lineItem.order). */
  setByParent?: boolean;
  /** Name of the relationship on the target that points back here (set on included targets). */
  inverse?: string;
  /**
   * The error for a target that does not exist, when Oro validates it with its own constraint
   * instead of the generic one (e.g. a webhook's topic: `valid webhook topic constraint`).
   */
  unknownTarget?: { title: string; detail: string };
  /** Deleting the target deletes this row too (ORM cascade, e.g. inventory levels of a product). */
  cascadeDelete?: boolean;
}

/** A filter: `filter[name]` compares `field` (`id`, an attribute or a to-one/to-many relationship). */
export interface FilterDef {
  field: string;
  kind: "id" | "attribute" | "relationship";
  valueType: ValueType | "id";
  /** Allows `lt lte gt gte` and `a..b` ranges (integer/decimal/datetime filters in Oro). */
  range?: boolean;
}

/** What a write sees, for resource-specific validation and hooks. */
export interface WriteContext {
  /** `/data` or `/data/3`, or `/included/1`. */
  pointer: string;
  /** The candidate record (not yet stored). */
  record: StoredRecord;
  /** The stored version on update, `undefined` on create. */
  existing: StoredRecord | undefined;
  /** Attribute and relationship names present in the request. */
  sentAttributes: ReadonlySet<string>;
  sentRelationships: ReadonlySet<string>;
  /** Looks up a record in the store or among this request's included items. */
  resolve(ref: Ref): StoredRecord | undefined;
}

/** A declarative description of one API resource. */
export interface ResourceDef {
  type: string;
  /** Where the behaviour comes from (docs/reference/oro-api.md section or Oro code path). */
  source: string;
  /** `sequence` = integer PK; `uuid` = server GUID; `client` = client must send the id; `code` = natural code. */
  idStrategy: "sequence" | "uuid" | "client" | "code";
  attributes: Record<string, AttributeDef>;
  relationships: Record<string, RelationshipDef>;
  actions: readonly Action[];
  /**
   * Actions guarded by a capability (`acl_resource` in api.yml) instead of the entity's permission:
   * ApiBundle Processor/Shared/ValidateEntityTypeAccess.php checks only the capability then.
   */
  aclResources?: Partial<Record<Action, string>>;
  filters: Record<string, FilterDef>;
  sorters: readonly string[];
  /** Field sets `meta.upsert: [...]` may match on; `["id"]` only when `upsertById`. */
  upsertKeys?: readonly (readonly string[])[];
  upsertById?: boolean;
  /** Filters that list/delete-list requests must carry (productprices: priceList). */
  requiredFilters?: readonly string[];
  /** Extra validation; return errors with pointers relative to the document. */
  validate?(ctx: WriteContext): ErrorObject[];
  /** Derives fields before the record is stored (e.g. primaryUnitPrecision). */
  beforeSave?(ctx: WriteContext): void;
  /** Builds the id of a new record when the strategy alone cannot (productprices: `<uuid>-<priceListId>`). */
  makeId?(record: StoredRecord): string;
  /** Side effects after a write was stored (inventory levels for new unit precisions, order totals). */
  afterSave?(record: StoredRecord, created: boolean, env: HookEnv): void;
}

/** What resource hooks may touch after a write. */
export interface HookEnv {
  store: OroStore;
  /** Current time in Oro's datetime format. */
  now(): string;
}
