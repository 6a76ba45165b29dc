/**
 * Declarative data converters (the seed's import/export data converter): a mapping is data
 * (field paths, value maps, lookups, localized values, decimals, defaults, required fields),
 * compiled once into a converter. Import: external record -> Oro JSON:API resource + included.
 * Export: Oro resource (+ included) -> external JSON. A record that cannot be mapped raises
 * `MappingError` (a permanent ValidationError naming the record and the fields).
 * Internals (path cache, the per-field evaluator) are not exported.
 */
export { MappingDefinitionError, MappingError } from "./errors";
export type { MappingIssue } from "./errors";
export { createExportConverter, recordView } from "./export";
export type { ExportConverter } from "./export";
export type { Lookups } from "./field";
export { createImportConverter } from "./import";
export type { ImportConverter, ImportOptions, ReuseRelated } from "./import";
export { mergeMapping } from "./merge";
export { compilePath } from "./path";
export type { CompiledPath } from "./path";
export type { EachRule, ExportMapping, FieldRule, ImportMapping, LocalizedRule, NestedRule, RefRule, RelationshipRule, ValueType } from "./types";
export { coerce, formatDecimal } from "./values";
