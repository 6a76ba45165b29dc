/**
 * Secret redaction. The sensitive values of every secret loaded from Secrets Manager, and every
 * OAuth token the clients are issued, are registered here; every log line, error message, DLQ
 * attribute and alert event passes through `redact()` on its way out, so a secret that slips into
 * a message (an echoed request, a library's error) is masked in each form it can take there
 * (secret-forms.ts: URL, form and double URL encoding, JSON and PHP escapes, hex, base64).
 *
 * Sensitive means: the value of a key that names a credential (secret, password, token, key,
 * credential, private, auth, signature), at any depth. Identifiers such as a base URL, a client
 * id or a username are not masked: masking a username like `connector` would blank that word in
 * every log line and error, hiding the reasons people need.
 *
 * Redact first, then cut: a text cut before it is redacted can keep half a secret, which no
 * pattern recognises any more.
 */
import { secretForms } from "./secret-forms";

const MIN_SECRET_LENGTH = 4;
const SENSITIVE_KEY = /secret|passw|token|key|credential|private|auth|signature|cert/i;
const MASK = "***";
/** Tokens kept for redaction: a container sees a new one every hour or so; old ones have expired. */
const MAX_TOKENS = 32;

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A registry of secret values and tokens, and the masking built from it. The process's registry
 * is {@link defaultRedactor} (one per Lambda container), which the secret store and the token
 * sources register into and every log line, error, DLQ attribute and alert goes through; the
 * functions below are shortcuts to it. A test of the masking itself makes its own.
 */
export class SecretRedactor {
  private readonly secretValues = new Set<string>();
  private readonly tokens: string[] = [];
  private pattern: RegExp | undefined;

  /** Registers the sensitive string leaves of a secret (any depth) for redaction. */
  registerSecretValues(value: unknown): void {
    const before = this.secretValues.size;
    const visit = (node: unknown, sensitive: boolean): void => {
      if (typeof node === "string") {
        if (sensitive && node.length >= MIN_SECRET_LENGTH) this.secretValues.add(node);
      } else if (Array.isArray(node)) node.forEach((item) => visit(item, sensitive));
      else if (node && typeof node === "object") for (const [key, item] of Object.entries(node)) visit(item, sensitive || SENSITIVE_KEY.test(key));
    };
    // A secret stored as a bare string is sensitive as a whole.
    visit(value, typeof value === "string");
    if (this.secretValues.size !== before) this.rebuild();
  }

  /**
   * Registers an issued credential (an OAuth access or refresh token) for redaction. Only the most
   * recent {@link MAX_TOKENS} are kept, so a long-lived container's pattern does not grow forever.
   */
  registerToken(token: string | undefined): void {
    if (!token || token.length < MIN_SECRET_LENGTH || this.tokens.includes(token) || this.secretValues.has(token)) return;
    this.tokens.push(token);
    if (this.tokens.length > MAX_TOKENS) this.tokens.shift();
    this.rebuild();
  }

  /** Masks every registered secret value and token, in each of its forms, in a string. */
  redact(text: string): string {
    return this.pattern && text ? text.replace(this.pattern, MASK) : text;
  }

  /** Redacts, then cuts to at most `max` characters (an ellipsis marks the cut): never the other way round. */
  redactAndCut(text: string, max: number): string {
    const clean = this.redact(text);
    return clean.length > max ? `${clean.slice(0, Math.max(0, max - 1))}…` : clean;
  }

  private rebuild(): void {
    const needles = new Set<string>();
    for (const value of [...this.secretValues, ...this.tokens])
      for (const { text } of secretForms(value)) if (text.length >= MIN_SECRET_LENGTH) needles.add(text);
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...needles].sort((a, b) => b.length - a.length).map(escape);
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join("|"), "g") : undefined;
  }
}

/** The process's registry (one per Lambda container). */
export const defaultRedactor = new SecretRedactor();

/** {@link SecretRedactor.registerSecretValues} of the {@link defaultRedactor}. */
export const registerSecretValues = (value: unknown): void => defaultRedactor.registerSecretValues(value);
/** {@link SecretRedactor.registerToken} of the {@link defaultRedactor}. */
export const registerToken = (token: string | undefined): void => defaultRedactor.registerToken(token);
/** {@link SecretRedactor.redact} of the {@link defaultRedactor}. */
export const redact = (text: string): string => defaultRedactor.redact(text);
/** {@link SecretRedactor.redactAndCut} of the {@link defaultRedactor}. */
export const redactAndCut = (text: string, max: number): string => defaultRedactor.redactAndCut(text, max);
