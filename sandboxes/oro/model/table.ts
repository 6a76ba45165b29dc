import type { Ref, ResourceDef, StoredRecord } from "./types";

/**
 * In-memory rows of one resource type with O(1) lookups by id, by unique attribute and by to-one
 * relationship target (benchmarks push 10,000 products; no request may scan per item).
 */
export class Table {
  readonly rows = new Map<string, StoredRecord>();
  private sequence = 0;
  private readonly uniqueIndex = new Map<string, Map<string, string>>();
  private readonly relationIndex = new Map<string, Map<string, Set<string>>>();
  /** Whether insertion order equals id order (lets default sorting skip the sort). */
  readonly ordered: boolean;

  /** Undo entries of the open transaction (set by {@link OroStore.transaction}). */
  journal: Array<() => void> | undefined;
  /** Test control: called after every put (proofs use it to act at an exact row count, not on a timer). */
  readonly afterPut = new Set<(record: StoredRecord) => void>();

  constructor(readonly def: ResourceDef) {
    this.ordered = def.idStrategy === "sequence";
    for (const [name, attr] of Object.entries(def.attributes)) if (attr.unique) this.uniqueIndex.set(name, new Map());
    for (const [name, rel] of Object.entries(def.relationships)) if (!rel.toMany) this.relationIndex.set(name, new Map());
  }

  /** Next integer id for `sequence` resources. */
  nextId(): string {
    this.sequence += 1;
    return String(this.sequence);
  }

  get(id: string): StoredRecord | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Id of the row whose unique attribute equals `value`. */
  findUnique(attribute: string, value: unknown): string | undefined {
    return this.uniqueIndex.get(attribute)?.get(this.uniqueKey(attribute, value));
  }

  hasUniqueIndex(attribute: string): boolean {
    return this.uniqueIndex.has(attribute);
  }

  hasRelationIndex(relationship: string): boolean {
    return this.relationIndex.has(relationship);
  }

  /** Ids of rows whose to-one `relationship` points at `targetId`. */
  findByRelation(relationship: string, targetId: string): ReadonlySet<string> {
    return this.relationIndex.get(relationship)?.get(targetId) ?? new Set();
  }

  /** Inserts or replaces a row and keeps the indexes right. */
  put(record: StoredRecord): void {
    const previous = this.rows.get(record.id);
    this.journal?.push(previous ? () => this.restore(previous) : () => this.remove(record.id));
    if (previous) this.unindex(previous);
    if (this.def.idStrategy === "sequence" && /^\d+$/.test(record.id)) this.sequence = Math.max(this.sequence, Number(record.id));
    this.rows.set(record.id, record);
    this.index(record);
    for (const listener of this.afterPut) listener(record);
  }

  delete(id: string): boolean {
    const previous = this.rows.get(id);
    if (!previous) return false;
    this.journal?.push(() => this.restore(previous));
    return this.remove(id);
  }

  private remove(id: string): boolean {
    const previous = this.rows.get(id);
    if (previous) this.unindex(previous);
    return this.rows.delete(id);
  }

  private restore(record: StoredRecord): void {
    const current = this.rows.get(record.id);
    if (current) this.unindex(current);
    this.rows.set(record.id, record);
    this.index(record);
  }

  clear(): void {
    this.rows.clear();
    this.sequence = 0;
    for (const index of this.uniqueIndex.values()) index.clear();
    for (const index of this.relationIndex.values()) index.clear();
  }

  private uniqueKey(attribute: string, value: unknown): string {
    const text = String(value);
    return this.def.attributes[attribute]?.caseInsensitive ? text.toLowerCase() : text;
  }

  private index(record: StoredRecord): void {
    for (const [name, index] of this.uniqueIndex) {
      const value = record.attributes[name];
      if (value !== null && value !== undefined) index.set(this.uniqueKey(name, value), record.id);
    }
    for (const [name, index] of this.relationIndex) {
      const ref = record.relationships[name] as Ref | null | undefined;
      if (!ref) continue;
      let ids = index.get(ref.id);
      if (!ids) index.set(ref.id, (ids = new Set()));
      ids.add(record.id);
    }
  }

  private unindex(record: StoredRecord): void {
    for (const [name, index] of this.uniqueIndex) {
      const value = record.attributes[name];
      if (value !== null && value !== undefined && index.get(this.uniqueKey(name, value)) === record.id) index.delete(this.uniqueKey(name, value));
    }
    for (const [name, index] of this.relationIndex) {
      const ref = record.relationships[name] as Ref | null | undefined;
      if (ref) index.get(ref.id)?.delete(record.id);
    }
  }
}
