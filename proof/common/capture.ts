/**
 * Captures everything written to stdout and stderr (the runtime's JSON logs and EMF metrics), the
 * way test/runtime.secrets.test.ts does, so a proof run can scan it. `print` still reaches the
 * real stdout (progress, results) and is not captured.
 */
export interface OutputCapture {
  /** Every chunk written while capturing, split into lines. */
  readonly lines: string[];
  /** Writes to the real stdout, bypassing the capture. */
  print(text: string): void;
  /** Restores both streams (idempotent). */
  stop(): void;
}

export const captureOutput = (): OutputCapture => {
  const lines: string[] = [];
  const originals = new Map<NodeJS.WriteStream, NodeJS.WriteStream["write"]>();
  const realOut = process.stdout.write.bind(process.stdout);
  for (const stream of [process.stdout, process.stderr]) {
    originals.set(stream, stream.write);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      for (const line of (typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")).split("\n")) if (line !== "") lines.push(line);
      // A write callback, if any, still runs (some loggers wait for it).
      const callback = rest.find((r): r is () => void => typeof r === "function");
      if (callback) queueMicrotask(callback);
      return true;
    }) as NodeJS.WriteStream["write"];
  }
  let stopped = false;
  return {
    lines,
    print: (text) => void realOut(text.endsWith("\n") ? text : `${text}\n`),
    stop() {
      if (stopped) return;
      stopped = true;
      for (const [stream, write] of originals) stream.write = write;
    },
  };
};
