import { describe, expect, it } from "vitest";
import { ConfigurationError, ValidationError } from "../shared/errors";
import { explicitWindow, rateMinutes, windowFor, windowFromSettings } from "../shared/sync";

describe("Function: windowFor", () => {
  it("covers the interval plus the default 5-minute overlap, ending at the scheduled time", () => {
    const window = windowFor({ scheduledTime: "2024-05-01T10:15:00Z", schedule: "rate(15 minutes)" });

    expect(window).toEqual({ from: new Date("2024-05-01T09:55:00Z"), to: new Date("2024-05-01T10:15:00Z") });
  });

  it.each([
    ["rate(1 minute)", 1],
    ["rate(2 hours)", 120],
    ["rate(1 day)", 1440],
    ["cron(0 * * * ? *)", undefined],
  ])("reads the interval of %s", (schedule, minutes) => {
    expect(rateMinutes(schedule)).toBe(minutes);
  });

  it("uses windowMinutes for a cron schedule and honours the overlap", () => {
    const window = windowFor({ scheduledTime: new Date("2024-05-01T10:00:00Z"), schedule: "cron(0 * * * ? *)", windowMinutes: 60, overlapMinutes: 10 });

    expect(window.from.toISOString()).toBe("2024-05-01T08:50:00.000Z");
  });

  it("starts a cron schedule's window at its previous fire time (no fixed interval needed)", () => {
    expect(windowFor({ scheduledTime: "2024-05-01T10:00:00Z", schedule: "cron(0 * * * ? *)" })).toEqual({
      from: new Date("2024-05-01T08:55:00Z"),
      to: new Date("2024-05-01T10:00:00Z"),
    });
  });

  it("asks for windowMinutes when a cron schedule uses syntax the window cannot follow", () => {
    expect(() => windowFor({ scheduledTime: "2024-05-01T10:00:00Z", schedule: "cron(0 10 ? * 2#1 *)" })).toThrow(ConfigurationError);
    expect(() => windowFor({ scheduledTime: "2024-05-01T10:00:00Z", schedule: "cron(0 10 ? * 2#1 *)" })).toThrow(/settings.windowMinutes/);
  });

  it("rejects a scheduled time that is not a time as a permanent error", () => {
    expect(() => windowFor({ scheduledTime: "yesterday", schedule: "rate(5 minutes)" })).toThrow(ValidationError);
  });
});

describe("Function: windowFromSettings", () => {
  it("reads schedule and windowOverlapMinutes from the connector settings", () => {
    const window = windowFromSettings("2024-05-01T10:00:00Z", { schedule: "rate(30 minutes)", windowOverlapMinutes: 0 });

    expect(window.from.toISOString()).toBe("2024-05-01T09:30:00.000Z");
  });

  it("falls back to scheduleIntervalMinutes and rejects a non-number setting", () => {
    expect(windowFromSettings("2024-05-01T10:00:00Z", { scheduleIntervalMinutes: 10 }).from.toISOString()).toBe("2024-05-01T09:45:00.000Z");
    expect(() => windowFromSettings("2024-05-01T10:00:00Z", { schedule: "rate(5 minutes)", windowOverlapMinutes: "5" })).toThrow(/must be a number/);
  });
});

describe("Function: explicitWindow", () => {
  it("accepts an ordered pair and rejects a reversed one", () => {
    expect(explicitWindow("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z").to.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(() => explicitWindow("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z")).toThrow(/starts .* at or after/);
  });
});
