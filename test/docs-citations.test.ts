/**
 * Every citation in the repository points inside it (docs/reference/README.md "How to cite"):
 * no file cites a team folder, a path on a machine, or a style/architecture note that is not in
 * the tree, and every `docs/reference/<file>.md §n` names a file and a section that exist.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SELF = "test/docs-citations.test.ts";

interface Problem {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

/** Citations of documents outside the repository, and the old names of the reference files. */
const OUTSIDE: readonly { readonly pattern: RegExp; readonly problem: string; readonly outsideReferenceOnly?: boolean }[] = [
  { pattern: /shared\/(?:reference|design)\b/, problem: "cites the team's shared notes; cite docs/reference/ instead" },
  { pattern: /(?<![\w.-])\/work\//, problem: "cites a path on a build machine" },
  // A path before the name (`packages/x/ARCHITECTURE.md`) is another repository's file: allowed.
  {
    pattern: /(?<![\w/.-])(?:STYLE|ARCHITECTURE)\.md/,
    problem: "cites a style/architecture note not in the repository; cite docs/reference/design.md or docs/architecture.md",
  },
  { pattern: /(?<![\w/.-])serverless-aws\.md/, problem: "old name: cite docs/reference/aws.md" },
  // Inside docs/reference/ the files link to each other by bare name.
  {
    pattern: /(?<![\w/.-])(?:oro-api|toolchain|integration-practices)\.md/,
    problem: "bare reference name: cite docs/reference/<file>.md",
    outsideReferenceOnly: true,
  },
  { pattern: /(?<![\w/.-])integration-practices §/, problem: "bare reference name: cite docs/reference/integration-practices.md" },
];

/** `docs/reference/x.md §n` (or `section n`), also across a line break in a comment, and lists `§a, §b`. */
const CITATION = /docs\/reference\/([\w.-]+\.md)`?(\s*(?:\n\s*(?:\*|\/\/|#)?\s*)?(?:§|section )\d+(?:\.\d+)*(?:(?:,| and)\s*(?:§|section )\d+(?:\.\d+)*)*)/g;
/** Short form defined by docs/oro-client.md: `[oro-api §n]`. */
const ORO_SHORT = /\[oro-api (§\d+(?:\.\d+)*(?:,\s*§\d+(?:\.\d+)*)*)\]/g;
const HEADING = /^#{1,6}\s+(?:§\s*)?(\d+(?:\.\d+)*)\.?\s/gm;

/** The section numbers a reference file has, or `undefined` when it has no numbered headings. */
const sectionsOf = (text: string): ReadonlySet<string> | undefined => {
  const numbers = new Set([...text.matchAll(HEADING)].map((m) => m[1] as string));
  return numbers.size > 0 ? numbers : undefined;
};

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/**
 * The citation problems of a set of files. `readReference(name)` returns the text of
 * docs/reference/<name>, or undefined when there is no such file.
 */
const citationProblems = (files: readonly { path: string; text: string }[], readReference: (name: string) => string | undefined): Problem[] => {
  const problems: Problem[] = [];
  const checkSections = (file: string, index: number, text: string, name: string, sections: string) => {
    const target = readReference(name);
    if (target === undefined) {
      problems.push({ file, line: lineAt(text, index), problem: `docs/reference/${name} does not exist` });
      return;
    }
    const known = sectionsOf(target);
    if (known === undefined) return;
    for (const [, section] of sections.matchAll(/(?:§|section )(\d+(?:\.\d+)*)/g)) {
      if (!known.has(section as string)) problems.push({ file, line: lineAt(text, index), problem: `docs/reference/${name} has no section §${section}` });
    }
  };
  for (const { path, text } of files) {
    const inReference = path.startsWith("docs/reference/");
    text.split("\n").forEach((line, i) => {
      for (const rule of OUTSIDE) {
        if (rule.outsideReferenceOnly && inReference) continue;
        if (rule.pattern.test(line)) problems.push({ file: path, line: i + 1, problem: rule.problem });
      }
    });
    for (const m of text.matchAll(CITATION)) checkSections(path, m.index, text, m[1] as string, m[2] as string);
    for (const m of text.matchAll(ORO_SHORT)) checkSections(path, m.index, text, "oro-api.md", m[1] as string);
  }
  return problems;
};

/** Tracked files plus new ones not ignored, as git sees them; text files only. */
const repositoryFiles = () =>
  execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter((path) => path !== "" && path !== SELF && path !== "package-lock.json" && existsSync(join(ROOT, path)))
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }))
    .filter(({ text }) => !text.includes("\0"));

const readRepositoryReference = (name: string) => {
  const path = join(ROOT, "docs", "reference", name);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
};

describe("citations", () => {
  it("point inside the repository, at reference files and sections that exist", () => {
    const files = repositoryFiles();
    expect(files.some((f) => f.path === "docs/reference/oro-api.md")).toBe(true);
    // The patterns must see the citations at all: the tree has well over 60 of them.
    expect(files.reduce((n, f) => n + [...f.text.matchAll(CITATION)].length, 0)).toBeGreaterThan(60);
    expect(citationProblems(files, readRepositoryReference)).toEqual([]);
  });

  it("flags each kind of outside citation, with its line", () => {
    const text = [
      "see ../shared/reference/oro-api.md section 4",
      "see /work/shared/design/STYLE.md",
      "(ARCHITECTURE.md section 3)",
      "(serverless-aws.md 3.3)",
      "(toolchain.md section 5)",
      "(integration-practices §2.6)",
      "fine: oroinc/activepieces-piece:packages/orocommerce/ARCHITECTURE.md, docs/architecture.md",
    ].join("\n");
    expect(citationProblems([{ path: "shared/x.ts", text }], () => undefined).map((p) => [p.line, p.problem])).toEqual([
      [1, "cites the team's shared notes; cite docs/reference/ instead"],
      [2, "cites the team's shared notes; cite docs/reference/ instead"],
      [2, "cites a path on a build machine"],
      [3, "cites a style/architecture note not in the repository; cite docs/reference/design.md or docs/architecture.md"],
      [4, "old name: cite docs/reference/aws.md"],
      [5, "bare reference name: cite docs/reference/<file>.md"],
      [6, "bare reference name: cite docs/reference/integration-practices.md"],
    ]);
  });

  it("checks the file and the section of docs/reference citations, also across lines and in lists", () => {
    const reference: Record<string, string> = {
      "oro-api.md": "# Oro\n\n## 4. Upsert\n\n### 4.1 Keys\n\n## 5. Batch\n",
      "plain.md": "# No numbered sections\n",
    };
    const text = [
      "ok (docs/reference/oro-api.md §4), (docs/reference/oro-api.md §4.1, §5), docs/reference/plain.md §9",
      "bad docs/reference/oro-api.md §4.2 and docs/reference/missing.md §1",
      " * wrapped (docs/reference/oro-api.md",
      " * §7); short [oro-api §5] [oro-api §6]",
      "list: `docs/reference/oro-api.md` §4, §8",
      "words: docs/reference/oro-api.md section 5, docs/reference/oro-api.md section 3",
    ].join("\n");
    expect(citationProblems([{ path: "docs/x.md", text }], (name) => reference[name]).map((p) => [p.line, p.problem])).toEqual([
      [2, "docs/reference/oro-api.md has no section §4.2"],
      [2, "docs/reference/missing.md does not exist"],
      [3, "docs/reference/oro-api.md has no section §7"],
      [5, "docs/reference/oro-api.md has no section §8"],
      [6, "docs/reference/oro-api.md has no section §3"],
      [4, "docs/reference/oro-api.md has no section §6"],
    ]);
  });
});
