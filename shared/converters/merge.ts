import { ConfigurationError } from "../errors";
import { FORBIDDEN_SEGMENTS } from "./path";

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Deep-merges a mapping override (from the deploy config, `settings.mapping`) over a connector's
 * default mapping: objects merge key by key, arrays and scalars replace, and `null` removes a key
 * (e.g. drop a default field). The default is never mutated. Raises ConfigurationError when the
 * override is not an object, so a typo in the deploy config names itself.
 *
 * @example
 * const mapping = mergeMapping(productMapping, context.settings.mapping);
 */
export const mergeMapping = <T extends object>(defaults: T, override: unknown): T => {
  if (override === undefined || override === null) return defaults;
  if (!isPlainObject(override))
    throw new ConfigurationError(
      `settings.mapping must be an object that overrides parts of the default mapping, got ${JSON.stringify(override).slice(0, 80)}`,
    );
  return merge(defaults as Record<string, unknown>, override) as T;
};

const merge = (base: Record<string, unknown>, override: Record<string, unknown>, at = "settings.mapping"): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // JSON.parse makes `"__proto__"` an own key; assigning it would swap the result's prototype.
    if (FORBIDDEN_SEGMENTS.has(key))
      throw new ConfigurationError(`${at}.${key} is not allowed: "__proto__", "constructor" and "prototype" would reach an object's prototype`);
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = merge(out[key] as Record<string, unknown>, value, `${at}.${key}`);
    else out[key] = value;
  }
  return out;
};
