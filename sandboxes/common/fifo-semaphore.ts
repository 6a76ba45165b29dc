/**
 * A counting semaphore whose waiters are served strictly first-in first-out, used to cap the
 * number of requests a sandbox handles at once (excess requests queue, as behind a busy PHP-FPM pool).
 */
export class FifoSemaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  /** Highest number of permits held at the same time since the last reset. */
  maxActiveObserved = 0;
  /** Highest queue length seen since the last reset. */
  maxQueuedObserved = 0;

  /** @param limit - permits; 0 or less means unlimited. */
  constructor(private limit: number) {}

  /** Changes the limit; queued waiters are admitted if the new limit allows. */
  setLimit(limit: number): void {
    this.limit = limit;
    this.drain();
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Waits for a permit; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.limit > 0 && this.active >= this.limit) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        this.maxQueuedObserved = Math.max(this.maxQueuedObserved, this.waiters.length);
      });
    } else {
      this.take();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.drain();
    };
  }

  resetObservations(): void {
    this.maxActiveObserved = this.active;
    this.maxQueuedObserved = this.waiters.length;
  }

  private take(): void {
    this.active += 1;
    this.maxActiveObserved = Math.max(this.maxActiveObserved, this.active);
  }

  private drain(): void {
    while (this.waiters.length > 0 && (this.limit <= 0 || this.active < this.limit)) {
      const next = this.waiters.shift();
      this.take();
      next?.();
    }
  }
}
