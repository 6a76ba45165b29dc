// Equivalent mutants of the "shared/oro: batch" group (shared/oro/batch.ts), issue 16, branch
// mut-oro-batch. The six older batch.ts entries (the round bound, the pointer fallback "", the
// case folding of normalizeKey) stay in ../equivalent.mjs. Each reason says why no test can tell
// the mutant from the original; line numbers are those of shared/oro/batch.ts at this branch.
const FILE = "shared/oro/batch.ts";

const OVERWRITTEN =
  "the presized results are never read as they are: every path of sync() and finishAsync() assigns each index of its chunk (succeed or fail; the round bound never ends the loop, see ROUND_BOUND in ../equivalent.mjs) or the batch throws, so the initial entry's content (or an undefined entry) is never returned";
const IN_RANGE =
  "`this.items[index]` is read only with indexes of a chunk, and chunks hold only indexes 0..items.length-1 (chunkItems), so the item is always defined and `?.` and `.` read the same";
const NO_KEYED_ITEM =
  "with no keyed item in the chunk the looked-up set is never read: succeed() reads `existing` only for an item with an upsert key, and no request is sent either way (the mutant goes on to `field === undefined` and returns undefined)";
const ID_FIELD = 'when `field` is "id" the fallback `[field]` is `["id"]` too: the same fieldset is requested';

export const EQUIVALENT = [
  { file: FILE, mutator: "StringLiteral", line: 'items.map((_, index) => ({ index, outcome: "failed" }))', reason: OVERWRITTEN },
  { file: FILE, mutator: "ObjectLiteral", line: 'items.map((_, index) => ({ index, outcome: "failed" }))', reason: OVERWRITTEN },
  { file: FILE, mutator: "ArrowFunction", line: 'items.map((_, index) => ({ index, outcome: "failed" }))', reason: OVERWRITTEN },
  {
    file: FILE,
    mutator: "ArrayDeclaration",
    line: "const data = Array.isArray(res.body?.data) ? res.body.data : [];",
    original: "[]",
    reason:
      'the fallback list only feeds `data[position]?.id`: position 0 of ["Stryker was here"] is a string, whose `.id` is undefined like that of a missing entry, and other positions are missing in both',
  },
  { file: FILE, mutator: "OptionalChaining", line: "this.succeed(index, existing, this.items[index]?.data.id)", reason: IN_RANGE },
  { file: FILE, mutator: "OptionalChaining", line: "const data = this.items[index]?.data;", reason: IN_RANGE },
  { file: FILE, mutator: "OptionalChaining", line: "const data = chunk.indexes.map((index) => this.items[index]?.data as ResourceInput);", reason: IN_RANGE },
  { file: FILE, mutator: "OptionalChaining", line: "const included = chunk.indexes.flatMap((index) => this.items[index]?.included ?? []);", reason: IN_RANGE },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: "return chunk.indexes.flatMap((index) => (this.items[index]?.included ?? []).map(() => index));",
    reason: IN_RANGE,
  },
  { file: FILE, mutator: "OptionalChaining", line: "const meta = this.items[index]?.data.meta;", reason: IN_RANGE },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: "const keys = chunk.indexes.map((index) => upsertKeyOf(this.items[index]?.data)).filter((k) => k !== undefined);",
    reason: IN_RANGE,
  },
  { file: FILE, mutator: "ConditionalExpression", line: "if (keys.length === 0) return new Set();", reason: NO_KEYED_ITEM },
  { file: FILE, mutator: "BlockStatement", line: "if (keys.length === 0) return new Set();", reason: NO_KEYED_ITEM },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: "const field = keys[0]?.field;",
    reason: "the line is reached only with at least one key (keys.length === 0 returned before), so keys[0] is defined",
  },
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: 'if (field === undefined || keys.some((k) => k.field !== field || k.value.includes(","))) return undefined;',
    original: "field === undefined",
    reason:
      "every upsert key has a string field (upsertKeyOf builds { field, value } with a string field) and keys[0] exists here, so `field === undefined` is always false",
  },
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: 'fields: { [this.type]: field === "id" ? ["id"] : [field] },',
    original: 'field === "id"',
    reason: ID_FIELD,
  },
  {
    file: FILE,
    mutator: "StringLiteral",
    line: 'fields: { [this.type]: field === "id" ? ["id"] : [field] },',
    original: '"id"',
    replacement: '""',
    reason: ID_FIELD,
  },
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: "await sleepTimer(delay, undefined, this.options.signal ? { signal: this.options.signal } : undefined);",
    replacement: "true",
    reason:
      "without a signal the mutant passes { signal: undefined }, which node:timers/promises treats as no signal (it validates `signal` only when it is defined): the sleep is the same",
  },
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: "const index = position !== undefined ? chunk.indexes[position] : inc !== undefined ? owners[inc] : undefined;",
    original: "inc !== undefined",
    replacement: "true",
    reason: 'when `inc` is undefined, `owners[inc]` reads owners["undefined"], which no array has: undefined, as the original\'s last branch',
  },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: 'if (data?.meta?.update === true) outcome = "updated";',
    original: "data?.meta",
    reason: IN_RANGE,
  },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: "} else if (data?.meta?.upsert !== undefined && data.meta.upsert !== false) {",
    original: "data?.meta",
    reason: IN_RANGE,
  },
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: "if (upsert === undefined || upsert === false) return undefined;",
    replacement: "false",
    reason:
      "the early return is a shortcut: undefined and false pass neither `upsert === true` nor `Array.isArray(upsert)` below and reach the final `return undefined` anyway",
  },
  {
    file: FILE,
    mutator: "LogicalOperator",
    line: "if (upsert === undefined || upsert === false) return undefined;",
    replacement: "upsert === undefined && upsert === false",
    reason:
      "the mutant's condition is never true, so the early return never happens: undefined and false pass neither `upsert === true` nor `Array.isArray(upsert)` below and reach the final `return undefined` anyway",
  },
  {
    file: FILE,
    mutator: "BlockStatement",
    line: "if (upsert === undefined || upsert === false) return undefined;",
    reason:
      "the early return is a shortcut: undefined and false pass neither `upsert === true` nor `Array.isArray(upsert)` below and reach the final `return undefined` anyway",
  },
  {
    file: FILE,
    mutator: "OptionalChaining",
    line: 'return data?.id === undefined ? undefined : { field: "id", value: data.id };',
    reason: "upsertKeyOf got past `data?.meta?.upsert` being true or an array, so `data` is defined here",
  },
  {
    file: FILE,
    mutator: "ConditionalExpression",
    line: "const fromHeader = location ? /asyncoperations\\/([^/?#]+)/.exec(location)?.[1] : undefined;",
    replacement: "true",
    reason:
      'with no Content-Location the mutant runs the pattern on undefined, which exec reads as the text "undefined" (and on "" for an empty header): no match, undefined as the original',
  },
];
