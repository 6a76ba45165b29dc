// Equivalent mutants of the "functions/notifier" group (issue 16), in the form described at the
// top of ../equivalent.mjs. The group's earlier entries (alert-key.ts, alert-text.ts, the release's
// catch in alert-lease.ts, process-batch.ts's lastSeenAt fallback) stay in ../equivalent.mjs.

const QUEUE_NAMES_ONLY_FOR_FIFO_AND_FAN_OUT =
  "QueueActions reads its connector/integration names only for a FIFO DLQ copy's MessageGroupId fallback (fifo is false here, asserted by test/notifier-handler-output.test.ts) and in enqueue/emit envelopes, which the notifier never calls (its batch uses only sendToDlq and changeVisibility; every DLQ reason carries its own connector and integration): the value is never read";

export const EQUIVALENT = [
  {
    file: "functions/notifier/plan.ts",
    mutator: "StringLiteral",
    line: 'issue.path.join(".")',
    original: '"."',
    reason:
      'the alert event schemas (shared/alerts/events.ts) are flat objects of scalars and enums in a discriminated union: every issue path has at most one element (a field name, or none for the root), and joining one element with "." or "" gives the same text',
  },
  {
    file: "functions/notifier/create-handler.ts",
    mutator: "StringLiteral",
    line: 'connector: "notifier",',
    reason: QUEUE_NAMES_ONLY_FOR_FIFO_AND_FAN_OUT,
  },
  {
    file: "functions/notifier/create-handler.ts",
    mutator: "StringLiteral",
    line: 'integration: "notifier",',
    reason: QUEUE_NAMES_ONLY_FOR_FIFO_AND_FAN_OUT,
  },
];
