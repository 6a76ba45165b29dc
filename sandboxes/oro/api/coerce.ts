import { NOT_BLANK, validationError } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import { formatDateTime, isDecimalInput, normalizeDecimal } from "../jsonapi/values";
import type { AttributeDef } from "../model";

/** Result of reading one attribute from a request body. */
export type Coerced = { ok: true; value: unknown } | { ok: false; error: ErrorObject };

const invalid = (pointer: string): Coerced => ({ ok: false, error: validationError("form constraint", "This value is not valid.", pointer) });

/**
 * Converts a body value to the stored form (decimals to normalized strings, datetimes to Oro's
 * format) and checks length/choice constraints. Symfony form semantics: a numeric string is a
 * valid integer/decimal, anything else fails with "form constraint" (docs/reference/oro-api.md §6 titles).
 */
export function coerceAttribute(attr: AttributeDef, value: unknown, pointer: string): Coerced {
  if (value === null) return { ok: true, value: null };
  switch (attr.type) {
    case "string": {
      if (typeof value !== "string" && typeof value !== "number") return invalid(pointer);
      const text = String(value);
      if (attr.maxLength !== undefined && text.length > attr.maxLength) {
        return {
          ok: false,
          error: validationError("length constraint", `This value is too long. It should have ${attr.maxLength} characters or less.`, pointer),
        };
      }
      if (attr.minLength !== undefined && text.length > 0 && text.length < attr.minLength) {
        return {
          ok: false,
          error: validationError("length constraint", `This value is too short. It should have ${attr.minLength} characters or more.`, pointer),
        };
      }
      if (attr.choices && text !== "" && !attr.choices.includes(text)) {
        return { ok: false, error: validationError("choice constraint", "The value you selected is not a valid choice.", pointer) };
      }
      return { ok: true, value: text };
    }
    case "integer": {
      if (typeof value === "number" && Number.isInteger(value)) return { ok: true, value };
      if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return { ok: true, value: Number(value) };
      return invalid(pointer);
    }
    case "decimal":
      return isDecimalInput(value) ? { ok: true, value: normalizeDecimal(value) } : invalid(pointer);
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : invalid(pointer);
    case "datetime": {
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return invalid(pointer);
      return { ok: true, value: formatDateTime(Date.parse(value)) };
    }
    case "json":
      return typeof value === "object" && !Array.isArray(value) ? { ok: true, value } : invalid(pointer);
    case "array":
      return Array.isArray(value) ? { ok: true, value } : invalid(pointer);
  }
}

/** NotBlank: null, undefined, "" and [] are blank. */
export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

export const notBlank = (pointer: string): ErrorObject => validationError("not blank constraint", NOT_BLANK, pointer);
