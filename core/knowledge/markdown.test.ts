import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { markdownToText } from "./markdown";

/** Markdown-ish text: the characters and fragments each step of the clean-up looks for. */
const markdownish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "```",
        "```js\n",
        "#",
        "## ",
        "####### ",
        "\n",
        "\r",
        "\u2028",
        " ",
        "\t",
        "\u00a0",
        "*",
        "_",
        "`",
        ">",
        "a",
        "b1",
        "!",
        "\n# ",
      ),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

describe("markdownToText", () => {
  it("gives the same text as the regular expressions it replaced, for any input", () => {
    fc.assert(
      fc.property(markdownish, (md) => {
        expect(markdownToText(md)).toBe(legacyMarkdownToText(md));
      }),
      { numRuns: 5000 },
    );
  });

  it("keeps link labels, alt text and code, drops the markup", () => {
    expect(markdownToText("# Prices\n\n**Cut**: [see list](https://x.test) `now`")).toBe("Prices\n\nCut: see list now");
    expect(markdownToText("![a logo](l.png) [![badge](b.svg)](x) ```sh\nnpm i\n``` > quoted\n####### seven")).toBe(
      "a logo badge \nnpm i\n  quoted\n####### seven",
    );
  });
});

// The regular expressions markdownToText replaced backtracked quadratically on each input below
// and took minutes (at 2 MB; an upload may be 5); a test that finishes is the check. 20 s leaves
// room for a loaded machine: the passes need well under a second.
describe("markdownToText in linear time", () => {
  const n = 2_000_000;
  const cases: [string, string, string][] = [
    ["a run of `[`", "[".repeat(n), "[".repeat(n)],
    ["images never closed", "![".repeat(n / 2), "![".repeat(n / 2)],
    ["links never closed", "[a](".repeat(n / 4), "[a](".repeat(n / 4)],
    // Linear before too: guards for the passes over labels, fences, headings and emphasis.
    ["labels never followed by a url", "[a]".repeat(n / 3), "[a]".repeat(n / 3)],
    ["backticks", "`".repeat(n), ""],
    ["fences never closed", `\`\`\`${"a".repeat(n)}`, "a".repeat(n)],
    ["too many #", `${"#".repeat(n)} x`, `${"#".repeat(n)} x`],
    ["emphasis", "*".repeat(n), ""],
  ];
  for (const [name, input, expected] of cases)
    it(name, { timeout: 20_000 }, () => {
      expect(markdownToText(input)).toBe(expected);
    });
});

/** The regular expressions markdownToText replaced: the reference its output must equal. */
const legacyMarkdownToText = (md: string) =>
  md
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ""))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/[*_`>]/g, "")
    .trim();
