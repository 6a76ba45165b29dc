import { readFile } from "node:fs/promises";

/**
 * Where a command-line secret comes from. A value given inline (`--client-secret s3cr3t`) is seen
 * by anyone running `ps` on the machine and stays in the shell history, so the CLI takes secrets
 * from a file (`--client-secret-file path`, `-` for stdin) or the environment, and warns when one is
 * given inline (docs/reference/security.md §9).
 */
export interface SecretSources {
  /** Option name without dashes, e.g. `client-secret` (its file variant is `<name>-file`). */
  option: string;
  inline: string | undefined;
  file: string | undefined;
  envName: string;
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  warn: (line: string) => void;
}

/** One trailing newline is what `echo` and editors add; it is not part of the secret. */
const withoutTrailingNewline = (text: string): string => text.replace(/\r?\n$/, "");

/** The secret from the file / stdin, the environment, or (with a warning) the inline value; undefined when none. */
export const readSecretInput = async (s: SecretSources): Promise<string | undefined> => {
  if (s.file !== undefined) {
    const text = s.file === "-" ? await s.readStdin() : await readFile(s.file, "utf8");
    return withoutTrailingNewline(text);
  }
  if (s.inline !== undefined) {
    s.warn(`warning: --${s.option} on the command line is visible in ps and kept in shell history; use --${s.option}-file <path|-> or env ${s.envName}`);
    return s.inline;
  }
  return s.env[s.envName] || undefined;
};

/** All of stdin, for `--<option>-file -`. */
export const readProcessStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};
