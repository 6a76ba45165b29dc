import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../shared/errors";
import { DEFAULT_MAX_CHAIN_HOPS, maxChainHops, readRuntimeConfig } from "../shared/runtime";

/**
 * The parts of the runtime's configuration runtime-config.test.ts leaves open (issue 16, mutation
 * testing): the chain cap a connector's settings may set (an integer of 1 or more, word for word
 * when not), and where the run ledger's table name comes from (an override, even an explicit
 * undefined, beats STATE_TABLE_NAME; an empty variable is no table). `toEqual` there ignores an
 * undefined property, so these read the field itself.
 */
const env = { INTEGRATION_NAME: "akeneo-main", CONNECTOR_TYPE: "akeneo-products", DLQ_URL: "https://sqs/dlq", ALERTS_QUEUE_URL: "https://sqs/alerts" };

describe("Function: maxChainHops", () => {
  it("takes settings.maxChainHops when it is an integer of 1 or more, else the default of 10,000", () => {
    expect(maxChainHops({})).toBe(DEFAULT_MAX_CHAIN_HOPS);
    expect(DEFAULT_MAX_CHAIN_HOPS).toBe(10_000);
    expect(maxChainHops({ maxChainHops: 1 })).toBe(1);
    expect(maxChainHops({ maxChainHops: 2 })).toBe(2);
    expect(maxChainHops({ maxChainHops: 25_000 })).toBe(25_000);
  });

  it("refuses zero, negatives, fractions, unsafe integers and non-numbers, naming the setting and the value", () => {
    const cases: Array<[unknown, string]> = [
      [0, "0"],
      [-3, "-3"],
      [1.5, "1.5"],
      [2 ** 53, "9007199254740992"],
      ["5", '"5"'],
      [null, "null"],
    ];
    for (const [value, shown] of cases) {
      expect(() => maxChainHops({ maxChainHops: value }), shown).toThrow(
        new ConfigurationError(`settings.maxChainHops must be an integer of 1 or more, got ${shown}`),
      );
    }
  });
});

describe("Function: readRuntimeConfig (the run ledger's table)", () => {
  it("reads STATE_TABLE_NAME, and takes an empty one for no table", () => {
    expect(readRuntimeConfig({ ...env, STATE_TABLE_NAME: "oro-state" }).stateTableName).toBe("oro-state");
    expect(readRuntimeConfig({ ...env, STATE_TABLE_NAME: "" }).stateTableName).toBeUndefined();
    expect(readRuntimeConfig(env).stateTableName).toBeUndefined();
  });

  it("lets an override win over the variable, an explicit undefined included (a test turning the ledger off)", () => {
    expect(readRuntimeConfig({ ...env, STATE_TABLE_NAME: "oro-state" }, { stateTableName: "other" }).stateTableName).toBe("other");
    expect(readRuntimeConfig({ ...env, STATE_TABLE_NAME: "oro-state" }, { stateTableName: undefined }).stateTableName).toBeUndefined();
    expect(readRuntimeConfig({ ...env, STATE_TABLE_NAME: "oro-state" }, { integration: "x" }).stateTableName).toBe("oro-state");
  });
});
