import type { OroStore, StoredRecord } from "../model";
import type { ApiEnv } from "./context";

/** Deletes a row and, as ORM cascades would, rows that belong to it (inventory levels of a product). */
export function deleteCascading(env: { store: OroStore; defs: ApiEnv["defs"] }, record: StoredRecord): void {
  env.store.mustTable(record.type).delete(record.id);
  for (const def of env.defs.values()) {
    for (const [name, rel] of Object.entries(def.relationships)) {
      if (!rel.cascadeDelete || rel.target !== record.type || rel.toMany) continue;
      const table = env.store.mustTable(def.type);
      for (const id of [...table.findByRelation(name, record.id)]) {
        const child = table.get(id);
        if (child) deleteCascading(env, child);
      }
    }
  }
}
