/**
 * Secret redaction (shared/observability/redaction.ts, secret-forms.ts) and the error shape of a
 * log line (logger.ts), through the public functions only. Each test registers values of its
 * own (the registry lives as long as the container), so no test depends on another's.
 */
import { describe, expect, it } from "vitest";
import {
  base64Cores,
  connectorMetricDimensions,
  connectorServiceName,
  createRootLogger,
  phpJsonEscape,
  redact,
  redactAndCut,
  registerSecretValues,
  registerToken,
  resolveServiceName,
  SecretRedactor,
  secretForms,
} from "../shared/observability";

let counter = 0;
/** A secret no other test registered. */
const unique = (label: string) => `${label}-${++counter}-${Math.random().toString(36).slice(2, 10)}`;

describe("Function: secretForms", () => {
  it("gives each distinct form a secret takes in a text, raw first", () => {
    expect(secretForms('a/b c+é"')).toEqual([
      { form: "raw", text: 'a/b c+é"' },
      { form: "url", text: "a%2Fb%20c%2B%C3%A9%22" },
      { form: "url-lower", text: "a%2fb%20c%2b%c3%a9%22" },
      { form: "form", text: "a%2Fb+c%2B%C3%A9%22" },
      { form: "url-double", text: "a%252Fb%2520c%252B%25C3%25A9%2522" },
      { form: "json", text: 'a/b c+é\\"' },
      { form: "php-json", text: 'a\\/b c+\\u00e9\\"' },
      { form: "php-json-hex", text: "a\\/b c+\\u00e9\\u0022" },
      { form: "hex", text: "612f6220632bc3a922" },
      { form: "hex-upper", text: "612F6220632BC3A922" },
      { form: "base64", text: "YS9iIGMrw6ki" },
      { form: "base64", text: "EvYiBjK8OpI" },
      { form: "base64", text: "hL2IgYyvDqS" },
    ]);
  });

  it("a plain word has no encoded forms but hex and base64; base64 with + or / has a base64url form", () => {
    expect(secretForms("plainword1").map((f) => f.form)).toEqual(["raw", "hex", "hex-upper", "base64", "base64", "base64"]);
    const forms = secretForms("??>??>");
    expect(forms.filter((f) => f.form === "base64url").map((f) => f.text)).toContain("Pz8-Pz8-");
    expect(forms.filter((f) => f.form === "base64").map((f) => f.text)).toContain("Pz8+Pz8+");
  });

  it("PHP's json_encode escapes slashes and writes non-ASCII as lower-case UTF-16 escapes", () => {
    expect(phpJsonEscape('x/y é 😀 "q" \\ \n')).toBe('x\\/y \\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\n');
  });

  it("base64 cores are the alignment-independent characters, for each of the three offsets, at least 6 long", () => {
    expect(base64Cores("id:secret-value")).toEqual(["aWQ6c2VjcmV0LXZhbHVl", "lkOnNlY3JldC12YWx1Z", "pZDpzZWNyZXQtdmFsdW"]);
    expect(base64Cores("abcd")).toEqual([]);
  });
});

describe("Function: secretForms (edges)", () => {
  it("Symfony's hex escapes for < > & ' and the base64url of a core with /", () => {
    expect(secretForms("a<b>&'c~").find((f) => f.form === "php-json-hex")?.text).toBe("a\\u003Cb\\u003E\\u0026\\u0027c~");
    // "~" (0x7e) is ASCII: PHP leaves it as it is.
    expect(phpJsonEscape("a~b\u007f")).toBe("a~b\\u007f");
    expect(
      secretForms("??????")
        .filter((f) => f.form === "base64url")
        .map((f) => f.text),
    ).toEqual(["Pz8_Pz8_", "8_Pz8_P", "_Pz8_Pz"]);
  });

  it("keeps a base64 core of exactly 6 characters", () => {
    expect(base64Cores("abcde")).toEqual(["YWJjZG", "FiY2Rl", "hYmNkZ"]);
  });
});

describe("Class: SecretRedactor (a registry of its own)", () => {
  it("ignores a sensitive value under 4 characters in every form; a 4-character token counts", () => {
    const redactor = new SecretRedactor();
    redactor.registerSecretValues({ token: "abc" });
    expect(redactor.redact("abc 616263 YWJj")).toBe("abc 616263 YWJj");
    redactor.registerToken("q7Zx");
    expect(redactor.redact("q7Zx")).toBe("***");
  });
});

describe("Functions: service names", () => {
  it("POWERTOOLS_SERVICE_NAME wins when set (trimmed), else the code's name", () => {
    expect(resolveServiceName("code-name", { POWERTOOLS_SERVICE_NAME: "  main-akeneo-products " })).toBe("main-akeneo-products");
    expect(resolveServiceName("code-name", { POWERTOOLS_SERVICE_NAME: "  " })).toBe("code-name");
    expect(resolveServiceName("code-name", {})).toBe("code-name");
  });

  it("a connector's service is <integration>-<connector>, its dimensions service, connector, integration", () => {
    expect(connectorServiceName("main", "akeneo-products")).toBe("main-akeneo-products");
    expect(connectorMetricDimensions("main", "akeneo-products")).toStrictEqual({
      service: "main-akeneo-products",
      connector: "akeneo-products",
      integration: "main",
    });
  });
});

describe("Function: registerSecretValues and redact", () => {
  it("masks the values of credential-named keys at any depth, arrays included, and leaves identifiers", () => {
    const secret = unique("pw");
    const listed = unique("key-in-list");
    const user = unique("username");
    registerSecretValues({
      baseUrl: "https://oro.example.com",
      username: user,
      nested: { password: secret },
      apiKeys: [listed, { other: listed }],
      short: { token: "abc" },
    });
    expect(redact(`a ${secret} b ${listed} c ${user} https://oro.example.com abc`)).toBe(`a *** b *** c ${user} https://oro.example.com abc`);
    // Each form of the secret too (here: URL-encoded and hex).
    expect(redact(encodeURIComponent(`${secret}/`))).toBe(`***${encodeURIComponent("/")}`);
    expect(redact(Buffer.from(secret).toString("hex"))).toBe("***");
  });

  it("an array under a key that names no credential is not masked", () => {
    const plain = unique("plain-list");
    registerSecretValues({ items: [plain] });
    expect(redact(plain)).toBe(plain);
  });

  it("a secret stored as a bare string is masked whole; one under 4 characters never", () => {
    const bare = unique("bare");
    registerSecretValues(bare);
    registerSecretValues("xyz");
    expect(redact(`${bare} xyz`)).toBe("*** xyz");
  });

  it("masks a longer secret whole when it contains a shorter one", () => {
    const short = unique("s");
    const long = `${short}-and-more`;
    registerSecretValues({ secret: short });
    registerSecretValues({ secret: long });
    expect(redact(`${long} ${short}`)).toBe("*** ***");
  });

  it("registering values already known changes nothing", () => {
    const secret = unique("again");
    registerSecretValues({ secret });
    registerSecretValues({ secret });
    expect(redact(secret)).toBe("***");
  });

  it("redactAndCut redacts first, then cuts with an ellipsis", () => {
    const secret = unique("cut");
    registerSecretValues({ token: secret });
    expect(redactAndCut(`${secret}0123456789`, 8)).toBe("***0123…");
    expect(redactAndCut(`${secret}01`, 5)).toBe("***01");
    expect(redactAndCut("", 5)).toBe("");
  });
});

describe("Function: registerToken", () => {
  it("masks the 32 most recent tokens; the oldest is forgotten when a 33rd comes", () => {
    const issued = Array.from({ length: 33 }, () => unique("tok"));
    for (const token of issued) registerToken(token);
    expect(redact(issued[0] as string)).toBe(issued[0]);
    for (const token of issued.slice(1)) expect(redact(token)).toBe("***");
  });

  it("a repeated token takes one place only; short and empty ones are ignored", () => {
    const first = unique("first");
    registerToken(first);
    registerToken(first);
    registerToken("ab");
    registerToken(undefined);
    for (let i = 0; i < 31; i += 1) registerToken(unique("fill"));
    // 1 + 31 = 32 distinct tokens: the first is still there.
    expect(redact(first)).toBe("***");
    expect(redact("ab")).toBe("ab");
  });

  it("a token that is a registered secret value takes no token place", () => {
    const both = unique("both");
    registerSecretValues({ secret: both });
    const first = unique("first-token");
    registerToken(first);
    registerToken(both);
    for (let i = 0; i < 31; i += 1) registerToken(unique("fill"));
    expect(redact(first)).toBe("***");
    expect(redact(both)).toBe("***");
  });
});

describe("Function: createRootLogger (error shape)", () => {
  /** Log lines `work` writes, as JSON. */
  const logged = (work: () => void): Array<Record<string, unknown>> => {
    const chunks: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const capture = ((chunk: string) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = "INFO";
    process.stdout.write = capture;
    process.stderr.write = capture;
    try {
      work();
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
      process.env.POWERTOOLS_LOG_LEVEL = level;
    }
    return chunks
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };

  it("an untyped error keeps its first 8 stack frames, joined by ' | '", () => {
    const deep = (n: number): Error => (n === 0 ? new Error("deep failure") : deep(n - 1));
    const error = deep(20);
    const [line] = logged(() => createRootLogger("frames-test").error("failed", { error }));
    const stack = (line?.error as { stack: string }).stack;
    const frames = stack.split(" | ");
    expect(frames).toHaveLength(8);
    expect(frames).toEqual(
      (error.stack ?? "")
        .split("\n")
        .slice(1, 9)
        .map((l) => l.trim()),
    );
  });
});
