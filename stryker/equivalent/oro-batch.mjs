// Equivalent mutants of the "shared/oro: batch" group (shared/oro/batch.ts), issue 16, branch
// mut-oro-batch. The six older batch.ts entries (the sync round bound, the pointer fallback "",
// the case folding of normalizeKey) stay in ../equivalent.mjs. Each reason says why no test can
// tell the mutant from the original.
const FILE = "shared/oro/batch.ts";

const EARLY_RETURN =
  "upsertKeyOf's first return is a shortcut: undefined and false pass neither `upsert === true` nor `Array.isArray(upsert)` below and reach the final `return undefined` anyway, so skipping it (a condition that is never true) returns the same";
const ID_FIELD =
  'the fieldset when the key is the id: with the comparison false (or against "", never equal to a field name) the mutant takes `[field]`, which is `["id"]` exactly when field is "id": the same request';

export const EQUIVALENT = [
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: "if (keys.length === 0) return new Set();",
    replacement: "false",
    reason:
      "with no keyed item in the chunk the looked-up set is never read (succeed() reads `existing` only for an item with an upsert key; an upsert without one is `upserted` either way), and no request is sent either way: the mutant goes on to `field === undefined` and returns undefined",
  },
  { file: FILE, mutator: "ConditionalExpression", line: 'fields: { [this.type]: field === "id" ? ["id"] : [field] },', replacement: "false", reason: ID_FIELD },
  {
    file: FILE,
    mutator: "StringLiteral",
    line: 'fields: { [this.type]: field === "id" ? ["id"] : [field] },',
    original: '"id"',
    replacement: '""',
    reason: ID_FIELD,
  },
  // Covers the whole condition and each of its two comparisons set to false.
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: "if (upsert === undefined || upsert === false) return undefined;",
    replacement: "false",
    reason: EARLY_RETURN,
  },
  {
    file: FILE,
    mutator: "LogicalOperator",
    line: "if (upsert === undefined || upsert === false) return undefined;",
    replacement: "upsert === undefined && upsert === false",
    reason: EARLY_RETURN,
  },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: 'return data?.id === undefined ? undefined : { field: "id", value: data.id };',
    reason: "this line runs only when `data?.meta?.upsert` was true or an array, so `data` is defined here and `?.` and `.` read the same",
  },
];
