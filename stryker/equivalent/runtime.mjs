/**
 * Equivalent mutants of the shared/runtime groups ("config, parsing, queue actions" and "batch
 * processing"), judged in the mut-runtime work (issue 16); the older ones stay in ../equivalent.mjs.
 * Form: see the top of ../equivalent.mjs.
 */
const WHOLE_WHEN_SHORT =
  "sqsText: a clean text has no lone surrogate (SQS_INVALID_CHARS, with the u flag, turned each into U+FFFD), so it never ends in a high surrogate; for a text of at most `max` units the slice is the text itself and the surrogate test is false, so returning early at a length equal to `max` or not gives the same text";
const ALREADY_FITS =
  "shorten() when the attributes already fit (size <= room): prefixOfBytes gets a budget of at least the message's own byte length and returns the whole message, so the rewritten ErrorMessage is the same String attribute with the same text";

export const EQUIVALENT = [
  {
    file: "shared/runtime/parse-record.ts",
    mutator: "StringLiteral",
    line: 'const reason = result.success ? "(root): Invalid input"',
    original: '"(root): Invalid input"',
    reason:
      "unreachable fallback: isNativeEnvelopeHeader / isOroWebhookHeader accept exactly what the zod header schemas accept (test/unit/envelope-fast-check.test.ts compares them on generated inputs), so when the check failed zod fails too and result.success is never true here (Stryker: no coverage)",
  },
  { file: "shared/runtime/queue-actions.ts", mutator: "EqualityOperator", line: "if (clean.length <= max) return clean;", reason: WHOLE_WHEN_SHORT },
  {
    file: "shared/runtime/queue-actions.ts",
    mutator: "StringLiteral",
    line: 'toString(16).padStart(4, "0")',
    original: '"0"',
    reason:
      "escapeForSqs only ever sees JSON.stringify output, which already escapes control characters and lone surrogates; what the regex can still meet is a paired surrogate (U+D800-U+DFFF) or U+FFFE/U+FFFF, all of four hex digits, so padStart pads nothing with any fill",
  },
  {
    file: "shared/runtime/queue-actions.ts",
    mutator: "ConditionalExpression",
    line: "if (size() <= room || !message) return;",
    original: "size() <= room",
    reason: ALREADY_FITS,
  },
  {
    file: "shared/runtime/queue-actions.ts",
    mutator: "EqualityOperator",
    line: "if (size() <= room || !message) return;",
    original: "size() <= room",
    reason: ALREADY_FITS,
  },
  {
    file: "shared/runtime/limit.ts",
    mutator: "ArrayDeclaration",
    line: "const results = new Array<R>(items.length);",
    reason:
      "every index 0..length-1 is assigned before the array is returned (the workers loop until `next` passes the last index and Promise.all waits for them; tasks must not throw), so a presized and an empty array end the same, of the same length",
  },
];
