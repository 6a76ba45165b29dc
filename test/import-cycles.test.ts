import { describe, expect, it } from "vitest";
import { findImportCycles, runtimeImports } from "../scripts/import-cycles";

describe("import cycles", () => {
  it("finds none among the repository's modules (scripts/import-cycles.ts)", () => {
    expect(findImportCycles(process.cwd())).toEqual([]);
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
  });
});
