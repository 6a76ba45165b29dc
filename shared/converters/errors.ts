import { ValidationError } from "../errors";

/** One field a record could not be mapped on. */
export interface MappingIssue {
  /** Target field, e.g. `attributes.sku`, `relationships.attributeFamily`. */
  field: string;
  /** Source path the value was read from, when there is one. */
  from?: string;
  /** What is wrong and what to do about it. */
  problem: string;
}

/**
 * A record cannot be mapped as it is (missing required field, value outside a value map, unknown
 * lookup code, bad decimal). Permanent: the same record fails the same way until the source data
 * or the mapping changes. Names the record (`externalId`) and every field that failed.
 */
export class MappingError extends ValidationError {
  override name = "MappingError";
  readonly issues: readonly MappingIssue[];

  constructor(what: string, externalId: string | undefined, issues: readonly MappingIssue[]) {
    const record = externalId === undefined ? `${what} (record without an id)` : `${what} "${externalId}"`;
    const list = issues.map((i) => `${i.field}${i.from ? ` (from ${i.from})` : ""}: ${i.problem}`).join("; ");
    super(`${record} cannot be mapped: ${list}`, {
      code: "MAPPING",
      alertType: "mapping",
      ...(externalId === undefined ? {} : { externalId }),
      details: { issues: issues.map((i) => ({ ...i })) },
    });
    this.issues = issues;
  }
}

/** A mapping definition itself is wrong (bad path syntax, conflicting rule): a bug or a bad override. */
export class MappingDefinitionError extends Error {
  override name = "MappingDefinitionError";
}
