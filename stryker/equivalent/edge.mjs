/**
 * Equivalent mutants of the groups "functions/webhook-ingress" and "proof checkers" (lane
 * mut-edge, reports/mutation/notes/edge.md), in the form described in ../equivalent.mjs.
 */
const WEBHOOK_SCHEMA_FLAT =
  "OroWebhookBodySchema (shared/messages/envelope.ts) has four top-level fields and no nested schema (eventData is a record of unknown, and JSON keys are strings): each issue has a path of at most one element, and one field fails at most one check (a string fails its type, its min or its max length, never two)";
const SYNC_SCHEMA_FLAT =
  "ScheduleSyncEventSchema (schedule-sync.ts) is a flat object, and it only ever sees an object (OroWebhookBodySchema already required eventData to be one): every issue path has exactly one element, so joining it with '.' or '' gives the same text and it is never empty";

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
];
