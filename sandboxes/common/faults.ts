import { createPrng } from "./prng";

/**
 * When one kind of fault fires. All given conditions must hold: inside the window, within the
 * count, and the PRNG draw below `rate`.
 */
export interface FaultTrigger {
  /** Probability per request, 0..1 (default 1 when `forMs` or `count` is given, else 0). */
  rate?: number;
  /** Only during the first `forMs` ms after the faults were set (a 503 window, say). */
  forMs?: number;
  /** Only for the next `count` matching requests. */
  count?: number;
}

/** Fault and load settings of a sandbox; every field is optional and may be changed at runtime. */
export interface FaultConfig {
  /** Added delay before each request is handled, in ms (default 0). */
  latencyMs?: number;
  /** Requests handled at once; the rest wait in a FIFO (default 0 = unlimited). */
  maxConcurrent?: number;
  /** Seed of the PRNG behind every `rate` (default 1). */
  seed?: number;
  /** Only requests whose path starts with one of these prefixes get faults (default: all but admin). */
  paths?: string[];
  /** Reply with a 5xx (`status`, default 503) and a JSON:API-looking error body. */
  serverError?: FaultTrigger & { status?: number };
  /** Reply 429 with `Retry-After: retryAfterSeconds` (default 1), as OroCloud's WAF does. */
  throttle?: FaultTrigger & { retryAfterSeconds?: number };
  /** Destroy the socket without answering. */
  connectionReset?: FaultTrigger;
  /** Send the headers at once and the body `delayMs` (default 200) later, in two chunks. */
  slowBody?: FaultTrigger & { delayMs?: number };
}

/** What the fault injector decided for one request. */
export type FaultDecision =
  | { kind: "serverError"; status: number }
  | { kind: "throttle"; retryAfterSeconds: number }
  | { kind: "connectionReset" }
  | { kind: "slowBody"; delayMs: number };

type TriggerName = "serverError" | "throttle" | "connectionReset" | "slowBody";
const TRIGGER_ORDER: readonly TriggerName[] = ["connectionReset", "throttle", "serverError", "slowBody"];

/**
 * Holds the current fault configuration and decides, per request, which fault (if any) to inject.
 * Deterministic for a given seed and request order.
 */
export class FaultInjector {
  private config: FaultConfig = {};
  private setAt = Date.now();
  private random: () => number = createPrng(1);
  private readonly used = new Map<TriggerName, number>();
  /** Count of injected faults by kind since the last reset. */
  readonly injected: Record<TriggerName, number> = { serverError: 0, throttle: 0, connectionReset: 0, slowBody: 0 };

  constructor(initial: FaultConfig = {}) {
    this.set(initial);
  }

  /** Replaces the whole configuration; windows and counts restart now. */
  set(config: FaultConfig): void {
    this.config = { ...config };
    this.setAt = Date.now();
    this.random = createPrng(config.seed ?? 1);
    this.used.clear();
  }

  /** Merges into the current configuration (windows and counts restart now). */
  update(partial: FaultConfig): void {
    this.set({ ...this.config, ...partial });
  }

  get current(): FaultConfig {
    return { ...this.config };
  }

  resetCounters(): void {
    for (const key of TRIGGER_ORDER) this.injected[key] = 0;
  }

  /** Decides the fault for a request on `path`; `null` means serve it normally. */
  decide(path: string): FaultDecision | null {
    const prefixes = this.config.paths;
    if (prefixes && prefixes.length > 0 && !prefixes.some((p) => path.startsWith(p))) return null;
    for (const name of TRIGGER_ORDER) {
      const trigger = this.config[name];
      if (!trigger || !this.fires(name, trigger)) continue;
      this.injected[name] += 1;
      switch (name) {
        case "serverError":
          return { kind: "serverError", status: this.config.serverError?.status ?? 503 };
        case "throttle":
          return { kind: "throttle", retryAfterSeconds: this.config.throttle?.retryAfterSeconds ?? 1 };
        case "connectionReset":
          return { kind: "connectionReset" };
        case "slowBody":
          return { kind: "slowBody", delayMs: this.config.slowBody?.delayMs ?? 200 };
      }
    }
    return null;
  }

  private fires(name: TriggerName, trigger: FaultTrigger): boolean {
    if (trigger.forMs !== undefined && Date.now() - this.setAt > trigger.forMs) return false;
    const used = this.used.get(name) ?? 0;
    if (trigger.count !== undefined && used >= trigger.count) return false;
    const bounded = trigger.forMs !== undefined || trigger.count !== undefined;
    const rate = trigger.rate ?? (bounded ? 1 : 0);
    // Draw even when rate is 1 so the sequence does not depend on which triggers are bounded.
    const hit = this.random() < rate;
    if (hit) this.used.set(name, used + 1);
    return hit;
  }
}
