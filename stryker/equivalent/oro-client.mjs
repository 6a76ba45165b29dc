/**
 * Equivalent mutants of the group "shared/oro: client, calls, transport, query" (client.ts,
 * transport.ts, query.ts; calls.ts and jsonapi.ts are types only). Form: see ../equivalent.mjs.
 *
 * All but two are one pattern: `...(x === undefined ? {} : { k: x })` mutated to `false`, so the
 * key is always present, as `{ k: undefined }` when x is not given. That is only equivalent when
 * every reader of `k` treats an undefined value like a missing key (`??`, `=== undefined`,
 * truthiness, or copying it into a field that is `undefined` either way); each entry names those
 * readers. (The `true` mutant, which drops a given value, is killed by the wire suites.)
 */

const ALWAYS_KEY = (readers) => `the key is then always present, as undefined when not given; ${readers}, so undefined and absent behave alike`;

export const EQUIVALENT = [
  // client.ts
  {
    file: "shared/oro/client.ts",
    mutator: "ConditionalExpression",
    line: "...(target.query === undefined ? {} : { query: target.query })",
    replacement: "false",
    reason: ALWAYS_KEY("the transport's only reader is resolveUrl's `query ? `?${query}` : \"\"`"),
  },
  {
    file: "shared/oro/client.ts",
    mutator: "ConditionalExpression",
    line: "...(options.retrySafe === undefined ? {} : { retrySafe: options.retrySafe })",
    replacement: "false",
    reason: ALWAYS_KEY("the transport's only reader is `options.retrySafe === undefined ? {} : { retrySafe }`"),
  },
  {
    file: "shared/oro/client.ts",
    mutator: "ConditionalExpression",
    line: "...(resource.id === undefined ? {} : { id: resource.id })",
    replacement: "false",
    reason: ALWAYS_KEY("the transport's only reader is errorContext's `options.id === undefined ? {} : { id }`"),
  },
  // transport.ts: what the constructor hands to its token source (token.ts)
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(options.tokenExpirySkewMs === undefined ? {} : { expirySkewMs: options.tokenExpirySkewMs })",
    replacement: "false",
    reason: ALWAYS_KEY("OroTokenSource reads it once, as `options.expirySkewMs ?? DEFAULT_TOKEN_EXPIRY_SKEW_MS`"),
  },
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections })",
    replacement: "false",
    reason: ALWAYS_KEY(
      "OroTokenSource reads it as `connection.maxConnections ?? this.options.maxConnections`, handed to the pool, which resolves `maxConnections ?? DEFAULT_MAX_CONNECTIONS`",
    ),
  },
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })",
    replacement: "false",
    reason: ALWAYS_KEY("OroTokenSource reads it as `this.options.timeoutMs ? { timeoutMs } : {}`"),
  },
  // transport.ts: what send hands to request() (shared/http/request.ts)
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(options.retrySafe === undefined ? {} : { retrySafe: options.retrySafe })",
    replacement: "false",
    reason: ALWAYS_KEY("request() reads it only as isRetrySafe(method, retrySafe) = `retrySafe === true || IDEMPOTENT_METHODS.has(method)`"),
  },
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs })",
    replacement: "false",
    reason: ALWAYS_KEY("request() reads it as `options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS`; the pool key takes only its own pool settings"),
  },
  // transport.ts: the error context handed to oroErrorFor (errors.ts)
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(options.resourceType === undefined ? {} : { resourceType: options.resourceType })",
    replacement: "false",
    reason: ALWAYS_KEY(
      "errors.ts reads ctx.resourceType as `ctx.resourceType ?? ...`, copies it into details and the resourceType field (undefined either way)",
    ),
  },
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(options.id === undefined ? {} : { id: options.id })",
    replacement: "false",
    reason: ALWAYS_KEY("errors.ts reads ctx.id as a truthiness test in target() and copies it into details and resourceId (undefined either way)"),
  },
  {
    file: "shared/oro/transport.ts",
    mutator: "ConditionalExpression",
    line: "...(res.headers.allow === undefined ? {} : { allow: res.headers.allow })",
    replacement: "false",
    reason: ALWAYS_KEY(
      'errors.ts reads ctx.allow only in OroMethodNotAllowedError, as `ctx.allow || "none"` and copies into `allow` fields (undefined either way)',
    ),
  },
  {
    file: "shared/oro/transport.ts",
    mutator: "AssignmentOperator",
    line: "for (let attempt = 1; ; attempt += 1) {",
    reason: "attempt is only read as `attempt === 1`; after the first pass it is 2 (original) or 0 (mutant), neither is 1, so the second 401 throws either way",
  },
  // query.ts
  {
    file: "shared/oro/query.ts",
    mutator: "Regex",
    line: 'date.toISOString().replace(/\\.\\d{3}Z$/, "Z")',
    reason:
      "Date#toISOString always ends with `.sssZ` and has no other `.` followed by digits and `Z` (its form is [+-YY]YYYY-MM-DDTHH:mm:ss.sssZ): the one match is at the end, anchored or not",
  },
];
