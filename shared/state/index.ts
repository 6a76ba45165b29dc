/** The stack's state table (DynamoDB): claim-once records with a TTL, keyed `<kind>#<id>`, and leases on items. */
export { StateAttribute, StateTable } from "./state-table";
export type { ClaimResult, StateKey, StateTableOptions } from "./state-table";
export { LeaseAttribute, StateLeases } from "./lease";
export type { AcquireOptions, Lease, ReleaseOptions } from "./lease";
