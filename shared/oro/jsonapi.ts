/**
 * JSON:API document types as Oro speaks them (docs/reference/oro-api.md §2): ids are always strings, to-one
 * relationships may be `null`, to-many ones are arrays (and a PATCH of one REPLACES the list).
 */

/** `{ type, id }`: a pointer to a resource. */
export interface ResourceIdentifier {
  type: string;
  id: string;
}

/** A relationship member: to-one (object or null) or to-many (array). */
export interface Relationship {
  data: ResourceIdentifier | ResourceIdentifier[] | null;
  links?: Record<string, string>;
  meta?: Record<string, unknown>;
}

/**
 * A resource object. `A` types the attributes, `R` names the relationships.
 *
 * @example
 * type Product = ResourceObject<{ sku: string; status: string }, "primaryUnitPrecision" | "names">;
 */
export interface ResourceObject<A extends object = Record<string, unknown>, R extends string = string> {
  type: string;
  id: string;
  attributes?: A;
  relationships?: Partial<Record<R, Relationship>>;
  links?: Record<string, string>;
  meta?: Record<string, unknown>;
}

/** A resource to write: `id` is optional (server-generated on create), attributes may be partial. */
export interface ResourceInput<A extends object = Record<string, unknown>, R extends string = string> {
  type: string;
  id?: string;
  attributes?: Partial<A>;
  relationships?: Partial<Record<R, Relationship>>;
  meta?: Record<string, unknown>;
}

/** One entry of Oro's `errors[]` (top-level errors carry `status` as a string). */
export interface OroErrorObject {
  status?: string | number;
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string; propertyPath?: string };
  meta?: Record<string, unknown>;
}

/** A JSON:API document with primary data `D`. */
export interface Document<D = ResourceObject | ResourceObject[]> {
  data: D;
  included?: ResourceObject[];
  links?: { self?: string; first?: string; prev?: string; next?: string; [name: string]: string | undefined };
  meta?: Record<string, unknown>;
}

/** An error document. */
export interface ErrorDocument {
  errors: OroErrorObject[];
}

/** `asyncoperations` attributes (docs/reference/oro-api.md §5.1). */
export interface AsyncOperationAttributes {
  status: "new" | "running" | "success" | "failed" | "cancelled";
  progress: number | null;
  elapsedTime?: number;
  entityType?: string;
  summary: {
    aggregateTime?: number;
    readCount?: number;
    writeCount?: number;
    errorCount?: number;
    createCount?: number;
    updateCount?: number;
  } | null;
}
