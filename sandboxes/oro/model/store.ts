import { Table } from "./table";
import type { Ref, ResourceDef, StoredRecord } from "./types";

/** Everything the Oro sandbox holds, one {@link Table} per resource type. */
export class OroStore {
  private readonly tables = new Map<string, Table>();

  constructor(defs: readonly ResourceDef[]) {
    for (const def of defs) this.tables.set(def.type, new Table(def));
  }

  /** The table of `type`, or `undefined` for a type the sandbox does not serve. */
  table(type: string): Table | undefined {
    return this.tables.get(type);
  }

  /** Like {@link table} but throws for an unknown type (programming error in the sandbox). */
  mustTable(type: string): Table {
    const table = this.tables.get(type);
    if (!table) throw new Error(`The Oro sandbox has no resource type "${type}".`);
    return table;
  }

  get(ref: Ref): StoredRecord | undefined {
    return this.tables.get(ref.type)?.get(ref.id);
  }

  types(): string[] {
    return [...this.tables.keys()];
  }

  /** Plain rows of a type, in id order, for admin state and tests. */
  list(type: string): StoredRecord[] {
    return [...(this.tables.get(type)?.rows.values() ?? [])];
  }

  /**
   * Runs `work` atomically: if it throws, every put/delete it made is undone (ids taken from the
   * sequence stay used, as with a database sequence). Sync batches and writes with `included` use it.
   */
  transaction<T>(work: () => T): T {
    const journal: Array<() => void> = [];
    const tables = [...this.tables.values()];
    for (const table of tables) table.journal = journal;
    try {
      return work();
    } catch (error) {
      for (const undo of journal.reverse()) undo();
      throw error;
    } finally {
      for (const table of tables) table.journal = undefined;
    }
  }

  clear(): void {
    for (const table of this.tables.values()) table.clear();
  }
}
