import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { TransientError } from "../../shared/errors";
import type { StateKey, StateLeases } from "../../shared/state";
import { type AlertKey, type ResolveKey, keyId } from "./alert-key";

/**
 * One writer per alert key across every notifier invocation (docs/alert-contract.md section 10).
 *
 * Each fold of a key (look-up, then create, update or resolve) runs under a lease on the key's
 * item in the state table, `pk = alert#<sha256 of the resolve key>`: a conditional write, so two
 * invocations never look up and create the same alert at once. The item also holds the key's
 * `generation`, from which a new alert's id is derived ({@link alertIdOf}): should a lease ever
 * run out while its holder's create is still on its way to Oro, the next holder creates the very
 * same id and Oro's primary key refuses the second one (409). A resolve starts a new generation,
 * so the next failure after a recovery is a new alert, as Oro's own manager does it.
 */

/** The notifier's kind in the state table (infra grants it `alert#*` only). */
export const ALERT_STATE_KIND = "alert";
const LEASE_SORT_KEY = "lease";
/** A key's item is kept this long after its last use (the table's TTL): its generation names the open alert. */
export const ALERT_KEY_KEEP_SECONDS = 90 * 86_400;
/**
 * Added to the invocation's deadline for a lease's end: the holder's calls are aborted before the
 * deadline, but a request already sent may still land at Oro a little later, and hosts' clocks differ.
 */
export const LEASE_GRACE_MS = 10_000;
/** First wait for a key another invocation holds; it doubles (full jitter) up to {@link MAX_WAIT_STEP_MS}. */
const FIRST_WAIT_MS = 20;
const MAX_WAIT_STEP_MS = 500;
/** Longest total wait for a busy key before its records go back to SQS (a holder's fold takes one or two Oro calls). */
export const MAX_KEY_WAIT_MS = 10_000;

/** Another invocation kept the key past {@link MAX_KEY_WAIT_MS}: retried later through SQS. */
export class AlertKeyBusyError extends TransientError {
  override name = "AlertKeyBusyError";
  constructor(key: ResolveKey) {
    super(`another notifier invocation is writing the alerts of ${keyId(key)}; retrying later`, { code: "ALERT_KEY_BUSY" });
  }
}

/** The state-table key of an alert key's lease item. */
export const alertStateKey = (key: ResolveKey): StateKey => ({
  pk: `${ALERT_STATE_KIND}#${createHash("sha256")
    .update(keyId(stripAlertType(key)))
    .digest("hex")}`,
  sk: LEASE_SORT_KEY,
});

const stripAlertType = (key: ResolveKey | AlertKey): ResolveKey => {
  const { alertType: _ignored, ...rest } = key as AlertKey;
  return rest;
};

/**
 * The id of the alert a generation of a key creates: a name-based UUID (RFC 4122 version 5
 * layout over SHA-1 of generation and key, docs/reference/aws.md §7), the same for every
 * invocation that creates it.
 */
export const alertIdOf = (key: AlertKey, generation: string): string => {
  const hash = createHash("sha1")
    .update(`${generation}\n${keyId(key)}`)
    .digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** What a fold does under the lease; it returns `newGeneration` when the next create must make a new alert (it resolved alerts). */
export type KeyWork<T> = (generation: string) => Promise<{ result: T; newGeneration?: string | undefined }>;

export interface AlertKeyLeasesOptions {
  leases: StateLeases;
  /** Clock in ms, for tests. */
  now?: () => number;
  random?: () => number;
  /** @default {@link MAX_KEY_WAIT_MS} */
  maxWaitMs?: number;
}

/** Runs each fold of a key as the key's only writer (see the module comment). */
export class AlertKeyLeases {
  private readonly now: () => number;
  private readonly random: () => number;
  /** Lease attempts that found the key held by another invocation (a metric). */
  waits = 0;

  constructor(private readonly options: AlertKeyLeasesOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /**
   * Takes the key's lease (waiting while another invocation holds it, at most `maxWaitMs`), runs
   * `work`, and releases the lease. Work that failed once the deadline signal fired keeps the
   * lease until it runs out: a write cut off may still reach Oro, and the next holder should not
   * start before it has (if it does, the derived id still makes Oro refuse a second create).
   */
  async run<T>(key: ResolveKey, invocation: { signal: AbortSignal; deadlineAt: number }, work: KeyWork<T>): Promise<T> {
    const k = alertStateKey(key);
    const owner = randomUUID();
    const started = this.now();
    let lease = await this.options.leases.acquire(k, {
      owner,
      until: invocation.deadlineAt + LEASE_GRACE_MS,
      firstGeneration: randomUUID(),
      keepSeconds: ALERT_KEY_KEEP_SECONDS,
    });
    for (let step = FIRST_WAIT_MS; !lease; step = Math.min(step * 2, MAX_WAIT_STEP_MS)) {
      this.waits += 1;
      if (this.now() - started >= (this.options.maxWaitMs ?? MAX_KEY_WAIT_MS)) throw new AlertKeyBusyError(key);
      await sleep(Math.max(1, Math.round(this.random() * step)), undefined, { signal: invocation.signal });
      lease = await this.options.leases.acquire(k, {
        owner,
        until: invocation.deadlineAt + LEASE_GRACE_MS,
        firstGeneration: randomUUID(),
        keepSeconds: ALERT_KEY_KEEP_SECONDS,
      });
    }
    let newGeneration: string | undefined;
    let finished = false;
    try {
      const done = await work(lease.generation);
      newGeneration = done.newGeneration;
      finished = true;
      return done.result;
    } finally {
      // Finished work has landed, whatever the clock says; failed work only if no call was cut off.
      if (finished || !invocation.signal.aborted) {
        // A release that fails leaves the lease to run out; the fold's own outcome stands.
        await this.options.leases.release(k, { owner, keepSeconds: ALERT_KEY_KEEP_SECONDS, ...(newGeneration ? { newGeneration } : {}) }).catch(() => false);
      }
    }
  }
}
