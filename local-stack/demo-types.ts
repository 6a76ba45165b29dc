import type { LocalStack } from "./stack";

/** What a connector's demo (functions/<connector>/demo.ts) gets from the demo runner. */
export interface DemoContext {
  stack: LocalStack;
  /** Sends a native envelope to an enabled connector's queue. */
  send(connector: string, type: string, id: string, payload: Record<string, unknown>): Promise<void>;
  /** Records one comparison; `name` must be one of the demo's declared `checks`. */
  check(name: string, expected: unknown, actual: unknown): void;
  /** A window from 2000 up to now (the seeds are dated in the past: see windowUntilNow). */
  window: { from: string; to: string };
  /** When the demo's source rows changed: a fixed past time, so no window end falls in the same millisecond. */
  seededAt: string;
  log(line: string): void;
}

/**
 * One connector's part of `npm start -- --demo`, declared beside the connector (functions/<connector>/demo.ts,
 * `export const demo`); the runner finds it there. Phases run for every demo in turn: `seed` (the
 * sandboxes' source data), `start` (messages or webhooks), then, once the stack is idle, `verify`.
 */
export interface ConnectorDemo {
  connector: string;
  /** The names of the checks `verify` records, in order (the demo's test counts them from here). */
  checks: readonly string[];
  seed?(ctx: DemoContext): Promise<void>;
  start(ctx: DemoContext): Promise<void>;
  verify(ctx: DemoContext): Promise<void>;
}
