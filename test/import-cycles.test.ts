import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findImportCycles, importSpecifiers, runtimeImports } from "../scripts/import-cycles";

/** Every root but the sandboxes, whose Oro double still has two type-only cycles (model store/table/types, api cascade/context/write). */
const TYPE_CHECKED_ROOTS = ["shared", "functions", "ops", "infra", "local-stack", "proof", "scripts", "bench"];

describe("import cycles", () => {
  it("finds none among the repository's modules (scripts/import-cycles.ts)", () => {
    expect(findImportCycles(process.cwd())).toEqual([]);
  });

  it("finds no type-only cycle either outside the sandboxes (shared/oro batch no longer names OroClient)", () => {
    expect(findImportCycles(process.cwd(), { types: true, roots: TYPE_CHECKED_ROOTS })).toEqual([]);
  });

  it("counts runtime imports and re-exports as edges, type-only ones not", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      'import { type C, type D } from "./c";',
      'import { type E, f } from "./e";',
      'export { g } from "./g";',
      'export type { H } from "./h";',
      'import "./side-effect";',
      'import * as z from "zod/mini";',
    ].join("\n");
    expect(runtimeImports(source)).toEqual(["./a", "./e", "./g", "./side-effect", "zod/mini"]);
    expect(importSpecifiers(source, { types: true })).toEqual(["./a", "./b", "./c", "./e", "./g", "./h", "./side-effect", "zod/mini"]);
  });

  it("reports a cycle made of type imports only when asked to, and not otherwise", () => {
    const root = mkdtempSync(join(tmpdir(), "cycles-"));
    try {
      mkdirSync(join(root, "shared"));
      writeFileSync(join(root, "shared", "client.ts"), 'import { run } from "./batch";\nexport class Client { go() { return run(this); } }\n');
      writeFileSync(join(root, "shared", "batch.ts"), 'import type { Client } from "./client";\nexport const run = (c: Client) => c;\n');
      expect(findImportCycles(root)).toEqual([]);
      expect(findImportCycles(root, { types: true })).toEqual([["shared/batch.ts", "shared/client.ts"]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
