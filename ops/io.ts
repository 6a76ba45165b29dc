/**
 * Where the CLI writes. Results go to stdout (text, or one JSON document with `--json`);
 * diagnostics and progress go to stderr, progress bars only when stderr is a terminal.
 */
export interface OpsIo {
  /** A line (or block) of the command's result on stdout. */
  out(text: string): void;
  /** A diagnostic line on stderr. */
  err(text: string): void;
  /** Raw write to stderr for progress bars (no newline added). */
  errRaw(text: string): void;
  /** Whether stderr is a terminal: progress bars are drawn only then. */
  stderrIsTTY: boolean;
  /** Reads all of stdin (for `send -`). */
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
}

/** The process's streams. */
export const processIo = (): OpsIo => ({
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  errRaw: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString("utf8");
  },
  env: process.env,
});

/** Width of the bar in characters. */
const BAR_WIDTH = 30;
/** Redraw at most this often (ms). */
const REDRAW_INTERVAL_MS = 100;

/**
 * A one-line progress bar on stderr for long operations (redrive, backfill). A no-op when
 * stderr is not a terminal, so pipes, CI logs and `--json` consumers never see it.
 *
 * @example
 * const progress = new Progress(io, "redrive", total);
 * progress.tick(10);
 * progress.done();
 */
export class Progress {
  private current = 0;
  private lastDraw = 0;
  private readonly enabled: boolean;

  public constructor(
    private readonly io: OpsIo,
    private readonly label: string,
    private total: number | undefined,
  ) {
    this.enabled = io.stderrIsTTY;
  }

  /** Adds `n` done items (and raises the total when the estimate was low). */
  public tick(n = 1): void {
    this.current += n;
    if (this.total !== undefined && this.current > this.total) this.total = this.current;
    const now = Date.now();
    if (now - this.lastDraw >= REDRAW_INTERVAL_MS) this.draw(now);
  }

  /** Sets the absolute count (for move tasks that report their own progress). */
  public set(current: number, total?: number): void {
    this.current = current;
    if (total !== undefined) this.total = total;
    this.draw(Date.now());
  }

  /** Draws the final state and ends the line. */
  public done(): void {
    if (!this.enabled) return;
    this.draw(Date.now());
    this.io.errRaw("\n");
  }

  private draw(now: number): void {
    if (!this.enabled) return;
    this.lastDraw = now;
    if (this.total === undefined || this.total === 0) {
      this.io.errRaw(`\r${this.label}: ${this.current}`);
      return;
    }
    const ratio = Math.min(1, this.current / this.total);
    const filled = Math.round(ratio * BAR_WIDTH);
    this.io.errRaw(`\r${this.label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${this.current}/${this.total}`);
  }
}
