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
  {
    file: "shared/oro/integration-status.ts",
    mutator: "Regex",
    line: 'return new Date(ms).toISOString().replace(/\\.\\d{3}Z$/, "Z");',
    original: "/\\.\\d{3}Z$/",
    replacement: "/\\.\\d{3}Z/",
    reason:
      "Date.prototype.toISOString always gives YYYY-MM-DDTHH:mm:ss.sssZ (or the ±YYYYYY form), whose only '.' followed by three digits and 'Z' is its end: the first match of the unanchored pattern is the anchored one",
  },
  {
    file: "shared/oro/integration-status.ts",
    mutator: "ConditionalExpression",
    line: "c.attributes?.type === SERVERLESS_CHANNEL_TYPE && c.attributes.name === integration",
    original: "c.attributes.name === integration",
    replacement: "true",
    reason:
      "the page comes from filter[name]=<integration>, an equality filter (Oro's ComparisonFilter, default operator eq; the sandbox likewise): every channel on it has that name, so the name check on the answer cannot fail",
  },
  {
    file: "shared/oro/integration-channels.ts",
    mutator: "ConditionalExpression",
    line: "page.data.find((t) => t.attributes?.integration === integration.name)",
    original: "t.attributes?.integration === integration.name",
    replacement: "true",
    reason:
      "the page comes from filter[integration]=<name>, an equality filter, and integration is unique (oro-bundle Migrations v1_0 oro_serverless_transport_integration_uidx): the page holds that transport or nothing",
  },
  {
    file: "shared/oro/integration-channels.ts",
    mutator: "ObjectLiteral",
    line: "{ filter: { integration: integration.name }, page: { size: 1 } }",
    original: "{ size: 1 }",
    replacement: "{}",
    reason:
      "integration is unique (oro-bundle Migrations v1_0 oro_serverless_transport_integration_uidx), so the filtered list has at most one row: Oro's default page size (10) gives the same page",
  },
  {
    file: "shared/oro/integration-channels.ts",
    mutator: "ArrayDeclaration",
    line: "!sameList(current.connectors ?? [], wanted.connectors)",
    original: "[]",
    replacement: '["Stryker was here"]',
    reason:
      "a transport's connectors are never missing: the API requires Count min 1 on create and update (oro-bundle Resources/config/oro/api.yml) and ServerlessTransport::getConnectors() answers array_values($this->connectors ?? []); and the fallback only differs from the mutant's when the deploy config's integration has no connectors, which the transport API refuses anyway",
  },
];
