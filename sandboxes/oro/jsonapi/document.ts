import type { OroStore, Ref, ResourceDef, StoredRecord } from "../model";
import { ApiError, errorObject } from "./errors";

/** A resource object as sent on the wire. */
export interface ResourceObject {
  type: string;
  id: string;
  links?: { self: string };
  meta?: Record<string, unknown>;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data: Ref | Ref[] | null }>;
}

/** How resources are rendered for one request. */
export interface RenderOptions {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** HATEOAS `links.self` per resource, unless `X-Include: noHateoas` (docs/reference/oro-api.md §2). */
  hateoas: boolean;
  /** `fields[type]` sparse fieldsets. */
  fields: Map<string, Set<string>>;
}

/** Absolute URL of a resource: `<base>/admin/api/<type>/<id>`. */
export function resourceUrl(baseUrl: string, type: string, id: string): string {
  return `${baseUrl}/admin/api/${type}/${encodeURIComponent(id)}`;
}

/** Renders a stored record; write-only attributes (webhook `secret`) never leave the server. */
export function renderRecord(record: StoredRecord, def: ResourceDef, options: RenderOptions): ResourceObject {
  const wanted = options.fields.get(record.type);
  const object: ResourceObject = { type: record.type, id: record.id };
  if (options.hateoas) object.links = { self: resourceUrl(options.baseUrl, record.type, record.id) };
  const attributes: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(def.attributes)) {
    if (attr.writeOnly || (wanted && !wanted.has(name))) continue;
    attributes[name] = record.attributes[name] ?? null;
  }
  const relationships: Record<string, { data: Ref | Ref[] | null }> = {};
  for (const [name, rel] of Object.entries(def.relationships)) {
    if (wanted && !wanted.has(name)) continue;
    const value = record.relationships[name];
    relationships[name] = { data: value ?? (rel.toMany ? [] : null) };
  }
  if (Object.keys(attributes).length > 0) object.attributes = attributes;
  if (Object.keys(relationships).length > 0) object.relationships = relationships;
  return object;
}

/**
 * Collects `included` resources for `include=a,b.c` paths, deduplicated and without the primary
 * resources themselves. Unknown relationship names answer 400.
 */
export function collectIncluded(
  primary: readonly StoredRecord[],
  paths: readonly string[][],
  store: OroStore,
  defs: ReadonlyMap<string, ResourceDef>,
  options: RenderOptions,
): ResourceObject[] {
  if (paths.length === 0) return [];
  const seen = new Set(primary.map((r) => `${r.type}:${r.id}`));
  const included: ResourceObject[] = [];
  for (const path of paths) {
    let level: StoredRecord[] = [...primary];
    for (const name of path) {
      const next: StoredRecord[] = [];
      for (const record of level) {
        const def = defs.get(record.type);
        if (!def?.relationships[name]) {
          throw new ApiError(400, [errorObject(400, "value constraint", `The relationship "${path.join(".")}" does not exist.`, { parameter: "include" })]);
        }
        const value = record.relationships[name];
        for (const ref of value == null ? [] : Array.isArray(value) ? value : [value]) {
          const target = store.get(ref);
          if (!target) continue;
          next.push(target);
          const key = `${target.type}:${target.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const targetDef = defs.get(target.type);
          if (targetDef) included.push(renderRecord(target, targetDef, options));
        }
      }
      level = next;
    }
  }
  return included;
}
