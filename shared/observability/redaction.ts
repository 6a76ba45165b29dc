/**
 * Secret redaction. The sensitive values of every secret loaded from Secrets Manager are
 * registered here, and every log line, error message, DLQ attribute and alert event passes
 * through `redact()` on its way out, so a secret that slips into a message (an echoed request, a
 * library's error) is masked.
 *
 * Sensitive means: the value of a key that names a credential (secret, password, token, key,
 * credential, private, auth, signature). Identifiers such as a base URL, a client id or a
 * username are not masked: masking a username like `connector` would blank that word in every
 * log line and error, hiding the reasons people need.
 */
const MIN_SECRET_LENGTH = 4;
const SENSITIVE_KEY = /secret|passw|token|key|credential|private|auth|signature|cert/i;
const MASK = "***";

const secretValues = new Set<string>();
let pattern: RegExp | undefined;

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Registers the sensitive string leaves of a secret (and their URL-encoded forms) for redaction. */
export const registerSecretValues = (value: unknown): void => {
  const before = secretValues.size;
  const add = (text: string) => {
    if (text.length < MIN_SECRET_LENGTH) return;
    secretValues.add(text);
    const encoded = encodeURIComponent(text);
    if (encoded !== text) secretValues.add(encoded);
  };
  const visit = (node: unknown, sensitive: boolean): void => {
    if (typeof node === "string") {
      if (sensitive) add(node);
    } else if (Array.isArray(node)) node.forEach((item) => visit(item, sensitive));
    else if (node && typeof node === "object") for (const [key, item] of Object.entries(node)) visit(item, sensitive || SENSITIVE_KEY.test(key));
  };
  // A secret stored as a bare string is sensitive as a whole.
  visit(value, typeof value === "string");
  if (secretValues.size !== before) {
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...secretValues].sort((a, b) => b.length - a.length).map(escape);
    pattern = new RegExp(alternatives.join("|"), "g");
  }
};

/** Masks every registered secret value in a string. */
export const redact = (text: string): string => (pattern && text ? text.replace(pattern, MASK) : text);

/** For tests: forget every registered value. */
export const clearSecretValues = (): void => {
  secretValues.clear();
  pattern = undefined;
};
