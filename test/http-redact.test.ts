/**
 * What the transport scrubs from the text it puts in errors (shared/http/redact.ts) and how it
 * reads Retry-After (shared/http/retry.ts): exact outputs, one pattern at a time, including the
 * spacing variants servers print.
 */
import { describe, expect, it } from "vitest";
import { bodyExcerpt, redactText, safeUrl } from "../shared/http/redact";
import { parseRetryAfter } from "../shared/http/retry";

describe("Function: safeUrl", () => {
  it("drops user info and masks secret-named query values, keeping brackets readable", () => {
    expect(safeUrl("https://user:pw@host.example/x?access_token=abc&filter[sku]=1")).toBe("https://host.example/x?access_token=[REDACTED]&filter[sku]=1");
    expect(safeUrl(new URL("https://only-user@host.example/"))).toBe("https://host.example/");
  });

  it("prints at most the first 4,096 characters of a very long URL (a followed link comes from an upstream)", () => {
    const long = `https://host.example/${"p".repeat(5_000)}`;
    expect(safeUrl(long)).toBe(long.slice(0, 4_096));
  });

  it("says <invalid URL> for text that is not a URL", () => {
    expect(safeUrl("not a url")).toBe("<invalid URL>");
  });
});

describe("Function: redactText", () => {
  it("masks a whole secret echoed as JSON inside a JSON string, quotes, backslashes and other escapes in it included", () => {
    // "x\ny": JSON.stringify writes the newline as \n, doubled to \\n in the outer string (two backslashes, then n).
    for (const password of ['x"y tail', "x\\y tail", 'a\\"b" tail', "x\ny\t tail", "plain tail"]) {
      const echoed = JSON.stringify({ echo: JSON.stringify({ password, user: "bob" }) });
      const out = redactText(echoed);
      expect(out).toBe(JSON.stringify({ echo: JSON.stringify({ password: "[REDACTED]", user: "bob" }) }));
      expect(out).not.toContain("tail");
    }
  });

  it("masks each occurrence of a given secret, regex characters and all", () => {
    expect(redactText("p.ss(w)rd and again p.ss(w)rd", ["p.ss(w)rd"])).toBe("[REDACTED] and again [REDACTED]");
    // The dot is literal: another character in its place is not the secret.
    expect(redactText("pXss(w)rd", ["p.ss(w)rd"])).toBe("pXss(w)rd");
  });

  it("masks given secrets of 4 characters or more, not shorter ones (they would mask ordinary words)", () => {
    expect(redactText("abcd in abcde", ["abcd"])).toBe("[REDACTED] in [REDACTED]e");
    expect(redactText("abc in abcde", ["abc"])).toBe("abc in abcde");
  });

  it("masks bearer and basic credentials, however many spaces follow the scheme", () => {
    expect(redactText("authorization: Bearer abc.def-ghi")).toBe("authorization: Bearer [REDACTED]");
    expect(redactText("Bearer   abc")).toBe("Bearer [REDACTED]");
    expect(redactText("basic dXNlcjpwYXNz=")).toBe("basic [REDACTED]");
  });

  it("masks JSON string fields with secret-looking names, with or without spaces around the colon", () => {
    expect(redactText('{"token":"abc","name":"x"}')).toBe('{"token":"[REDACTED]","name":"x"}');
    expect(redactText('{"token" : "abc"}')).toBe('{"token" : "[REDACTED]"}');
    expect(redactText('{"client_secret": "abc"}')).toBe('{"client_secret": "[REDACTED]"}');
    expect(redactText('{"name": "abc"}')).toBe('{"name": "abc"}');
  });

  it("masks the same fields inside a JSON string that holds JSON (an echoed request body)", () => {
    const echoed = JSON.stringify(JSON.stringify({ password: "a\\b", name: "n" }));
    expect(redactText(echoed)).toBe(JSON.stringify(JSON.stringify({ password: "[REDACTED]", name: "n" })));
    // Oro is PHP: json_encode writes "/" as \/, which the outer string doubles to \\/ (two backslashes, then /).
    expect(redactText(String.raw`{"echo":"{\"client_secret\":\"ab\\/cd\",\"name\":\"n\"}"}`)).toBe(
      String.raw`{"echo":"{\"client_secret\":\"[REDACTED]\",\"name\":\"n\"}"}`,
    );
  });

  it("masks form and query fields with secret-looking names at the start, after ?, & or a space", () => {
    expect(redactText("token=abcdef")).toBe("token=[REDACTED]");
    expect(redactText("a=1&token=abcdef&b=2")).toBe("a=1&token=[REDACTED]&b=2");
    expect(redactText("/x?password=hunter22&x=1")).toBe("/x?password=[REDACTED]&x=1");
    expect(redactText("sent token=abcdef then")).toBe("sent token=[REDACTED] then");
    expect(redactText("mytoken=abcdef")).toBe("mytoken=[REDACTED]");
    expect(redactText("a=1&name=abcdef")).toBe("a=1&name=abcdef");
  });
});

describe("Function: bodyExcerpt", () => {
  it("collapses whitespace runs to one space and trims", () => {
    expect(bodyExcerpt("  a  b \n\t c  ", 300)).toBe("a b c");
  });

  it("cuts only a text longer than the maximum, with an ellipsis in the last place", () => {
    expect(bodyExcerpt("abcdefghij", 10)).toBe("abcdefghij");
    expect(bodyExcerpt("abcdefghijk", 10)).toBe("abcdefghi…");
    expect(bodyExcerpt("short", 10)).toBe("short");
  });

  it("scans at most 16 KiB past the excerpt's length: a body that is blank that far shows as empty", () => {
    expect(bodyExcerpt(`${" ".repeat(20_000)}tail`, 300)).toBe("");
    expect(bodyExcerpt(`${" ".repeat(10_000)}tail`, 300)).toBe("tail");
  });

  it("redacts before it cuts", () => {
    expect(bodyExcerpt('{"token":"abcdefghijklmnop"}', 14)).toBe('{"token":"[RE…');
  });
});

describe("Function: parseRetryAfter", () => {
  const now = Date.UTC(2026, 11, 1, 10);
  it("reads delta-seconds with a fraction of any length", () => {
    expect(parseRetryAfter("1.55", now)).toBe(1_550);
    expect(parseRetryAfter("12", now)).toBe(12_000);
  });

  it("ignores a value longer than 64 characters (an HTTP date is 29)", () => {
    expect(parseRetryAfter(`1${"0".repeat(63)}`, now)).toBe(Math.round(Number(`1${"0".repeat(63)}`) * 1000));
    expect(parseRetryAfter(`1${"0".repeat(64)}`, now)).toBeUndefined();
  });

  it("does not read digits after other text as seconds", () => {
    // Not delta-seconds: V8's date parser takes "x 3" for a date long past, which means "now".
    expect(parseRetryAfter("x 3", now)).toBe(0);
    expect(parseRetryAfter("3 x", now)).toBeUndefined();
  });
});
