import { describe, expect, it } from "vitest";
import { PermanentError, TransientError, ValidationError } from "../../shared/errors";
import { dispositionOf, mayStart } from "../../shared/runtime";

const transient = new TransientError("Oro answered 503");
const permanent = new ValidationError("sku is blank");

describe("dispositionOf", () => {
  it.each([
    ["a transient error before the last attempt", { error: transient, attempt: 1, deadlinePassed: false }, "retry"],
    ["a transient error on attempt maxReceiveCount - 1", { error: transient, attempt: 4, deadlinePassed: false }, "retry"],
    ["a transient error on the last attempt", { error: transient, attempt: 5, deadlinePassed: false }, "retry-last"],
    ["a receive count past maxReceiveCount (a redrive)", { error: transient, attempt: 7, deadlinePassed: false }, "retry-last"],
    ["a transient error after the deadline", { error: transient, attempt: 5, deadlinePassed: true }, "release"],
    ["an unknown throw (not a ConnectorError)", { error: new Error("boom"), attempt: 1, deadlinePassed: false }, "retry"],
    ["a permanent error", { error: permanent, attempt: 1, deadlinePassed: false }, "dead-letter"],
    ["a permanent error after the deadline", { error: permanent, attempt: 1, deadlinePassed: true }, "dead-letter"],
  ] as const)("%s -> %s", (_, input, expected) => {
    expect(dispositionOf({ ...input, maxReceiveCount: 5 })).toBe(expected);
  });

  it("takes the consumer's own idea of permanence (the notifier retries a 403 until Oro is fixed)", () => {
    const forbidden = new PermanentError("403", { code: "ORO_FORBIDDEN" });
    const onlyValidation = (e: unknown) => e instanceof ValidationError;
    expect(dispositionOf({ error: forbidden, attempt: 1, maxReceiveCount: 5, deadlinePassed: false, permanent: onlyValidation })).toBe("retry");
    expect(dispositionOf({ error: permanent, attempt: 1, maxReceiveCount: 5, deadlinePassed: false, permanent: onlyValidation })).toBe("dead-letter");
  });
});

describe("mayStart", () => {
  it("starts at exactly the margin and not one millisecond below", () => {
    expect(mayStart(5_000, 5_000)).toBe(true);
    expect(mayStart(4_999, 5_000)).toBe(false);
  });
});
