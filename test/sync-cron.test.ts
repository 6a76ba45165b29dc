import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../shared/errors";
import { parseCron, previousFireTime, UnsupportedCronError, windowFor, windowFromSettings } from "../shared/sync";

const previous = (expression: string, before: string, timeZone = "UTC") => previousFireTime(parseCron(expression), new Date(before), timeZone)?.toISOString();

describe("Function: previousFireTime", () => {
  it("finds the previous quarter hour inside working hours", () => {
    expect(previous("cron(0/15 6-22 ? * MON-SAT *)", "2026-11-26T10:15:00Z")).toBe("2026-11-26T10:00:00.000Z");
  });
  it("skips the night and Sunday: Monday's first run follows Saturday's last (Europe/Berlin)", () => {
    // Monday 2026-11-30 06:00 in Berlin is 05:00Z; the previous run was Saturday 22:45 Berlin = 21:45Z.
    expect(previous("cron(0/15 6-22 ? * MON-SAT *)", "2026-11-30T05:00:00Z", "Europe/Berlin")).toBe("2026-11-28T21:45:00.000Z");
  });
  it("follows daylight saving time in the schedule's zone", () => {
    // Daily 02:30 New York: on 2026-03-08 clocks jump from 02:00 to 03:00, so that day has no 02:30.
    expect(previous("cron(30 2 * * ? *)", "2026-03-09T06:30:00Z", "America/New_York")).toBe("2026-03-07T07:30:00.000Z");
  });
  it("reads names, lists, ranges and steps", () => {
    expect(previous("cron(5,35 */6 1-15 JAN,JUL ? *)", "2026-07-01T00:05:00Z")).toBe("2026-01-15T18:35:00.000Z");
  });
  it.each(["cron(0 12 L * ? *)", "cron(0 12 ? * 6#3 *)", "cron(0 12 15W * ? *)", "cron(0 12 * *)", "cron(61 * * * ? *)"])(
    "refuses what it cannot follow: %s",
    (expression) => {
      expect(() => parseCron(expression)).toThrow(UnsupportedCronError);
    },
  );
});

describe("Function: windowFor with a cron schedule", () => {
  it("covers the gap since the previous run plus the overlap", () => {
    expect(
      windowFor({ scheduledTime: "2026-11-30T05:00:00Z", schedule: "cron(0/15 6-22 ? * MON-SAT *)", timeZone: "Europe/Berlin", overlapMinutes: 10 }),
    ).toEqual({
      from: new Date("2026-11-28T21:35:00Z"),
      to: new Date("2026-11-30T05:00:00Z"),
    });
  });
  it("uses settings.windowMinutes when given, and the time zone from the connector settings", () => {
    expect(windowFromSettings("2026-11-26T10:15:00Z", { schedule: "cron(0/15 * * * ? *)", windowMinutes: 60, windowOverlapMinutes: 0 }).from).toEqual(
      new Date("2026-11-26T09:15:00Z"),
    );
    expect(
      windowFromSettings("2026-11-30T05:00:00Z", { schedule: "cron(0/15 6-22 ? * MON-SAT *)", timeZone: "Europe/Berlin", windowOverlapMinutes: 0 }).from,
    ).toEqual(new Date("2026-11-28T21:45:00Z"));
  });
  it("asks for settings.windowMinutes when the cron uses syntax it cannot follow", () => {
    expect(() => windowFor({ scheduledTime: "2026-11-26T12:00:00Z", schedule: "cron(0 12 L * ? *)" })).toThrow(ConfigurationError);
    expect(() => windowFor({ scheduledTime: "2026-11-26T12:00:00Z", schedule: "cron(0 12 L * ? *)" })).toThrow(/settings\.windowMinutes/);
  });
});
