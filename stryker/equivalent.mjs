import { existsSync, readdirSync } from "node:fs";

/**
 * Surviving mutants that are equivalent (no test can tell them from the original), with the
 * reason. `scripts/mutate.mjs` lists them apart in reports/mutation/latest.md and reports the
 * score with them excluded next to Stryker's raw score. A mutant matches an entry by file,
 * mutator, a piece of its source line (`line`), and optionally the replaced text (`original`)
 * and the replacement.
 */
const LOOKUP_KEY = "the fallback key of a Map lookup for a missing relationship: no row has either id, so both find nothing";
const PRIMITIVE_JSON =
  "parse's only caller (dlqSubject) reads .type/.topic/.payload/.eventData, which are undefined on a JSON scalar or null as on undefined: the result is {} either way";

const FIRST_EQUIVALENT_MUTANTS = [
  {
    file: "proof/chaos/verify.ts",
    mutator: "StringLiteral",
    line: 'families.get(ref(found, "attributeFamily")?.id ?? "")',
    original: '""',
    reason: LOOKUP_KEY,
  },
  {
    file: "proof/chaos/verify.ts",
    mutator: "StringLiteral",
    line: 'precisions.get(ref(found, "primaryUnitPrecision")?.id ?? "")',
    original: '""',
    reason: LOOKUP_KEY,
  },
  {
    file: "proof/chaos/verify.ts",
    mutator: "StringLiteral",
    line: 'JSON.parse(text ?? "")',
    reason: 'JSON.parse throws on "" and on "Stryker was here!" alike: undefined either way',
  },
  { file: "proof/chaos/verify.ts", mutator: "ConditionalExpression", line: 'return value && typeof value === "object"', reason: PRIMITIVE_JSON },
  { file: "proof/chaos/verify.ts", mutator: "LogicalOperator", line: 'return value && typeof value === "object"', reason: PRIMITIVE_JSON },
  {
    file: "proof/chaos/verify.ts",
    mutator: "BlockStatement",
    line: "} catch {",
    reason: "the catch block's `return undefined` and an empty block both make parse return undefined",
  },
  {
    file: "proof/fuzz/verify.ts",
    mutator: "StringLiteral",
    line: '?.split(":")[0] ?? message.MessageId ?? ""',
    reason: 'the id of a DLQ copy with neither SourceMessageId nor MessageId: no sent message has id "" or "Stryker was here!", both miss',
  },
  {
    file: "proof/fuzz/verify.ts",
    mutator: "StringLiteral",
    line: 'byBody.get(message.Body ?? "")',
    reason: 'a DLQ copy without a body: SQS refuses empty bodies, so no sent body is "" (nor "Stryker was here!"), both miss',
  },
];

// shared/oro: token, connection, errors
const FLAT_SCHEMA = 'the Oro connection schema is flat: an issue path has at most one element, and joining one element with "." or "" gives the same text';

// shared/runtime: batch processing
const ASSIGNED_BEFORE_READ =
  "every index of the outcome array is assigned before run() reads it (each record's group assigns its own indexes), so a presized and an empty array end the same";
const SENTINEL_DEFAULT =
  "the default of an optional list of secrets: the mutant's default holds Stryker's sentinel text, so only a text containing that very sentence would be redacted differently; no input the code receives does (not strictly equivalent, listed so)";

const ONLY_AFTER_CLAIM =
  "itemOf and trustsRedrive run only after claimsRedrive found messageAttributes[ErrorCode], so messageAttributes is defined there and `?.` and `.` read the same";

// shared/http
const UNREACHABLE_CODELESS =
  "describeNetworkError only runs for errors isRetryableNetworkError accepted, which requires a string code (a timeout takes the other branch): the non-string branch is unreachable";
const LOOP_TOP_DEADLINE =
  "when the backoff sleep is cut by the signal, ignoring it only reaches the loop's first line, which throws the same HttpDeadlineError (attempt - 1 there equals attempt here) and counts the same failure";

const MORE_EQUIVALENT_MUTANTS = [
  { file: "shared/oro/connection.ts", mutator: "StringLiteral", line: '`${issue.path.join(".") || "(root)"}:', original: '"."', reason: FLAT_SCHEMA },
  {
    file: "shared/oro/connection.ts",
    mutator: "StringLiteral",
    line: 'fields: result.error.issues.map((i) => i.path.join("."))',
    original: '"."',
    reason: FLAT_SCHEMA,
  },
  {
    file: "shared/oro/connection.ts",
    mutator: "StringLiteral",
    line: 'const field = String(path[0] ?? "");',
    original: '""',
    reason:
      'the field name of a root issue (empty path): neither "" nor any other non-field text is baseUrl, apiPrefix or maxConnections, so the description is the same',
  },
  {
    file: "shared/oro/errors.ts",
    mutator: "StringLiteral",
    line: 'const pointer = e.source?.pointer ?? "";',
    original: '""',
    reason: 'a unique-entity error without a pointer: "" and the sentinel both fail the /data/.../attributes/ test, so neither is taken for an existing key',
  },
  {
    file: "shared/oro/token.ts",
    mutator: "StringLiteral",
    line: 'override name = "InvalidClientSignal";',
    reason: "an internal marker: get() catches it by class and it never leaves the module, so its name is read by nothing",
  },

  {
    file: "shared/runtime/process-batch.ts",
    mutator: "StringLiteral",
    line: 'return count === "1" ? 1 : Number(count ?? "1") || 1;',
    original: '"1"',
    reason:
      'either "1" of receiveCount: the fallback of a missing count (Number("") is 0 and `|| 1` makes it 1, as Number("1") is: attempt 1 either way), or the fast path\'s (`count === ""` sends "1" on to Number("1"), which is 1, and "" to Number("") || 1, which is 1: the fast path\'s answer either way)',
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "ArrayDeclaration",
    line: "const outcomes = new Array<Outcome>(records.length)",
    reason: ASSIGNED_BEFORE_READ,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "StringLiteral",
    line: 'record.attributes?.MessageGroupId ?? ""',
    original: '""',
    reason: 'the group key of FIFO records without a MessageGroupId: any constant puts them all in one group, as "" does',
  },

  {
    file: "shared/runtime/process-batch.ts",
    mutator: "OptionalChaining",
    line: "const externalId = record.messageAttributes?.[DlqAttribute.externalId]?.stringValue;",
    reason: ONLY_AFTER_CLAIM,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "OptionalChaining",
    line: "const itemId = Number(record.messageAttributes?.[DlqAttribute.itemId]?.stringValue);",
    reason: ONLY_AFTER_CLAIM,
  },
  {
    file: "shared/runtime/process-batch.ts",
    mutator: "OptionalChaining",
    line: "const read = (name: string) => record.messageAttributes?.[name]?.stringValue;",
    reason: ONLY_AFTER_CLAIM,
  },
  {
    file: "shared/runtime/handler.ts",
    mutator: "ConditionalExpression",
    line: "if (cached?.value !== value) cached = { value, key: sealKeyOf(value) };",
    replacement: "true",
    reason: "sealKeyOf is a pure HMAC of the secret's JSON: deriving the key again on every call gives the same key (the cache only saves the HMAC)",
  },

  {
    file: "shared/http/retry.ts",
    mutator: "ConditionalExpression",
    line: 'if (trimmed === "" || trimmed.length > MAX_RETRY_AFTER_CHARS)',
    original: 'trimmed === ""',
    reason: 'an empty Retry-After fails the delta-seconds regex and Date.parse("") is NaN: undefined with or without the early check',
  },
  {
    file: "shared/http/retry.ts",
    mutator: "StringLiteral",
    line: 'if (trimmed === "" || trimmed.length > MAX_RETRY_AFTER_CHARS)',
    original: '""',
    reason: 'an empty Retry-After fails the delta-seconds regex and Date.parse("") is NaN: undefined with or without the early check',
  },
  {
    file: "shared/http/retry.ts",
    mutator: "ConditionalExpression",
    line: "if (ms <= 0) return true;",
    reason: "a timer of 0 or less ms resolves true on the next tick: the early return saves a tick, the result is the same",
  },
  {
    file: "shared/http/retry.ts",
    mutator: "EqualityOperator",
    line: "if (ms <= 0) return true;",
    reason: "a timer of 0 ms resolves true on the next tick: the early return saves a tick, the result is the same",
  },
  { file: "shared/http/request.ts", mutator: "ConditionalExpression", line: "if (!(await sleep(", reason: LOOP_TOP_DEADLINE },
  {
    file: "shared/http/request.ts",
    mutator: "ConditionalExpression",
    line: '${typeof code === "string" ? `${code} ` : ""}${message}',
    original: 'typeof code === "string"',
    replacement: "true",
    reason: UNREACHABLE_CODELESS,
  },
  {
    file: "shared/http/request.ts",
    mutator: "StringLiteral",
    line: '${typeof code === "string" ? `${code} ` : ""}${message}',
    original: '""',
    reason: UNREACHABLE_CODELESS,
  },
  {
    file: "shared/http/request.ts",
    mutator: "EqualityOperator",
    line: "if (status >= 400 && status < 500 && options.throwOnClientError)",
    original: "status < 500",
    reason: "a 500 is a retryable status, handled (retried or thrown as HttpError) before this line: < 500 and <= 500 see the same statuses",
  },
  { file: "shared/http/request.ts", mutator: "ArrayDeclaration", line: "const secrets = options.secrets ?? [];", reason: SENTINEL_DEFAULT },
  { file: "shared/http/redact.ts", mutator: "ArrayDeclaration", line: "secrets: readonly string[] = []", reason: SENTINEL_DEFAULT },
  {
    file: "shared/http/redact.ts",
    mutator: "ConditionalExpression",
    line: "text.length > MAX_URL_CHARS ? text.slice(0, MAX_URL_CHARS) : text",
    replacement: "true",
    reason: "slice(0, 4096) of a URL no longer than 4,096 characters is the URL itself: always slicing gives the same text",
  },
  {
    file: "shared/http/redact.ts",
    mutator: "EqualityOperator",
    line: "text.length > MAX_URL_CHARS ? text.slice(0, MAX_URL_CHARS) : text",
    replacement: "text.length >= MAX_URL_CHARS",
    reason: "slice(0, 4096) of a URL exactly 4,096 characters long is the URL itself",
  },
  {
    file: "shared/http/request.ts",
    mutator: "StringLiteral",
    line: 'const path = url.split("?")[0] ?? "";',
    original: '""',
    reason: "String.prototype.split always returns at least one element, so the fallback is never used",
  },
  { file: "shared/observability/redaction.ts", mutator: "ArrayDeclaration", line: "private readonly tokens: string[] = [];", reason: SENTINEL_DEFAULT },
  {
    file: "shared/http/pool.ts",
    mutator: "ConditionalExpression",
    line: "if (pool === undefined || pool.closed || pool.destroyed)",
    replacement: "true",
    reason: "after loading undici the `raced` check returns the existing open pool for the key, so always taking this branch still hands out the same pool",
  },

  {
    file: "shared/observability/logger.ts",
    mutator: "ConditionalExpression",
    line: "code !== undefined ? { code:",
    reason: "a log line is JSON: a `code: undefined` key is dropped by JSON.stringify, so the line is the same",
  },
  {
    file: "shared/observability/redaction.ts",
    mutator: "ConditionalExpression",
    line: 'else if (node && typeof node === "object")',
    original: 'typeof node === "object"',
    reason:
      "the other leaves that reach this branch (numbers, booleans, functions) have no own entries: Object.entries gives [] and nothing is registered, as when the branch is skipped",
  },
  {
    file: "shared/observability/redaction.ts",
    mutator: "ConditionalExpression",
    line: "for (const { text } of secretForms(value)) if (text.length >= MIN_SECRET_LENGTH)",
    reason:
      "only values and tokens of 4 or more characters are registered, and every form of such a value is at least as long (encodings only grow it, base64 cores are at least 6)",
  },
  {
    file: "shared/observability/redaction.ts",
    mutator: "ConditionalExpression",
    line: 'alternatives.length > 0 ? new RegExp(alternatives.join("|"), "g") : undefined',
    reason: "rebuild runs only after a value or token was added, so there is at least one alternative",
  },
  {
    file: "shared/observability/redaction.ts",
    mutator: "EqualityOperator",
    line: 'alternatives.length > 0 ? new RegExp(alternatives.join("|"), "g") : undefined',
    reason: "rebuild runs only after a value or token was added, so there is at least one alternative",
  },
  {
    file: "shared/observability/secret-forms.ts",
    mutator: "EqualityOperator",
    line: "for (let offset = 0; offset < 3; offset += 1)",
    reason: "a 4th offset (3 zero bytes) encodes to 4 more characters and then the same core as offset 0: the Set keeps one",
  },
  {
    file: "shared/observability/redaction.ts",
    mutator: "ConditionalExpression",
    line: "secretValues.size !== before) ",
    replacement: "true",
    reason: "rebuild() is idempotent: rebuilding the pattern from unchanged values gives the same pattern",
  },

  {
    file: "functions/notifier/alert-key.ts",
    mutator: "ConditionalExpression",
    line: "value.length > max ? value.slice(0, max) : value",
    replacement: "true",
    reason: "slice(0, max) of a value no longer than max is the value itself",
  },
  {
    file: "functions/notifier/alert-key.ts",
    mutator: "EqualityOperator",
    line: "value.length > max ? value.slice(0, max) : value",
    reason: "slice(0, max) of a value exactly max long is the value itself",
  },
  {
    file: "functions/notifier/alert-text.ts",
    mutator: "EqualityOperator",
    line: "const earlier = (a: string, b: string)",
    reason: "on equal instants either string is kept, and both leave foldAlert normalised (isoTime/oroTime), so the output is the same",
  },
  {
    file: "functions/notifier/alert-text.ts",
    mutator: "EqualityOperator",
    line: "const latest = (a: string, b: string)",
    reason: "on equal instants either string is kept, and both leave foldAlert normalised (isoTime/oroTime), so the output is the same",
  },
  {
    file: "functions/notifier/alert-text.ts",
    mutator: "ConditionalExpression",
    line: 'if (!value || typeof value !== "object" || Array.isArray(value)) return {};',
    original: 'typeof value !== "object"',
    reason: "a truthy primitive (string, number, boolean) has none of the fields as own string or number properties: readAlertInfo returns {} either way",
  },
  // functions/notifier after the move onto processRecordGroups with per-key leases
  {
    file: "functions/notifier/alert-lease.ts",
    mutator: "ArrowFunction",
    line: ".catch(() => false)",
    reason: "the value of the release's catch is awaited and discarded (a failed release leaves the lease to run out): false and undefined end the same",
  },
  {
    file: "functions/notifier/alert-lease.ts",
    mutator: "BooleanLiteral",
    line: ".catch(() => false)",
    original: "false",
    reason: "the value of the release's catch is awaited and discarded (a failed release leaves the lease to run out): false and true end the same",
  },
  {
    file: "functions/notifier/process-batch.ts",
    mutator: "StringLiteral",
    line: '.lastSeenAt ?? "")',
    original: '""',
    reason: 'the fallback only feeds Date.parse, which gives NaN for "" and for "Stryker was here!" alike: the alert is resolved either way',
  },
];

const ROUND_BOUND =
  "each round that goes on removed at least one failed item from pending (assignErrors returns indexes of pending), so pending is empty within chunk-size rounds and the round bound never ends the loop";
const NO_POINTER =
  'the fallback text of a missing pointer: neither "" nor "Stryker was here!" matches /^\\/?data\\/\\d+/ or /^\\/?included\\/\\d+/, so no index either way';
// shared/oro/batch.ts (issue 16, branch mutation-batch).
const BATCH_EQUIVALENT_MUTANTS = [
  {
    file: "shared/oro/batch.ts",
    mutator: "EqualityOperator",
    line: "round <= chunk.indexes.length; round += 1",
    replacement: "round < chunk.indexes.length",
    reason: ROUND_BOUND,
  },
  {
    file: "shared/oro/batch.ts",
    mutator: "ConditionalExpression",
    line: "round <= chunk.indexes.length; round += 1",
    original: "round <= chunk.indexes.length",
    replacement: "true",
    reason: ROUND_BOUND,
  },
  { file: "shared/oro/batch.ts", mutator: "AssignmentOperator", line: "round <= chunk.indexes.length; round += 1", reason: ROUND_BOUND },
  {
    file: "shared/oro/batch.ts",
    mutator: "StringLiteral",
    line: '/^\\/?data\\/(\\d+)(\\/|$)/.exec(pointerOf(error) ?? "")',
    original: '""',
    reason: NO_POINTER,
  },
  {
    file: "shared/oro/batch.ts",
    mutator: "StringLiteral",
    line: '/^\\/?included\\/(\\d+)(\\/|$)/.exec(pointerOf(error) ?? "")',
    original: '""',
    reason: NO_POINTER,
  },
  {
    file: "shared/oro/batch.ts",
    mutator: "MethodExpression",
    line: "String(value).toLowerCase()",
    reason:
      "normalizeKey is applied to both sides of every comparison (the looked-up keys and the item keys, the written set): upper- and lower-casing fold case alike",
  },
];

// More lists, one file per module group (so work on two groups at once never edits one array):
// stryker/equivalent/<anything>.mjs, each exporting `EQUIVALENT` in the same form as above.
const folder = new URL("./equivalent/", import.meta.url);
const moreFiles = existsSync(folder)
  ? readdirSync(folder)
      .filter((f) => f.endsWith(".mjs"))
      .sort()
  : [];
const perGroup = await Promise.all(moreFiles.map(async (f) => (await import(new URL(f, folder).href)).EQUIVALENT ?? []));

export const EQUIVALENT_MUTANTS = [...FIRST_EQUIVALENT_MUTANTS, ...MORE_EQUIVALENT_MUTANTS, ...BATCH_EQUIVALENT_MUTANTS, ...perGroup.flat()];
