/** The stack's state table (DynamoDB): claim-once records with a TTL, keyed `<kind>#<id>`. */
export { StateAttribute, StateTable } from "./state-table";
export type { ClaimResult, StateKey, StateTableOptions } from "./state-table";
