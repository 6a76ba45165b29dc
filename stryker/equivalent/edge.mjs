/**
 * Equivalent mutants of the groups "functions/webhook-ingress" and "proof checkers" (lane
 * mut-edge, reports/mutation/notes/edge.md), in the form described in ../equivalent.mjs.
 */
const WEBHOOK_SCHEMA_FLAT =
  "OroWebhookBodySchema (shared/messages/envelope.ts) has four top-level fields and no nested schema (eventData is a record of unknown, and JSON keys are strings): each issue has a path of at most one element, and one field fails at most one check (a string fails its type, its min or its max length, never two)";
const SYNC_SCHEMA_FLAT =
  "ScheduleSyncEventSchema (schedule-sync.ts) is a flat object, and it only ever sees an object (OroWebhookBodySchema already required eventData to be one): every issue path has exactly one element, so joining it with '.' or '' gives the same text and it is never empty";

const NEEDLE_DEDUP =
  "secretForms (shared/observability/secret-forms.ts) already returns distinct texts, and the partial prefix (shorter than the value) cannot equal a form (none is shorter than the value): within one secret the check never finds a duplicate, so skipping it adds nothing (the cross-secret mutants are killed by test/proof-secrets-scan.test.ts)";
const HALF_IS_WHOLE =
  "when half >= value.length, value.slice(0, half) is the whole value, which is the raw needle already: the dedup check does not add it again";
const TAIL_ONLY_SPEEDS =
  "the tail only bounds where the loop looks: a start further back leaves value.length or more characters after it, which is a prefix of the value only when it is the whole value, and then the raw form is found and 'partial' dropped";
const SHORT_CUT =
  "for a value of 6 or fewer characters the cut check cannot match (the tail has value.length - 1 characters, fewer than the head it looks for), so checking values of 1-4 characters changes nothing";

export const EQUIVALENT = [
  {
    file: "functions/webhook-ingress/receive.ts",
    mutator: "MethodExpression",
    line: "result.error.issues.slice(0, MAX_ISSUES)",
    reason: `at most four issues, fewer than MAX_ISSUES (5), so the slice keeps them all: ${WEBHOOK_SCHEMA_FLAT}`,
  },
  {
    file: "functions/webhook-ingress/receive.ts",
    mutator: "StringLiteral",
    line: 'i.path.join(".") || "(root)"',
    original: '"."',
    replacement: '""',
    reason: `joining a path of zero or one element with "." or "" gives the same text: ${WEBHOOK_SCHEMA_FLAT}`,
  },
  {
    file: "functions/webhook-ingress/schedule-sync.ts",
    mutator: "StringLiteral",
    line: 'eventData.${i.path.join(".") || "(root)"}',
    original: '"."',
    replacement: '""',
    reason: SYNC_SCHEMA_FLAT,
  },
  {
    file: "functions/webhook-ingress/schedule-sync.ts",
    mutator: "StringLiteral",
    line: 'eventData.${i.path.join(".") || "(root)"}',
    original: '"(root)"',
    replacement: '""',
    reason: SYNC_SCHEMA_FLAT,
  },
  {
    file: "functions/webhook-ingress/schedule-sync.ts",
    mutator: "Regex",
    line: "export const scheduledTimeOf",
    replacement: "/\\.\\d{3}Z/",
    reason: "Date.prototype.toISOString always ends in .sssZ and has no other '.', so the regex without its $ anchor matches the same (and only) place",
  },
  {
    file: "proof/chaos/verify.ts",
    mutator: "OptionalChaining",
    line: "m.MessageAttributes?.ErrorCode?.StringValue && m.MessageAttributes?.ErrorMessage?.StringValue",
    original: "m.MessageAttributes?.ErrorMessage",
    reason:
      "the right operand of && runs only when m.MessageAttributes?.ErrorCode?.StringValue is truthy, so m.MessageAttributes is defined there and `?.` and `.` read the same",
  },
  ...[
    ["ConditionalExpression", "!needles.some(", "true"],
    ["ArrowFunction", "(n) => n.secret === secret && n.text === text", "() => undefined"],
    ["ConditionalExpression", "n.secret === secret && n.text === text", "false"],
  ].map(([mutator, original, replacement]) => ({
    file: "proof/secrets-scan/scan.ts",
    mutator,
    line: "if (!needles.some((n) => n.secret === secret && n.text === text)) needles.push",
    original,
    replacement,
    reason: NEEDLE_DEDUP,
  })),
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "ConditionalExpression",
    line: "if (text.length >= MIN_SCANNED_SECRET_LENGTH) add(form, text)",
    reason:
      "only values of 4+ characters get here, and no form is shorter than its value (every encoding keeps or lengthens it; base64 cores are 6+ characters, secret-forms.ts)",
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "ConditionalExpression",
    line: 'if (half < value.length) add("partial", value.slice(0, half))',
    reason: HALF_IS_WHOLE,
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "EqualityOperator",
    line: 'if (half < value.length) add("partial", value.slice(0, half))',
    reason: HALF_IS_WHOLE,
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "MethodExpression",
    line: "const tail = end.slice(-(value.length - 1));",
    reason: TAIL_ONLY_SPEEDS,
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "ArithmeticOperator",
    line: "const tail = end.slice(-(value.length - 1));",
    reason: TAIL_ONLY_SPEEDS,
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "ConditionalExpression",
    line: 'else if (node && typeof node === "object") for (const [key, child] of Object.entries(node))',
    reason: "a truthy number or boolean leaf has no entries: Object.entries(5) is [], so visiting it adds nothing",
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "ConditionalExpression",
    line: "if (!text) return;",
    reason: "an empty text contains no needle (all are 4+ characters) and ends with no cut prefix (its tail is empty): scanning it finds nothing either way",
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "ConditionalExpression",
    line: "if (value.length >= MIN_SCANNED_SECRET_LENGTH && endsWithCutPrefix(text, value))",
    reason: SHORT_CUT,
  },
  {
    file: "proof/secrets-scan/scan.ts",
    mutator: "EqualityOperator",
    line: "if (value.length >= MIN_SCANNED_SECRET_LENGTH && endsWithCutPrefix(text, value))",
    reason: SHORT_CUT,
  },
];
