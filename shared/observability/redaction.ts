/**
 * Secret redaction. Every value loaded from Secrets Manager is registered here, and every log line,
 * error message, DLQ attribute and alert event passes through `redact()` on its way out, so a
 * secret that slips into a message (an echoed request, a library's error) is masked.
 */
const MIN_SECRET_LENGTH = 4;
const MASK = "***";

const secretValues = new Set<string>();
let pattern: RegExp | undefined;

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Registers every string leaf of a secret (and its URL-encoded form) for redaction. */
export const registerSecretValues = (value: unknown): void => {
  const before = secretValues.size;
  const visit = (node: unknown): void => {
    if (typeof node === "string") {
      if (node.length >= MIN_SECRET_LENGTH && !/^https?:\/\//.test(node)) {
        secretValues.add(node);
        const encoded = encodeURIComponent(node);
        if (encoded !== node) secretValues.add(encoded);
      }
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") Object.values(node).forEach(visit);
  };
  visit(value);
  if (secretValues.size !== before) {
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...secretValues].sort((a, b) => b.length - a.length).map(escape);
    pattern = new RegExp(alternatives.join("|"), "g");
  }
};

/** Masks every registered secret value in a string. */
export const redact = (text: string): string => (pattern && text ? text.replace(pattern, MASK) : text);

/** True when the text contains a registered secret (used by tests and the secret scan). */
export const containsSecret = (text: string): boolean => (pattern ? new RegExp(pattern.source).test(text) : false);

/** For tests: forget every registered value. */
export const clearSecretValues = (): void => {
  secretValues.clear();
  pattern = undefined;
};
