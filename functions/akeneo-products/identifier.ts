import { MappingError } from "../../shared/converters";
import { ConfigurationError } from "../../shared/errors";

/**
 * Which Akeneo attribute holds the SKU. A product of `GET /api/rest/v1/products-uuid` has no root
 * `identifier`: its identifier is the value of a `pim_catalog_identifier` attribute, `sku` on a
 * default catalog; since 2023 a catalog may have several identifier attributes and a main one
 * (docs/reference/akeneo-api.md §2). `settings.identifierAttribute` names it; `ops check`
 * verifies it against Akeneo's identifier attributes.
 */
export const DEFAULT_IDENTIFIER_ATTRIBUTE = "sku";

/** Akeneo attribute codes: letters, digits and underscores (docs/reference/akeneo-api.md §2). */
export const ATTRIBUTE_CODE = /^[A-Za-z0-9_]{1,255}$/;

/** The identifier attribute of these connector settings (default `sku`). */
export const identifierAttributeOf = (settings: Readonly<Record<string, unknown>>): string => {
  const value = settings.identifierAttribute ?? DEFAULT_IDENTIFIER_ATTRIBUTE;
  if (typeof value !== "string" || !ATTRIBUTE_CODE.test(value)) {
    throw new ConfigurationError(
      `settings.identifierAttribute of akeneo-products must be an Akeneo attribute code (letters, digits, underscores), got ${JSON.stringify(value)}: set it to the code of an identifier attribute (run "ops check" to list them)`,
    );
  }
  return value;
};

/** Path of the identifier value in a product: identifier attributes are neither localizable nor scopable. */
export const identifierPath = (attribute: string): string => `values.${attribute}[locale=null,scope=null].data`;

/**
 * A product without a value for the identifier attribute (allowed since November 2022): it has
 * no SKU for Oro, so it is skipped on its own (DLQ replay message + alert naming its uuid), and
 * lands with the next change once someone fills the identifier in Akeneo. No other field stands
 * in for the SKU: a made-up SKU would create an Oro product that the real one never matches.
 */
export class MissingIdentifierError extends MappingError {
  override name = "MissingIdentifierError";
  constructor(uuid: string, attribute: string, otherIssues: MappingError["issues"] = []) {
    super("Akeneo product", uuid, [
      {
        field: "attributes.sku",
        from: identifierPath(attribute),
        problem: `is empty: the product has no value for the identifier attribute "${attribute}", so it has no SKU for Oro; fill "${attribute}" in Akeneo (the product lands with its next change), or set settings.identifierAttribute if the SKU lives in another identifier attribute`,
      },
      ...otherIssues,
    ]);
  }
}

/** What `ops check` needs of an Akeneo client. */
interface IdentifierAttributeSource {
  identifierAttributes(signal?: AbortSignal): Promise<Array<{ code: string; isMain: boolean | undefined }>>;
}

/**
 * The `ops check` of `settings.identifierAttribute`: it must be one of Akeneo's
 * `pim_catalog_identifier` attributes. Returns what was verified; throws with the attributes
 * Akeneo has when it is not one of them.
 */
export const checkIdentifierAttribute = async (
  akeneo: IdentifierAttributeSource,
  settings: Readonly<Record<string, unknown>>,
  signal?: AbortSignal,
): Promise<string> => {
  const attribute = identifierAttributeOf(settings);
  const found = await akeneo.identifierAttributes(signal);
  const list = found.map((a) => `${a.code}${a.isMain ? " (main)" : ""}`).join(", ");
  if (found.length === 0)
    throw new ConfigurationError(
      "Akeneo lists no attribute of type pim_catalog_identifier: the connection's user group may lack the permission to list attributes",
    );
  const match = found.find((a) => a.code === attribute);
  if (!match) throw new ConfigurationError(`"${attribute}" is not an identifier attribute of this Akeneo (its identifier attributes: ${list})`);
  const main = found.find((a) => a.isMain === true);
  const role =
    match.isMain === true
      ? "the main identifier"
      : main
        ? `not the main identifier ("${main.code}" is): products without a "${attribute}" value are skipped`
        : "the identifier";
  return `settings.identifierAttribute "${attribute}" is an identifier attribute of Akeneo, ${role} (identifier attributes: ${list})`;
};
