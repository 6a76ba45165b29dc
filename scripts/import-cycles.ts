import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Runtime import cycles among the repository's TypeScript modules (what `madge --circular` reports,
 * without its dependency tree). `import type` and `export type` lines are erased by the compiler and
 * are not edges; every other static `import`/`export ... from` of a relative path is. A cycle makes
 * module initialisation order-dependent (a class used before its module finished loading) and ties
 * modules that should layer (shared/oro batch <-> client forced `OroClient.send` public).
 */

const ROOTS = ["shared", "functions", "sandboxes", "ops", "infra", "local-stack", "proof", "scripts", "bench"];
const SKIP = new Set(["node_modules", "cdk.out", "dist", ".git"]);

const listSources = (dir: string, out: string[] = []): string[] => {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listSources(path, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
};

/**
 * Import specifiers of the static imports and re-exports of one source text: the runtime ones only,
 * or with `types: true` the type-only ones as well.
 */
export const importSpecifiers = (source: string, options: { types?: boolean } = {}): string[] => {
  const specifiers: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']/g;
  for (const match of source.matchAll(statement)) {
    if (match[5]) {
      specifiers.push(match[5]);
      continue;
    }
    if (options.types) {
      specifiers.push(match[4] as string);
      continue;
    }
    if (match[2]) continue; // `import type ...` / `export type ...`
    const clause = match[3] ?? "";
    // `import { type A, type B } from` is erased too when every name is a type.
    const names = /^\{([\s\S]*)\}$/.exec(clause.trim());
    if (
      names?.[1] !== undefined &&
      names[1]
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith("type "))
    )
      continue;
    specifiers.push(match[4] as string);
  }
  return specifiers;
};

/** Import specifiers of the runtime (non-type-only) static imports and re-exports of one source text. */
export const runtimeImports = (source: string): string[] => importSpecifiers(source);

const resolveModule = (from: string, specifier: string): string | undefined => {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\.(js|mjs|ts)$/, ""));
  for (const candidate of [`${base}.ts`, `${base}.mts`, join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  return undefined;
};

/**
 * Every strongly connected component of more than one module (or a module importing itself), as
 * repo-relative paths. With `types: true`, type-only imports are edges too: a type cycle does not
 * break module loading, but it still ties two modules together (batch.ts naming `OroClient` is what
 * kept `OroClient.send` public), so shared/ keeps none.
 */
export const findImportCycles = (repoRoot: string, options: { types?: boolean; roots?: readonly string[] } = {}): string[][] => {
  const files = (options.roots ?? ROOTS).flatMap((root) => listSources(join(repoRoot, root)));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(file, "utf8"), { types: options.types === true })
      .map((s) => resolveModule(file, s))
      .filter((t): t is string => t !== undefined);
    edges.set(file, targets);
  }
  // Tarjan's strongly connected components, iterative enough for this repository's depth.
  let index = 0;
  const indexes = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    indexes.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!indexes.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, indexes.get(next) as number));
    }
    if (low.get(node) === indexes.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (edges.get(node) ?? []).includes(node)) cycles.push(component.map((f) => relative(repoRoot, f)).sort());
    }
  };
  for (const file of files) if (!indexes.has(file)) visit(file);
  return cycles;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const cycles = findImportCycles(process.cwd());
  for (const cycle of cycles) console.log(`cycle: ${cycle.join(" <-> ")}`);
  console.log(`${cycles.length} import cycle(s)`);
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
