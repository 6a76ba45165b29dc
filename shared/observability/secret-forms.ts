/**
 * The forms a secret takes when it slips into a text: how a library, a proxy or an upstream
 * (Oro is PHP and echoes through `json_encode`) writes it. Both the runtime's redaction and the
 * proofs' secret scan derive their needles here, so the two cannot disagree on what a secret
 * looks like (docs/reference/security.md §6 lists each form and where it comes from). The scan's
 * own tests plant every form with independent encoders, so a form missing here fails them.
 */

/** Names of the forms, as reported by the scan. */
export type SecretFormName =
  "raw" | "url" | "url-lower" | "form" | "url-double" | "json" | "php-json" | "php-json-hex" | "hex" | "hex-upper" | "base64" | "base64url";

export interface SecretForm {
  form: SecretFormName;
  text: string;
}

/** Below this, base64 cores are too short to be told apart from chance. */
const MIN_BASE64_CORE = 6;

/** `encodeURIComponent` with lower-case escapes (`%2f`), as some clients and proxies write them. */
const lowerPercent = (text: string): string => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/**
 * PHP's `json_encode` with default flags: `/` becomes `\/`, every non-ASCII character a lower-case
 * `\uXXXX` (UTF-16 units), and `"`, `\` and control characters as JSON does.
 */
export const phpJsonEscape = (text: string): string => {
  let out = "";
  for (const char of JSON.stringify(text).slice(1, -1)) {
    const code = char.charCodeAt(0);
    if (char === "/") out += "\\/";
    else if (code > 0x7e) for (let i = 0; i < char.length; i += 1) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return out;
};

/**
 * `json_encode` with the JSON_HEX_* flags Symfony's JsonResponse sets by default (HEX_TAG,
 * HEX_APOS, HEX_AMP, HEX_QUOT): on top of the above, `< > & ' "` become `\u003C \u003E \u0026
 * \u0027 \u0022` (upper-case hex, as PHP writes these).
 */
export const phpJsonHexEscape = (text: string): string =>
  phpJsonEscape(text).replaceAll('\\"', "\\u0022").replaceAll("<", "\\u003C").replaceAll(">", "\\u003E").replaceAll("&", "\\u0026").replaceAll("'", "\\u0027");

/**
 * The characters of `value`'s base64 that do not depend on what surrounds it, for each of the
 * three byte alignments it can have inside a longer blob (a Basic header's `id:secret`).
 */
export const base64Cores = (value: string): string[] => {
  const bytes = Buffer.from(value, "utf8");
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= MIN_BASE64_CORE) cores.add(core);
  }
  return [...cores];
};

/** Every distinct form of `value`, the raw one first. */
export const secretForms = (value: string): SecretForm[] => {
  const forms: SecretForm[] = [];
  const add = (form: SecretFormName, text: string) => {
    if (!forms.some((f) => f.text === text)) forms.push({ form, text });
  };
  const url = encodeURIComponent(value);
  add("raw", value);
  add("url", url);
  add("url-lower", lowerPercent(url));
  add("form", new URLSearchParams({ v: value }).toString().slice(2));
  add("url-double", encodeURIComponent(url));
  add("json", JSON.stringify(value).slice(1, -1));
  add("php-json", phpJsonEscape(value));
  add("php-json-hex", phpJsonHexEscape(value));
  const hex = Buffer.from(value, "utf8").toString("hex");
  add("hex", hex);
  add("hex-upper", hex.toUpperCase());
  for (const core of base64Cores(value)) {
    add("base64", core);
    add("base64url", core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
};
