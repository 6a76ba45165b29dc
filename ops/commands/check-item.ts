/** One check of `ops check` and its outcome (its own module: the probes in check-permissions.ts need it, and check.ts runs them). */
export interface CheckItem {
  name: string;
  status: "ok" | "failed" | "skipped";
  /** What was checked, or what went wrong. Never a secret value. */
  detail: string;
  /** What to do about a failure. */
  hint?: string;
}
