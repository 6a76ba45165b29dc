import type { AkeneoProduct } from "./catalog";

/** A failed search: Akeneo answers 422 (or 400 for JSON that does not parse) with `{code, message}`. */
export class SearchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Predicate = (product: AkeneoProduct) => boolean;

/** `YYYY-MM-DD HH:MM:SS` in the server time zone (UTC here), as the `updated` filter wants. */
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const parseDate = (value: unknown, field: string): number => {
  if (typeof value !== "string" || !DATE.test(value)) {
    throw new SearchError(422, `Property "${field}" expects a string with the format "yyyy-mm-dd H:i:s" as data, "${JSON.stringify(value)}" given.`);
  }
  return Date.parse(`${value.replace(" ", "T")}Z`);
};

const updatedFilter = (operator: string, value: unknown): Predicate => {
  const at = (p: AkeneoProduct) => Date.parse(p.updated);
  switch (operator) {
    case ">": {
      const v = parseDate(value, "updated");
      return (p) => at(p) > v;
    }
    case "<": {
      const v = parseDate(value, "updated");
      return (p) => at(p) < v;
    }
    case "BETWEEN":
    case "NOT BETWEEN": {
      if (!Array.isArray(value) || value.length !== 2) throw new SearchError(422, `Property "updated" expects an array with 2 dates for the ${operator} operator.`);
      const from = parseDate(value[0], "updated");
      const to = parseDate(value[1], "updated");
      const inside = (p: AkeneoProduct) => at(p) >= from && at(p) <= to;
      return operator === "BETWEEN" ? inside : (p) => !inside(p);
    }
    case "SINCE LAST N DAYS": {
      if (typeof value !== "number") throw new SearchError(422, 'Property "updated" expects a number of days for "SINCE LAST N DAYS".');
      const since = Date.now() - value * 86_400_000;
      return (p) => at(p) >= since;
    }
    default:
      throw new SearchError(422, `Filter on property "updated" is not supported or does not support operator "${operator}".`);
  }
};

/**
 * Parses the `search` query parameter (Akeneo filter.md: `{"updated":[{"operator":"BETWEEN",
 * "value":["2024-01-01 00:00:00","2024-01-02 00:00:00"]}], "enabled":[{"operator":"=","value":true}]}`)
 * into one predicate. Supports `updated` and `enabled`; others answer 422 like an unknown filter.
 */
export const parseSearch = (raw: string | null): Predicate => {
  if (raw === null || raw === "") return () => true;
  let search: unknown;
  try {
    search = JSON.parse(raw);
  } catch {
    throw new SearchError(400, "Search query parameter should be valid JSON.");
  }
  if (typeof search !== "object" || search === null || Array.isArray(search)) throw new SearchError(422, "Search query parameter has to be an array.");
  const predicates: Predicate[] = [];
  for (const [property, conditions] of Object.entries(search)) {
    if (!Array.isArray(conditions)) throw new SearchError(422, `Structure of filter "${property}" should respect this structure: {"${property}":[{"operator": "my_operator", "value": "my_value"}]}`);
    for (const condition of conditions as Array<{ operator?: unknown; value?: unknown }>) {
      const operator = String(condition?.operator ?? "");
      if (property === "updated") predicates.push(updatedFilter(operator, condition.value));
      else if (property === "enabled" && (operator === "=" || operator === "!=")) {
        const wanted = condition.value === true;
        predicates.push(operator === "=" ? (p) => p.enabled === wanted : (p) => p.enabled !== wanted);
      } else throw new SearchError(422, `Filter on property "${property}" is not supported or does not support operator "${operator}".`);
    }
  }
  return (product) => predicates.every((p) => p(product));
};
