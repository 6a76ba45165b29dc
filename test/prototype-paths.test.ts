import { afterEach, describe, expect, it } from "vitest";
import { compilePath, createExportConverter, createImportConverter, MappingDefinitionError, mergeMapping } from "../shared/converters";
import { ConfigurationError } from "../shared/errors";

/**
 * Prototype pollution through mapping paths (issue 15 point 5): `__proto__`, `constructor` and
 * `prototype` segments are refused wherever a path is compiled or set, and in mapping overrides.
 */
afterEach(() => {
  for (const key of ["polluted", "x"]) delete (Object.prototype as Record<string, unknown>)[key];
});

const inherited = () => ({}) as Record<string, unknown>;

describe("mapping paths and prototypes", () => {
  it("an export mapping key __proto__.x is refused when compiled, and Object.prototype stays clean", () => {
    for (const path of ["__proto__.polluted", "constructor.prototype.polluted", "a.__proto__.polluted", "prototype"]) {
      expect(() => createExportConverter({ externalId: "id", fields: { [path]: { const: "yes" } } }), path).toThrow(MappingDefinitionError);
    }
    expect(() => createExportConverter({ externalId: "id", fields: { lines: { each: "items", fields: { "__proto__.polluted": { const: "yes" } } } } })).toThrow(
      MappingDefinitionError,
    );
    expect(inherited().polluted).toBeUndefined();
  });

  it("a settings.mapping override naming __proto__ is a configuration error, even inside nested objects", () => {
    const defaults = { externalId: "id", fields: { total: { from: "total" } } };
    const parsed = JSON.parse('{"fields":{"__proto__":{"polluted":{"const":"yes"}}}}') as unknown;
    expect(() => mergeMapping(defaults, parsed)).toThrow(ConfigurationError);
    expect(() => mergeMapping(defaults, parsed)).toThrow(
      'settings.mapping.fields.__proto__ is not allowed: "__proto__", "constructor" and "prototype" would reach an object\'s prototype',
    );
    expect(() => mergeMapping(defaults, JSON.parse('{"constructor":{"prototype":{"x":1}}}'))).toThrow(ConfigurationError);
    expect(inherited().polluted).toBeUndefined();
    expect(inherited().x).toBeUndefined();
  });

  it("source paths and match conditions cannot walk into a prototype either", () => {
    for (const path of ["__proto__", "a.constructor", "values[__proto__=x]", "items[0].prototype"])
      expect(() => compilePath(path), path).toThrow(MappingDefinitionError);
    expect(() => createImportConverter({ type: "products", externalId: "sku", attributes: JSON.parse('{"__proto__":{"from":"sku"}}') })).toThrow(
      MappingDefinitionError,
    );
    expect(() =>
      createImportConverter({ type: "products", externalId: "sku", relationships: JSON.parse('{"constructor":{"ref":{"type":"x","id":{"from":"a"}}}}') }),
    ).toThrow(MappingDefinitionError);
  });

  it("ordinary paths still work", () => {
    const converter = createExportConverter({ externalId: "id", fields: { "customer.name": { from: "name" }, protoType: { const: 1 } } });
    expect(converter.convert({ type: "orders", id: "1", attributes: { name: "Ada" } }, [])).toEqual({ customer: { name: "Ada" }, protoType: 1 });
  });
});
