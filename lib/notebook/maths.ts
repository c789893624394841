/**
 * Markdown with maths for the report, rendered the way Jupyter and nbconvert read a notebook's markdown:
 * `$…$` inline and `$$…$$` display maths (typeset with KaTeX at build time, so the page needs no script), `\$` a
 * literal dollar, code spans and blocks left alone. KaTeX's stylesheet goes into the page with only the fonts the
 * rendered maths uses, as data URIs, so the report stays offline.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Marked } from "marked";
import type { MarkedExtension } from "marked";

// The package is ESM-typed with a CommonJS build (`module.exports = markedKatex`); required so this CommonJS
// library can load it.
const markedKatex = require("marked-katex-extension") as (options: Record<string, unknown>) => MarkedExtension;

/** One `marked` instance with the KaTeX extension (the global `marked` stays as other code left it). */
const markdown = new Marked(
  // nonStandard: a `$` need not follow a space, as in Jupyter ("grows $10^b$-fold");
  // throwOnError false: a bad formula shows in red with KaTeX's message instead of failing the report.
  markedKatex({ nonStandard: true, throwOnError: false, output: "htmlAndMathml" }),
);

/** Markdown (with `$…$` / `$$…$$` maths) → HTML. */
export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

/** The folder of KaTeX's built CSS and fonts. */
function katexDist(): string {
  return join(dirname(require.resolve("katex/package.json")), "dist");
}

/**
 * KaTeX's stylesheet for `html` (rendered maths): the rules as shipped, with `@font-face` kept only for the font
 * families `html` uses, each as an inline woff2 (every browser since 2016 reads woff2); "" when `html` holds no maths.
 */
export function katexCss(html: string): string {
  if (!html.includes('class="katex')) return "";
  const dist = katexDist();
  const css = readFileSync(join(dist, "katex.min.css"), "utf8");
  const classes = new Set([...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => (m[1] ?? "").split(/\s+/)));
  const families = new Set(["KaTeX_Main"]); // `.katex` itself is set in KaTeX_Main
  for (const rule of css.matchAll(/([^{}@]+)\{([^{}]*font-family:(KaTeX_\w+)[^{}]*)\}/g)) {
    if ((rule[1] ?? "").includes("font-face")) continue;
    const selectors = (rule[1] ?? "").split(",");
    const used = selectors.some((selector) => [...selector.matchAll(/\.([\w-]+)/g)].every((c) => c[1] === "katex" || classes.has(c[1] ?? "")));
    if (used) families.add(rule[3] ?? "");
  }
  return css.replace(/@font-face\{([^}]*)\}/g, (face, body: string) => {
    const family = /font-family:(KaTeX_\w+)/.exec(body)?.[1] ?? "";
    const woff2 = /url\((fonts\/[\w-]+\.woff2)\)/.exec(body)?.[1];
    if (!families.has(family) || woff2 === undefined) return "";
    const data = readFileSync(join(dist, woff2)).toString("base64");
    return `@font-face{${body.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`)}}`;
  });
}
