import { isPermanent } from "../errors";

/**
 * What becomes of a record whose work failed (docs/reference/design.md §2), one rule for the
 * connector runtime and the notifier:
 * - `dead-letter`: a permanent error; the same body fails the same way, so it goes to the DLQ with
 *   the reason and is acknowledged (even at the deadline: the error is an answer, not a timeout);
 * - `release`: the invocation's deadline signal fired, so the failure says nothing about the record;
 *   it is made visible again at once, without a backoff;
 * - `retry`: a transient error; retried after a backoff that grows with the attempts;
 * - `retry-last`: the same on the last attempt (`attempt >= maxReceiveCount`): SQS moves the message
 *   to the DLQ after it, so the caller alerts first.
 */
export type Disposition = "dead-letter" | "release" | "retry" | "retry-last";

export interface FailedAttempt {
  error: unknown;
  /** SQS's ApproximateReceiveCount of the record (the highest of a group handled as one). */
  attempt: number;
  maxReceiveCount: number;
  /** The invocation's deadline signal fired before the work ended. */
  deadlinePassed: boolean;
  /** Which errors are permanent for this consumer. @default shared/errors isPermanent */
  permanent?: (error: unknown) => boolean;
}

export const dispositionOf = ({ error, attempt, maxReceiveCount, deadlinePassed, permanent = isPermanent }: FailedAttempt): Disposition => {
  if (permanent(error)) return "dead-letter";
  if (deadlinePassed) return "release";
  return attempt >= maxReceiveCount ? "retry-last" : "retry";
};

/** Whether work may start with `remainingMs` left: below the margin, the record is released unstarted. */
export const mayStart = (remainingMs: number, deadlineMarginMs: number): boolean => remainingMs >= deadlineMarginMs;
