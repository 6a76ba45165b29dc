export { OroStore } from "./store";
export { Table } from "./table";
export type { Action, AttributeDef, FilterDef, HookEnv, Ref, RelationshipDef, ResourceDef, StoredRecord, ValueType, WriteContext } from "./types";
