/**
 * Bounds forced reloads of the signing secret in one container: at most one per `intervalMs`, and
 * concurrent callers share it. A well-formed but wrong signature would otherwise turn every bad
 * request into a Secrets Manager call (docs/reference/security.md §4).
 */
export class ReloadGate {
  private lastAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the next reload is allowed; 0 when one is allowed now. */
  waitMs(): number {
    return Math.max(0, this.lastAt + this.intervalMs - this.now());
  }

  /**
   * Runs `reload` unless one ran less than the interval ago: `true` when a reload ran (or was
   * joined while in flight), `false` when the gate was closed.
   */
  async reload(reload: () => Promise<void>): Promise<boolean> {
    if (this.inFlight) {
      await this.inFlight;
      return true;
    }
    if (this.waitMs() > 0) return false;
    this.lastAt = this.now();
    this.inFlight = reload().finally(() => (this.inFlight = undefined));
    await this.inFlight;
    return true;
  }
}
