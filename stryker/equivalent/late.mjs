/**
 * Equivalent mutants judged in the mut-late work (issue 16): groups "shared/runtime: DLQ seal and
 * run tracking" and "shared/oro: natural key, integration status and channels". Form: see the top
 * of ../equivalent.mjs.
 */
export const EQUIVALENT = [
  {
    file: "shared/runtime/run-tracking.ts",
    mutator: "ArrayDeclaration",
    line: "const sum = (names: readonly string[] | undefined) => (names ?? []).reduce(",
    original: "[]",
    replacement: '["Stryker was here"]',
    reason:
      'the fallback list only applies when the connector\'s ledger.records declares no metric names for a count; the mutant then sums tally.metrics.get("Stryker was here") ?? 0, which is 0 unless a connector counts a metric of exactly that name: no connector in functions/ does (grep ctx.count), so the count is 0 either way',
  },
  {
    file: "shared/runtime/run-tracking.ts",
    mutator: "ConditionalExpression",
    line: "...(error === undefined ? {} : { error }),",
    original: "error === undefined",
    replacement: "false",
    reason:
      "the mutant passes { error: undefined } instead of no error key to RunLedger.settle, which reads it only as `extras.error !== undefined` (shared/ledger/run-ledger.ts settle, and moveRun's `extras.error !== undefined` for lastError): both skip the error write, the DynamoDB update is the same",
  },
];
