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

export const EQUIVALENT_MUTANTS = [
  { file: "proof/chaos/verify.ts", mutator: "StringLiteral", line: 'families.get(ref(found, "attributeFamily")?.id ?? "")', original: '""', reason: LOOKUP_KEY },
  { file: "proof/chaos/verify.ts", mutator: "StringLiteral", line: 'precisions.get(ref(found, "primaryUnitPrecision")?.id ?? "")', original: '""', reason: LOOKUP_KEY },
  { file: "proof/chaos/verify.ts", mutator: "StringLiteral", line: 'JSON.parse(text ?? "")', reason: 'JSON.parse throws on "" and on "Stryker was here!" alike: undefined either way' },
  { file: "proof/chaos/verify.ts", mutator: "ConditionalExpression", line: 'return value && typeof value === "object"', reason: PRIMITIVE_JSON },
  { file: "proof/chaos/verify.ts", mutator: "LogicalOperator", line: 'return value && typeof value === "object"', reason: PRIMITIVE_JSON },
  { file: "proof/chaos/verify.ts", mutator: "BlockStatement", line: "} catch {", reason: "the catch block's `return undefined` and an empty block both make parse return undefined" },
  {
    file: "proof/fuzz/verify.ts",
    mutator: "StringLiteral",
    line: '?.split(":")[0] ?? message.MessageId ?? ""',
    reason: "the id of a DLQ copy with neither SourceMessageId nor MessageId: no sent message has id \"\" or \"Stryker was here!\", both miss",
  },
  {
    file: "proof/fuzz/verify.ts",
    mutator: "StringLiteral",
    line: 'byBody.get(message.Body ?? "")',
    reason: "a DLQ copy without a body: SQS refuses empty bodies, so no sent body is \"\" (nor \"Stryker was here!\"), both miss",
  },
];
