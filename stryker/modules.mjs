/**
 * The modules `npm run mutate` mutates: where a bug loses data or leaks secrets (issue 16). Each
 * runs on its own with the test files that exercise it (fast unit and local-service suites; the
 * full chaos/outage/fuzz proofs are too slow to run per mutant), so a run per module stays
 * feasible on 2 shared cores.
 */
export const MUTATION_MODULES = {
  // shared/runtime in two runs (one would not fit in a working session on 2 shared cores).
  "shared/runtime: batch processing": {
    mutate: [
      "shared/runtime/process-batch.ts",
      "shared/runtime/disposition.ts",
      "shared/runtime/handler.ts",
      "shared/runtime/container.ts",
      "shared/runtime/middlewares.ts",
    ],
    tests: [
      "test/unit/process-batch-outcomes.test.ts",
      "test/runtime-handler.test.ts",
      "test/unit/disposition.test.ts",
      "test/unit/runtime-pieces.test.ts",
      "test/unit/process-batch-guard.test.ts",
      "test/unit/envelope-fast-check.test.ts",
      "test/runtime-backoff.test.ts",
      "test/runtime-config.test.ts",
      "test/runtime-parse-record.test.ts",
      "test/runtime-queue-actions.test.ts",
      "test/runtime.integration.test.ts",
      "test/runtime.secrets.test.ts",
      "test/failure-loop.test.ts",
      // processRecordGroups (the notifier's engine) and the run ledger's hooks.
      "test/record-groups.test.ts",
      "test/ledger-runtime.test.ts",
      // The ledger hooks call by call, middlewares.ts, processRecordGroups' last-resort catch (mut-runtime2).
      "test/unit/process-batch-ledger-exact.test.ts",
      "test/runtime-ledger-exact.test.ts",
    ],
  },
  "shared/runtime: config, parsing, queue actions": {
    mutate: [
      "shared/runtime/backoff.ts",
      "shared/runtime/config.ts",
      "shared/runtime/env.ts",
      "shared/runtime/limit.ts",
      "shared/runtime/parse-record.ts",
      "shared/runtime/queue-actions.ts",
    ],
    tests: [
      "test/unit/runtime-pieces.test.ts",
      "test/unit/process-batch-guard.test.ts",
      "test/unit/envelope-fast-check.test.ts",
      "test/runtime-backoff.test.ts",
      "test/runtime-config.test.ts",
      "test/runtime-parse-record.test.ts",
      "test/runtime-queue-actions.test.ts",
      "test/runtime-dlq-attributes.test.ts",
      "test/runtime-parse-record-exact.test.ts",
      "test/runtime-config-exact.test.ts",
      "test/runtime.integration.test.ts",
      "test/runtime.secrets.test.ts",
      "test/failure-loop.test.ts",
    ],
  },
  // The DLQ attribute seal (forged attributes, issue 15) and the runtime's side of the run ledger.
  "shared/runtime: DLQ seal and run tracking": {
    mutate: ["shared/runtime/attribute-seal.ts", "shared/runtime/run-tracking.ts", "shared/runtime/run-status-report.ts"],
    tests: [
      "test/dlq-attribute-seal.test.ts",
      "test/runtime-dlq-attributes.test.ts",
      "test/failure-loop.test.ts",
      "test/ledger-runtime.test.ts",
      "test/ledger.e2e.test.ts",
      "test/oro-integration.e2e.test.ts",
      // The seal's anchors and reportRunStatus line by line (mut-late).
      "test/dlq-seal-exact.test.ts",
      "test/runtime-run-status-report.test.ts",
    ],
  },
  // shared/oro in two runs: the token cache and errors (a secret or a reason lost), then the client.
  "shared/oro: token, connection, errors": {
    mutate: ["shared/oro/token.ts", "shared/oro/connection.ts", "shared/oro/errors.ts", "shared/oro/constants.ts"],
    tests: ["test/oro-errors.test.ts", "test/oro-token.test.ts", "test/oro-client.test.ts", "test/oro-client-sandbox.test.ts", "test/oro-contract.test.ts"],
  },
  // The client in two runs: batch.ts alone is the biggest file of the project's mutated code.
  "shared/oro: batch": {
    mutate: ["shared/oro/batch.ts"],
    tests: [
      "test/oro-query.test.ts",
      "test/oro-product-writes.test.ts",
      "test/oro-natural-key.test.ts",
      "test/oro-client.test.ts",
      "test/oro-client-sandbox.test.ts",
      "test/oro-batch-sandbox.test.ts",
      "test/oro-contract.test.ts",
      "test/oro-batch-states.test.ts",
      "test/oro-batch-requests.test.ts",
      "test/oro-batch-unit.test.ts",
    ],
  },
  "shared/oro: client, calls, transport, query": {
    mutate: ["shared/oro/client.ts", "shared/oro/calls.ts", "shared/oro/transport.ts", "shared/oro/jsonapi.ts", "shared/oro/query.ts"],
    tests: [
      "test/oro-calls-wire.test.ts",
      "test/oro-transport-wire.test.ts",
      "test/oro-query.test.ts",
      "test/oro-product-writes.test.ts",
      "test/oro-natural-key.test.ts",
      "test/oro-client.test.ts",
      "test/oro-client-sandbox.test.ts",
      "test/oro-batch-sandbox.test.ts",
      "test/oro-contract.test.ts",
    ],
  },
  // shared/oro's integration pieces (issue 14): the natural-key lookups, the run status and channel calls.
  "shared/oro: natural key, integration status and channels": {
    mutate: ["shared/oro/natural-key.ts", "shared/oro/integration-status.ts", "shared/oro/integration-channels.ts"],
    tests: [
      "test/oro-natural-key.test.ts",
      "test/sandbox-oro-integration.test.ts",
      "test/oro-integration-bundle.test.ts",
      "test/oro-integration.e2e.test.ts",
      // registerChannels, the status write and the natural-key requests with exact results (mut-late).
      "test/oro-integration-exact.test.ts",
      "test/oro-natural-key-exact.test.ts",
      // IntegrationChannelIds (ledger-lean's channel id kept per container): through reportRunStatus, and writeRunStatus and forget call by call (mut-recheck).
      "test/runtime-run-status-report.test.ts",
      "test/oro-integration-status-channels.test.ts",
    ],
  },
  "shared/http": {
    mutate: ["shared/http/**/*.ts"],
    tests: [
      "test/http-redact.test.ts",
      "test/http-request-edges.test.ts",
      "test/http-request-invalid.test.ts",
      "test/http-transport.test.ts",
      "test/http-retry-errors.test.ts",
      "test/http-pool.test.ts",
      "test/erp-client.test.ts",
      "test/oro-client.test.ts",
    ],
  },
  "shared/secrets": {
    mutate: ["shared/secrets/**/*.ts"],
    tests: ["test/runtime.secrets.test.ts", "test/unit/runtime-pieces.test.ts", "test/secret-store.test.ts", "test/webhook-ingress.test.ts"],
  },
  "shared/observability": {
    mutate: ["shared/observability/**/*.ts"],
    tests: [
      "test/observability-redaction.test.ts",
      "test/unit/runtime-pieces.test.ts",
      "test/runtime.secrets.test.ts",
      "test/runtime.integration.test.ts",
      "test/observability.test.ts",
      "test/notifier.test.ts",
      // EmfMetrics (metrics.ts since perf's rewrite) and the token registration through a real token source.
      "test/emf-metrics.test.ts",
      "test/redaction.test.ts",
      "test/observability-emf-exact.test.ts",
    ],
  },
  "functions/notifier": {
    // The notifier's per-key alert leases live in shared/state/lease.ts (issue 14 §3).
    mutate: ["functions/notifier/**/*.ts", "shared/state/lease.ts"],
    tests: [
      "test/notifier-alert-text-exact.test.ts",
      "test/notifier.unit.test.ts",
      "test/notifier.test.ts",
      "test/notifier-rejected.test.ts",
      "test/notifier-text-config.test.ts",
      "test/notifier-plan-store.test.ts",
      "test/notifier-concurrency.test.ts",
      "test/state-lease.test.ts",
      "test/state-lease-waits.test.ts",
      "test/notifier-oro-edges.test.ts",
      "test/notifier-handler-output.test.ts",
    ],
  },
  "functions/webhook-ingress": {
    mutate: ["functions/webhook-ingress/**/*.ts"],
    tests: [
      "test/webhook-ingress.test.ts",
      "test/webhook-signature.test.ts",
      "test/webhook-ingress-config.test.ts",
      "test/webhook-ingress-responses.test.ts",
      "test/webhook-ingress-schedule-sync.test.ts",
      "test/webhook-ingress-edges.test.ts",
      "test/webhook-ingress-handler-output.test.ts",
      "test/webhook-ingress-dedup.test.ts",
      "test/webhook-ingress-schedule-sync-exact.test.ts",
      "test/webhook-ingress-config-sync.test.ts",
      "test/webhook-ingress-replay.test.ts",
    ],
  },
  "proof checkers": {
    mutate: ["proof/chaos/verify.ts", "proof/fuzz/verify.ts", "proof/outage/verify.ts", "proof/secrets-scan/scan.ts"],
    tests: [
      "test/proof-checkers.test.ts",
      "test/proof-fuzz-checker.test.ts",
      "test/proof-outage-checker.test.ts",
      "test/proof-secrets.test.ts",
      "test/proof-secrets-scan.test.ts",
    ],
  },
};
