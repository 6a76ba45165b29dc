import type { LedgerDeclaration } from "../connector";
import type { RecordCounts, RunLedger, RunWindow, UnitKind } from "../ledger";
import type { NormalizedMessage } from "../messages";

/** What one message counted (its `ctx.count` metrics), and its items dead-lettered without a replay of their own. */
export class RecordTally {
  readonly metrics = new Map<string, number>();
  failedItems = 0;
  /** Messages the record enqueued (sent), registered with the ledger when it settles. */
  readonly children: { id: string; type: string }[] = [];

  count(metric: string, value: number): void {
    this.metrics.set(metric, (this.metrics.get(metric) ?? 0) + value);
  }
}

/**
 * The runtime's side of the run ledger (docs/ledger.md) for one connector: which run and unit a
 * message is (run id = correlation id, unit id = envelope id), its kind from the connector's
 * `ledger.listing`, and its record counts from the metrics named in `ledger.records`.
 */
export class RunTracker {
  constructor(
    private readonly ledger: RunLedger,
    private readonly owner: { integration: string; connector: string },
    private readonly declaration: LedgerDeclaration = {},
  ) {}

  private kindOf(type: string): UnitKind {
    return this.declaration.listing?.includes(type) ? "listing" : "page";
  }

  private unit(meta: NormalizedMessage) {
    return { ...this.owner, runId: meta.correlationId || meta.id, unitId: meta.id, kind: this.kindOf(meta.type), type: meta.type };
  }

  recordsOf(tally: RecordTally): RecordCounts {
    const sum = (names: readonly string[] | undefined) => (names ?? []).reduce((total, name) => total + (tally.metrics.get(name) ?? 0), 0);
    const records = this.declaration.records;
    return { read: sum(records?.read), written: sum(records?.written), skipped: sum(records?.skipped), failed: tally.failedItems };
  }

  /** The message started (a run's root, a pushed message, a redriven replay): its unit exists from now on. */
  open(meta: NormalizedMessage): Promise<void> {
    return this.ledger.open(this.unit(meta));
  }

  /** The message succeeded (`done`) or was dead-lettered (`dead`); the messages it enqueued are registered first. */
  settle(meta: NormalizedMessage, state: "done" | "dead", tally: RecordTally, error?: string, window?: RunWindow): Promise<boolean> {
    const children = tally.children.map((c) => ({ unitId: c.id, kind: this.kindOf(c.type) }));
    return this.ledger.settle(this.unit(meta), state, this.recordsOf(tally), {
      ...(error === undefined ? {} : { error }),
      ...(window ? { window } : {}),
      ...(children.length ? { children } : {}),
    });
  }

  /** Items of the message dead-lettered with a replay each: each replay is a dead unit of the run, one failed record. */
  async deadItems(meta: NormalizedMessage, replays: readonly { id: string; type: string; error: string }[]): Promise<void> {
    const run = this.unit(meta);
    for (const replay of replays) {
      await this.ledger.settle(
        { ...run, unitId: replay.id, kind: this.kindOf(replay.type) },
        "dead",
        { read: 0, written: 0, skipped: 0, failed: 1 },
        { error: replay.error },
      );
    }
  }
}
