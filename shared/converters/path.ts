import { MappingDefinitionError } from "./errors";

/**
 * Dot paths into a source record, compiled once per mapping.
 *
 * Syntax: `a.b.c`; `[0]` picks an array item; `[key=value]` picks the first array item whose
 * `key` equals `value` (`null` matches null or a missing key; `a|b` accepts either, first match
 * of the first alternative wins); conditions are joined with `,`.
 *
 * @example
 * compilePath("values.weight[locale=null,scope=ecommerce|null].data.amount")
 */
export type CompiledPath = (source: unknown) => unknown;

type Step =
  { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "match"; conditions: Array<{ key: string; values: Array<string | null> }> };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * Path segments that would reach an object's prototype instead of a field of its own: setting
 * `__proto__.x` writes onto `Object.prototype` for the whole container (prototype pollution).
 * Refused wherever a path is compiled or set, and in mapping overrides (merge.ts).
 */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Raises {@link MappingDefinitionError} when `segment` is one of {@link FORBIDDEN_SEGMENTS}. */
export const assertSafeSegment = (segment: string, path: string): void => {
  if (FORBIDDEN_SEGMENTS.has(segment))
    throw new MappingDefinitionError(`path "${path.slice(0, 200)}": segment "${segment}" is not allowed (it would reach the object's prototype)`);
};

/** Longest path accepted: real mapping paths are tens of characters; a megabyte one is a mistake or an attack. */
export const MAX_PATH_CHARS = 1_000;

const parse = (path: string): Step[] => {
  if (path.length > MAX_PATH_CHARS)
    throw new MappingDefinitionError(`path "${path.slice(0, 60)}…" is ${path.length} characters long, at most ${MAX_PATH_CHARS} allowed`);
  const steps: Step[] = [];
  const token = /([^.[\]]+)|\[([^\]]*)\]|(\.)/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = token.exec(path)) !== null) {
    last = token.lastIndex;
    if (match[1] !== undefined) {
      assertSafeSegment(match[1], path);
      steps.push({ kind: "key", key: match[1] });
    } else if (match[2] !== undefined) {
      const inner = match[2].trim();
      if (/^\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else {
        const conditions = inner.split(",").map((part) => {
          const eq = part.indexOf("=");
          if (eq <= 0) throw new MappingDefinitionError(`path "${path}": "[${inner}]" must be an index like [0] or conditions like [locale=en_US,scope=null]`);
          const key = part.slice(0, eq).trim();
          assertSafeSegment(key, path);
          return {
            key,
            values: part
              .slice(eq + 1)
              .split("|")
              .map((v) => (v.trim() === "null" ? null : v.trim())),
          };
        });
        steps.push({ kind: "match", conditions });
      }
    }
  }
  if (last !== path.length || steps.length === 0)
    throw new MappingDefinitionError(`path "${path}" is not a valid dot path (expected e.g. "values.name[locale=en_US].data")`);
  return steps;
};

const pick = (items: unknown[], conditions: Array<{ key: string; values: Array<string | null> }>): unknown => {
  // Alternatives are ordered by preference: try the first value of every condition, then the next.
  const depth = Math.max(...conditions.map((c) => c.values.length));
  for (let alt = 0; alt < depth; alt += 1) {
    for (const item of items) {
      if (!isRecord(item)) continue;
      const ok = conditions.every((c) => {
        const wanted = c.values[Math.min(alt, c.values.length - 1)];
        const actual = item[c.key];
        return wanted === null ? actual === null || actual === undefined : String(actual) === wanted;
      });
      if (ok) return item;
    }
  }
  return undefined;
};

const cache = new Map<string, CompiledPath>();

/** Compiles a dot path (cached); raises {@link MappingDefinitionError} on bad syntax. */
export const compilePath = (path: string): CompiledPath => {
  const cached = cache.get(path);
  if (cached) return cached;
  const steps = parse(path);
  const compiled: CompiledPath = (source) => {
    let current: unknown = source;
    for (const step of steps) {
      if (current === undefined || current === null) return undefined;
      if (step.kind === "key") current = isRecord(current) ? (current as Record<string, unknown>)[step.key] : undefined;
      else if (step.kind === "index") current = Array.isArray(current) ? current[step.index] : undefined;
      else current = Array.isArray(current) ? pick(current, step.conditions) : undefined;
    }
    return current;
  };
  cache.set(path, compiled);
  return compiled;
};

/** Raises {@link MappingDefinitionError} when a plain dot path (an output path) has a forbidden segment. */
export const assertSafePath = (path: string): void => {
  for (const key of path.split(".")) assertSafeSegment(key, path);
};

/**
 * Sets `value` at a plain dot path (`a.b.c`) of `target`, creating objects on the way. Refuses
 * `__proto__` / `constructor` / `prototype` segments (converters check them once when compiled).
 */
export const setPath = (target: Record<string, unknown>, path: string, value: unknown): void => {
  const keys = path.split(".");
  for (const key of keys) assertSafeSegment(key, path);
  let current = target;
  for (let i = 0; i < keys.length - 1; i += 1) {
    const key = keys[i] as string;
    const next = current[key];
    if (!isRecord(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1] as string] = value;
};
