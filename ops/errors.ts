/**
 * Exit codes and errors of the ops CLI. Every command throws one of these (or returns a result
 * with `failed: true`); the CLI maps them to the exit code documented in docs/ops.md and `--help`.
 */

/** What the CLI's exit code means. */
export const ExitCode = {
  /** Done; nothing wrong found. */
  ok: 0,
  /** The command ran and found failures: a failed check, messages in a DLQ, unresolved alerts, messages not moved. */
  failures: 1,
  /** The command line is wrong (unknown command, option, integration or connector; bad file or message). */
  usage: 2,
  /** AWS or the local stack cannot be reached (network, credentials, no running local stack). */
  unreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: an error with the exit code it means. */
export class OpsError extends Error {
  public constructor(
    message: string,
    public readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OpsError";
  }
}

/** The command line or its input is wrong (exit 2). */
export class UsageError extends OpsError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
    this.name = "UsageError";
  }
}

/** AWS or the local stack cannot be reached (exit 3). */
export class UnreachableError extends OpsError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.unreachable, options);
    this.name = "UnreachableError";
  }
}

/** The operation ran into a failure worth a non-zero exit (exit 1). */
export class OpsFailureError extends OpsError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.failures, options);
    this.name = "OpsFailureError";
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);
/** SDK error names that mean "we cannot talk to AWS as this caller". */
const UNREACHABLE_NAMES = new Set([
  "CredentialsProviderError",
  "TimeoutError",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
]);

/** True when the error (or one it wraps) is a network or credentials failure. */
export const isUnreachable = (error: unknown, depth = 0): boolean => {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === "string" && UNREACHABLE_NAMES.has(e.name)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isUnreachable(inner, depth + 1))) return true;
  return isUnreachable(e.cause, depth + 1);
};

/** The SDK's error name (e.g. `QueueDoesNotExist`), if any. */
export const awsErrorName = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; __type?: unknown };
  for (const candidate of [e.name, e.Code, e.__type]) if (typeof candidate === "string") return candidate.replace(/^.*#/, "");
  return undefined;
};

/** A message for an error: its name when it is not a plain Error, then its text. */
export const messageOf = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
  const code = (error as { code?: unknown }).code;
  return `${name}${error.message || (typeof code === "string" ? code : "(no message)")}`;
};

/**
 * Wraps an SDK error from a call to `where` (e.g. "SQS at https://...") as an {@link OpsError}:
 * network and credential problems become {@link UnreachableError} with what to do about them.
 */
export const wrapAwsError = (error: unknown, where: string, hint: string): OpsError => {
  if (error instanceof OpsError) return error;
  if (isUnreachable(error)) {
    return new UnreachableError(`cannot reach ${where}: ${messageOf(error)}. ${hint}`, { cause: error });
  }
  return new OpsFailureError(`${where}: ${messageOf(error)}`, { cause: error });
};
