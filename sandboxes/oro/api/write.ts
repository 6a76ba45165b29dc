import { randomUUID } from "node:crypto";
import { ApiError, apiErrors, errorObject, validationError } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import type { OroStore, Ref, ResourceDef, StoredRecord, WriteContext } from "../model";
import { coerceAttribute, isBlank, notBlank } from "./coerce";
import { deleteCascading } from "./cascade";

/** What the write pipeline needs from the sandbox. */
export interface WriteEnv {
  store: OroStore;
  defs: ReadonlyMap<string, ResourceDef>;
  now(): string;
  /**
   * Test control: the next `uniqueAtFlush` creates that collide on a unique column answer as Oro's
   * database index does when two writers passed validation at once (409 `conflict constraint` "The
   * entity already exists.", ApiBundle Processor/Create/SaveEntity.php, Batch/Processor/Update/FlushData.php)
   * instead of the UniqueEntity 400. Default 0.
   */
  controls?: { uniqueAtFlush: number };
}

/** One resource object as a client sends it. */
interface InputObject {
  type?: unknown;
  id?: unknown;
  attributes?: unknown;
  relationships?: unknown;
  meta?: unknown;
}

/** How the primary object is written. */
export type WriteMode =
  | { kind: "create" }
  | { kind: "update"; urlId: string }
  /** An item of `PATCH /{type}` (batch): create, or update with `meta.update`, or upsert. */
  | { kind: "batch" };

/** A stored write: the record and whether it was created (201) or updated (200). */
export interface WriteResult {
  record: StoredRecord;
  created: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const key = (ref: Ref) => `${ref.type}:${ref.id}`;

interface Built {
  def: ResourceDef;
  input: InputObject;
  pointer: string;
  record: StoredRecord;
  existing: StoredRecord | undefined;
  /** Id the client used in this request (temp id of an included item). */
  requestId: string | undefined;
  sentAttributes: Set<string>;
  sentRelationships: Set<string>;
  /**
   * Relationships whose value named no entity ("The entity does not exist."): Symfony's form
   * validation skips the constraints of a field whose transformation failed, so no NotBlank follows
   * (orocommerce@6.1.11 ProductTest::testTryToCreateWithInvalidProductUnit expects exactly that error
   * for the required `unit` of a unit precision, validation.yml's NotBlank notwithstanding).
   */
  unresolvedRelationships?: Set<string>;
}

/**
 * Writes one JSON:API document's primary object (plus its `included` items) into the store, with
 * Oro's validation, upsert and conflict rules. Throws {@link ApiError}; the caller wraps it in a
 * store transaction so a failure leaves nothing behind.
 * Sources: docs/reference/oro-api.md §2 (included), §4 (upsert), §6 (409 rules); doc@6.1:api/create-update-related-resources.md.
 */
export function writeDocument(
  env: WriteEnv,
  def: ResourceDef,
  data: unknown,
  included: unknown,
  mode: WriteMode,
  pointer = "/data",
  includedPointer = "/included",
  /** Pointers of the included items when they are a subset of the document's (batch items). */
  includedPointers?: readonly string[],
): WriteResult {
  if (!isObject(data)) throw apiErrors.requestData("The primary data object should exist and be an object.", pointer);
  const input = data as InputObject;
  if (input.type !== def.type) {
    if (input.type === undefined) throw apiErrors.validation([notBlank(`${pointer}/type`)]);
    // platform 6.1.11 Request/JsonApi/TypedRequestDataValidator.php validatePrimaryDataObjectType.
    throw apiErrors.conflict("conflict constraint", "The 'type' property of the primary data object should match the requested resource", `${pointer}/type`);
  }
  if (included !== undefined && !Array.isArray(included)) throw apiErrors.requestData("The 'included' section should be an array.", includedPointer);

  const target = resolveTarget(env, def, input, mode, pointer);
  const includedBuilt = new Map<string, Built>();
  const errors: ErrorObject[] = [];
  const resolve = (ref: Ref): StoredRecord | undefined => includedBuilt.get(key(ref))?.record ?? env.store.get(ref);
  const includedItems = (included as unknown[] | undefined) ?? [];

  // Included first: the primary's validation may look at them (product names, order line items).
  includedItems.forEach((item, index) => {
    const itemPointer = includedPointers?.[index] ?? `${includedPointer}/${index}`;
    if (!isObject(item) || typeof item.type !== "string" || typeof item.id !== "string") {
      errors.push(validationError("request data constraint", "The included object should have 'type' and 'id' properties.", itemPointer));
      return;
    }
    const itemDef = env.defs.get(item.type);
    if (!itemDef || !itemDef.actions.includes("create")) {
      errors.push(validationError("entity type constraint", `The "${item.type}" type cannot be used in included data.`, `${itemPointer}/type`));
      return;
    }
    const isUpdate = isObject(item.meta) && item.meta.update === true;
    const existing = isUpdate ? env.store.get({ type: item.type, id: item.id }) : undefined;
    if (isUpdate && !existing) {
      errors.push(errorObject(404, "not found http exception", "An entity with the requested identifier does not exist.", { pointer: itemPointer }));
      return;
    }
    includedBuilt.set(`${item.type}:${item.id}`, {
      def: itemDef,
      input: item,
      pointer: itemPointer,
      record: emptyRecord(itemDef, item.id),
      existing,
      requestId: item.id,
      sentAttributes: new Set(),
      sentRelationships: new Set(),
    });
  });
  const includedIds = new Set(includedBuilt.keys());
  for (const built of includedBuilt.values()) errors.push(...buildRecord(env, built, includedIds, true));

  const primary: Built = {
    def,
    input,
    pointer,
    record: emptyRecord(def, target.existing?.id ?? target.newId ?? ""),
    existing: target.existing,
    requestId: typeof input.id === "string" ? input.id : undefined,
    sentAttributes: new Set(),
    sentRelationships: new Set(),
  };
  errors.push(...buildRecord(env, primary, includedIds, false));

  const contexts = [...includedBuilt.values(), primary].map((built): [Built, WriteContext] => [
    built,
    {
      pointer: built.pointer,
      record: built.record,
      existing: built.existing,
      sentAttributes: built.sentAttributes,
      sentRelationships: built.sentRelationships,
      resolve,
    },
  ]);
  for (const [built, ctx] of contexts) built.def.beforeSave?.(ctx);
  for (const [built, ctx] of contexts) {
    errors.push(...checkRequired(built, includedIds));
    errors.push(...checkUnique(env, built));
    errors.push(...(built.def.validate?.(ctx) ?? []));
  }
  if (errors.length > 0) throw new ApiError(statusOf(errors), errors);

  // Commit: give included items real ids, rewrite references to them, store, then link inverses.
  const idMap = new Map<string, Ref>();
  for (const [tempKey, built] of includedBuilt) {
    if (!built.existing) built.record.id = newId(env, built.def, built.record);
    idMap.set(tempKey, { type: built.def.type, id: built.record.id });
  }
  if (!primary.existing && !target.newId) primary.record.id = newId(env, def, primary.record);
  const now = env.now();
  for (const built of [...includedBuilt.values(), primary]) {
    remapRefs(built.record, idMap);
    if ("updatedAt" in built.def.attributes) built.record.attributes.updatedAt = now;
    if ("createdAt" in built.def.attributes && !built.existing) built.record.attributes.createdAt = now;
    env.store.mustTable(built.def.type).put(built.record);
  }
  linkInverses(env, primary);
  removeOrphans(env, [...includedBuilt.values(), primary]);
  const hookEnv = { store: env.store, now: env.now };
  for (const built of [...includedBuilt.values(), primary]) built.def.afterSave?.(built.record, !built.existing, hookEnv);
  return { record: env.store.mustTable(def.type).get(primary.record.id) ?? primary.record, created: !primary.existing };
}

/**
 * Orphan removal: replacing an owned to-many list (a product's names, descriptions, unit
 * precisions) deletes the rows left out, with what belongs to them (a unit precision's inventory
 * level), as Doctrine's `orphanRemoval` does in Oro. A list is owned when the target's inverse
 * relationship cascades deletes.
 */
function removeOrphans(env: WriteEnv, builts: readonly Built[]): void {
  for (const built of builts) {
    if (!built.existing) continue;
    for (const [name, rel] of Object.entries(built.def.relationships)) {
      if (!rel.toMany || !rel.inverse || !built.sentRelationships.has(name)) continue;
      if (!env.defs.get(rel.target)?.relationships[rel.inverse]?.cascadeDelete) continue;
      const kept = new Set((built.record.relationships[name] as Ref[] | undefined)?.map((r) => r.id) ?? []);
      for (const old of (built.existing.relationships[name] as Ref[] | undefined) ?? []) {
        const row = kept.has(old.id) ? undefined : env.store.get(old);
        if (row) deleteCascading(env, row);
      }
    }
  }
}

/**
 * The response status of several errors, as Oro computes it: the highest status class wins; within
 * it a single code is kept, else the class itself, except that a 409 among 4xx wins
 * (platform 6.1.11/7.0.4 Request/ErrorResponseStatusCodeTrait.php).
 */
export function statusOf(errors: readonly ErrorObject[]): number {
  const codes = errors.map((e) => Number(e.status) || 500);
  if (codes.length === 0) return 500;
  const group = Math.max(...codes.map((c) => Math.floor(c / 100) * 100));
  const inGroup = new Set(codes.filter((c) => Math.floor(c / 100) * 100 === group));
  if (inGroup.size === 1) return [...inGroup][0] as number;
  return group === 400 && inGroup.has(409) ? 409 : group;
}

function emptyRecord(def: ResourceDef, id: string): StoredRecord {
  return { type: def.type, id, attributes: {}, relationships: {} };
}

function newId(env: WriteEnv, def: ResourceDef, record: StoredRecord): string {
  if (def.makeId) return def.makeId(record);
  if (def.idStrategy === "sequence") return env.store.mustTable(def.type).nextId();
  if (def.idStrategy === "uuid") return randomUUID();
  return record.id;
}

/** Decides create vs update (and upsert) for the primary object. */
function resolveTarget(env: WriteEnv, def: ResourceDef, input: InputObject, mode: WriteMode, pointer: string): { existing?: StoredRecord; newId?: string } {
  const table = env.store.mustTable(def.type);
  const meta = isObject(input.meta) ? input.meta : {};
  const upsert = meta.upsert;
  const inputId = input.id === undefined || input.id === null ? undefined : String(input.id);

  if (mode.kind === "update") {
    if (inputId === undefined) throw apiErrors.validation([notBlank(`${pointer}/id`)]);
    if (inputId !== mode.urlId) {
      // TypedRequestDataValidator.php validatePrimaryDataObjectId.
      throw apiErrors.conflict(
        "conflict constraint",
        "The 'id' property of the primary data object should match 'id' parameter of the query string",
        `${pointer}/id`,
      );
    }
  }
  if (upsert !== undefined && upsert !== false) return resolveUpsert(def, table, input, mode, pointer, upsert, inputId, meta.update === true, env);
  if (mode.kind === "update" || (mode.kind === "batch" && meta.update === true)) {
    if (inputId === undefined) throw apiErrors.validation([notBlank(`${pointer}/id`)]);
    const existing = table.get(inputId);
    if (!existing) {
      if (mode.kind === "update") throw apiErrors.notFound();
      // The not-found error carries no source; the batch gives it the item's pointer (CompleteItemErrorPaths.php).
      throw new ApiError(404, [errorObject(404, "not found http exception", "An entity with the requested identifier does not exist.", { pointer })]);
    }
    return { existing };
  }
  // Create: client-generated ids (GUID without generator) must be sent and must be new.
  if (def.idStrategy === "client" || def.idStrategy === "code") {
    if (inputId === undefined || inputId === "") throw apiErrors.validation([notBlank(`${pointer}/id`)]);
    if (table.get(inputId)) throw apiErrors.conflict("conflict constraint", "The entity already exists.", `${pointer}/id`);
    return { newId: inputId };
  }
  return {};
}

/**
 * Where Oro puts an upsert error: `/meta/upsert` for a single request (the pointer is relative to
 * the document, not to `data`), `/data/{i}/meta/upsert` for a batch item and
 * `/included/{i}/meta/upsert` for an included one (platform 6.1.11/7.0.4
 * Processor/Create/JsonApi/LoadUpsertEntity.php `buildUpsertFlagPointer`; batch prefix from
 * Batch/Processor/Update/JsonApi/CompleteItemErrorPaths.php; UpsertViaCreateActionTest.php).
 */
const upsertPointer = (pointer: string): string => (pointer === "/data" ? "/meta/upsert" : `${pointer}/meta/upsert`);

/** Oro's CompleteUpsertConfig: upsert is on when it can match by id (no generated id) or by a unique field set. */
const upsertEnabled = (def: ResourceDef): boolean => allowedById(def) || (def.upsertKeys ?? []).length > 0;
const allowedById = (def: ResourceDef): boolean => def.upsertById ?? (def.idStrategy === "code" || def.idStrategy === "client");

/**
 * `meta.upsert` on the primary object, with Oro's rules and texts (platform 6.1.11/7.0.4):
 * the flag is `true`, `false` or an array of strings (`Util/MetaOperationParser.php`, `["id"]` = `true`,
 * only one of update/upsert/validate); a batch item with `upsert: true` runs the update action, one
 * with a field list the create action (`Batch/Processor/UpdateItem/JsonApi/SetTargetAction.php`);
 * update refuses generated ids (`Processor/Update/JsonApi/DisableUpsertOperation.php`) and field
 * lists (`Update/JsonApi/LoadUpsertEntity.php`); create refuses a resource without upsert config
 * ("The upsert operation is not allowed.", `Create/JsonApi/LoadUpsertEntity.php`), fields outside the
 * config, and by-id for generated ids.
 */
function resolveUpsert(
  def: ResourceDef,
  table: ReturnType<OroStore["mustTable"]>,
  input: InputObject,
  mode: WriteMode,
  pointer: string,
  upsert: unknown,
  inputId: string | undefined,
  alsoUpdate: boolean,
  env: WriteEnv,
): { existing?: StoredRecord; newId?: string } {
  const at = upsertPointer(pointer);
  const refuse = (detail: string): never => {
    throw apiErrors.validation([validationError("value constraint", detail, at)]);
  };
  if (upsert !== true && !(Array.isArray(upsert) && upsert.every((f) => typeof f === "string")))
    refuse("This value should be a boolean or an array of strings.");
  if (alsoUpdate) throw apiErrors.requestData("Only one meta option can be used.", pointer === "/data" ? "/meta" : `${pointer}/meta`);
  const fields = upsert === true ? ["id"] : (upsert as string[]);
  const byId = fields.length === 1 && fields[0] === "id";
  const action = mode.kind === "update" || (mode.kind === "batch" && byId) ? "update" : "create";
  if (action === "update") {
    if (def.idStrategy === "sequence" || def.idStrategy === "uuid")
      refuse("The upsert operation is not supported for resources with auto-generated identifier value.");
    if (!upsertEnabled(def)) refuse("The upsert operation is not allowed.");
    if (!byId) refuse("Only the entity identifier can be used by the upsert operation to find an entity.");
    if (!allowedById(def)) refuse("The upsert operation cannot use the entity identifier to find an entity.");
    if (inputId === undefined) throw apiErrors.validation([notBlank(`${pointer}/id`)]);
    const existing = table.get(inputId);
    return existing ? { existing } : { newId: inputId };
  }
  if (!upsertEnabled(def)) refuse("The upsert operation is not allowed.");
  if (byId) {
    if (!allowedById(def)) refuse("The upsert operation cannot use the entity identifier to find an entity.");
    if (inputId === undefined) throw apiErrors.validation([notBlank(`${pointer}/id`)]);
    const existing = table.get(inputId);
    return existing ? { existing } : { newId: inputId };
  }
  const allowed = (def.upsertKeys ?? []).some((k) => k.length === fields.length && k.every((f) => fields.includes(f)));
  if (!allowed) refuse(`The upsert operation cannot use ${fields.length > 1 ? "these fields" : "this field"} to find an entity.`);
  const matches = findByFields(env, def, input, fields, pointer);
  if (matches.length > 1) throw apiErrors.conflict("conflict constraint", "The upsert operation founds more than one entity.");
  return matches[0] ? { existing: matches[0] } : {};
}

/** Rows whose upsert fields equal the request's values (unique index first, else relationship index). */
function findByFields(env: WriteEnv, def: ResourceDef, input: InputObject, fields: string[], pointer: string): StoredRecord[] {
  const table = env.store.mustTable(def.type);
  const attributes = isObject(input.attributes) ? input.attributes : {};
  const relationships = isObject(input.relationships) ? input.relationships : {};
  const wanted = fields.map((field) => {
    if (field in def.attributes) {
      const value = attributes[field];
      // platform 6.1.11 Util/UpsertCriteriaBuilder.php: the error sits at the upsert flag.
      if (value === undefined)
        throw apiErrors.validation([validationError("value constraint", `The "${field}" field does not exist in the request data.`, upsertPointer(pointer))]);
      const coerced = coerceAttribute(def.attributes[field] ?? { type: "string" }, value, `${pointer}/attributes/${field}`);
      return { field, kind: "attribute" as const, value: coerced.ok ? coerced.value : value };
    }
    const rel = relationships[field];
    const data = isObject(rel) ? rel.data : undefined;
    if (!isObject(data))
      throw apiErrors.validation([validationError("value constraint", `The "${field}" field does not exist in the request data.`, upsertPointer(pointer))]);
    return { field, kind: "relationship" as const, value: String(data.id) };
  });
  const first = wanted[0];
  if (wanted.length === 1 && first?.kind === "attribute" && table.hasUniqueIndex(first.field)) {
    const id = table.findUnique(first.field, first.value);
    const row = id ? table.get(id) : undefined;
    return row ? [row] : [];
  }
  const indexed = wanted.find((w) => w.kind === "relationship" && table.hasRelationIndex(w.field));
  const candidates = indexed ? [...table.findByRelation(indexed.field, String(indexed.value))].map((id) => table.get(id)) : [...table.rows.values()];
  return candidates.filter(
    (row): row is StoredRecord =>
      row !== undefined &&
      wanted.every((w) => {
        if (w.kind === "relationship") return (row.relationships[w.field] as Ref | null | undefined)?.id === w.value;
        const actual = row.attributes[w.field];
        const caseInsensitive = def.attributes[w.field]?.caseInsensitive;
        return caseInsensitive ? String(actual).toLowerCase() === String(w.value).toLowerCase() : actual === w.value || String(actual) === String(w.value);
      }),
  );
}

/** Fills `built.record` from the body (on top of the existing row or defaults); returns format errors. */
function buildRecord(env: WriteEnv, built: Built, includedIds: ReadonlySet<string>, isIncluded: boolean): ErrorObject[] {
  const { def, input, pointer, existing } = built;
  const errors: ErrorObject[] = [];
  const record = built.record;
  if (existing) {
    record.attributes = { ...existing.attributes };
    record.relationships = { ...existing.relationships };
  } else {
    for (const [name, attr] of Object.entries(def.attributes)) record.attributes[name] = attr.default ? attr.default() : null;
    for (const [name, rel] of Object.entries(def.relationships)) record.relationships[name] = rel.default ? rel.default() : rel.toMany ? [] : null;
  }
  if (input.attributes !== undefined && !isObject(input.attributes))
    errors.push(validationError("request data constraint", "The 'attributes' property should be an object.", `${pointer}/attributes`));
  if (input.relationships !== undefined && !isObject(input.relationships))
    errors.push(validationError("request data constraint", "The 'relationships' property should be an object.", `${pointer}/relationships`));

  // Fields the form does not have: unknown ones, and on update the create-only ones (`direction:
  // output-only` for the update action). Oro reports them together as one form-level error, so
  // without a pointer in a single request (`/data/{i}` in a batch): FieldDirectionTest.php,
  // DisabledResourceTest.php (platform 6.1.11 ApiBundle Tests/Functional/RestJsonApi).
  const extra: string[] = [];
  for (const [name, value] of Object.entries(isObject(input.attributes) ? input.attributes : {})) {
    const attrPointer = `${pointer}/attributes/${name}`;
    const attr = def.attributes[name];
    if (!attr || (existing && attr.immutable)) {
      extra.push(name);
      continue;
    }
    if (attr.readOnly) continue;
    const coerced = coerceAttribute(attr, value, attrPointer);
    if (!coerced.ok) {
      errors.push(coerced.error);
      continue;
    }
    record.attributes[name] = coerced.value;
    built.sentAttributes.add(name);
  }

  for (const [name, value] of Object.entries(isObject(input.relationships) ? input.relationships : {})) {
    const relPointer = `${pointer}/relationships/${name}/data`;
    const rel = def.relationships[name];
    if (!rel) {
      extra.push(name);
      continue;
    }
    if (rel.readOnly || (isIncluded && rel.setByParent)) continue;
    if (!isObject(value) || !("data" in value)) {
      errors.push(validationError("request data constraint", "The relationship should have 'data' property", `${pointer}/relationships/${name}`));
      continue;
    }
    const data = value.data;
    const items = data === null ? [] : Array.isArray(data) ? data : [data];
    if (Boolean(rel.toMany) !== Array.isArray(data) && data !== null) {
      errors.push(
        validationError(
          "request data constraint",
          rel.toMany ? "The 'data' property should be an array." : "The 'data' property should be an object or null.",
          relPointer,
        ),
      );
      continue;
    }
    const refs: Ref[] = [];
    items.forEach((item, index) => {
      const itemPointer = rel.toMany ? `${relPointer}/${index}` : relPointer;
      if (!isObject(item) || typeof item.type !== "string" || (typeof item.id !== "string" && typeof item.id !== "number")) {
        errors.push(validationError("request data constraint", "The relationship item should have 'type' and 'id' properties.", itemPointer));
        return;
      }
      const ref = { type: item.type, id: String(item.id) };
      if (ref.type !== rel.target) {
        errors.push(validationError("entity type constraint", `The "${ref.type}" type is not acceptable. Expected "${rel.target}".`, `${itemPointer}/type`));
        return;
      }
      if (!includedIds.has(key(ref)) && !env.store.get(ref)) {
        if (rel.unknownTarget) {
          // Oro's own constraint is the only error (the value is set, so no NotBlank follows).
          errors.push(validationError(rel.unknownTarget.title, rel.unknownTarget.detail, itemPointer));
          refs.push(ref);
          return;
        }
        // At the relationship's data, no item index, also for to-many (ProductTest.php; ExtIdApiWithRegularExternalIdTest.php).
        errors.push(validationError("form constraint", "The entity does not exist.", relPointer));
        (built.unresolvedRelationships ??= new Set()).add(name);
        return;
      }
      refs.push(ref);
    });
    record.relationships[name] = rel.toMany ? refs : (refs[0] ?? null);
    built.sentRelationships.add(name);
  }
  if (extra.length > 0) {
    errors.push(
      validationError(
        "extra fields constraint",
        `This form should not contain extra fields: ${extra.map((n) => `"${n}"`).join(", ")}.`,
        pointer === "/data" ? undefined : pointer,
      ),
    );
  }
  return errors;
}

function checkRequired(built: Built, _includedIds: ReadonlySet<string>): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const isIncluded = built.pointer.startsWith("/included");
  for (const [name, attr] of Object.entries(built.def.attributes)) {
    if (attr.required && isBlank(built.record.attributes[name])) errors.push(notBlank(`${built.pointer}/attributes/${name}`));
  }
  for (const [name, rel] of Object.entries(built.def.relationships)) {
    if (!rel.required || (isIncluded && rel.setByParent) || built.unresolvedRelationships?.has(name)) continue;
    if (isBlank(built.record.relationships[name])) errors.push(notBlank(`${built.pointer}/relationships/${name}/data`));
  }
  return errors;
}

function checkUnique(env: WriteEnv, built: Built): ErrorObject[] {
  const atFlush = (): ErrorObject | undefined => {
    if (!env.controls || env.controls.uniqueAtFlush <= 0 || built.existing || !built.pointer.startsWith("/data")) return undefined;
    env.controls.uniqueAtFlush -= 1;
    // No pointer in a single request; a batch item gets `/data/{i}` (CompleteItemErrorPaths.php).
    return errorObject(409, "conflict constraint", "The entity already exists.", built.pointer === "/data" ? undefined : { pointer: built.pointer });
  };
  const table = env.store.mustTable(built.def.type);
  const errors: ErrorObject[] = [];
  for (const [name, attr] of Object.entries(built.def.attributes)) {
    const value = built.record.attributes[name];
    if (!attr.unique || isBlank(value)) continue;
    const owner = table.findUnique(name, value);
    if (owner === undefined || owner === built.existing?.id) continue;
    if (attr.uniqueKeyLabel !== undefined) {
      // Entity-level error: no source in a single request, `/data/{i}` in a batch (CompleteItemErrorPaths).
      errors.push(
        validationError(
          "unique entity constraint",
          `Value for field "${attr.uniqueKeyLabel}" must be unique`,
          built.pointer === "/data" ? undefined : built.pointer,
        ),
      );
    } else {
      // Symfony UniqueEntity (errorPath = first field): "This value is already used." at the attribute (ProductTest.php, ProductUnitPrecisionTest.php).
      errors.push(atFlush() ?? validationError("unique entity constraint", "This value is already used.", `${built.pointer}/attributes/${name}`));
    }
  }
  return errors;
}

function remapRefs(record: StoredRecord, idMap: ReadonlyMap<string, Ref>): void {
  for (const [name, value] of Object.entries(record.relationships)) {
    if (Array.isArray(value)) record.relationships[name] = value.map((ref) => idMap.get(key(ref)) ?? ref);
    else if (value) record.relationships[name] = idMap.get(key(value)) ?? value;
  }
}

/** Points included children back at the primary (lineItem.order, unitPrecision.product). */
function linkInverses(env: WriteEnv, primary: Built): void {
  const primaryRef = { type: primary.def.type, id: primary.record.id };
  for (const [name, rel] of Object.entries(primary.def.relationships)) {
    if (!rel.inverse) continue;
    const value = primary.record.relationships[name];
    const table = env.store.table(rel.target);
    for (const ref of value == null ? [] : Array.isArray(value) ? value : [value]) {
      const child = table?.get(ref.id);
      if (child && (child.relationships[rel.inverse] as Ref | null | undefined)?.id !== primaryRef.id) {
        table?.put({ ...child, relationships: { ...child.relationships, [rel.inverse]: primaryRef } });
      }
    }
  }
}
