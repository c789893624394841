/**
 * Where the course lives on disk: the repository root (found from this file, so it works from `lib/`,
 * `lib/dist/` and the kernel's `notebooks/` folder alike) and the git-ignored output folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The folder of the `llm-course` package.json above this file, or null when the library runs elsewhere. */
export function repoRoot(from: string = __dirname): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "llm-course") return dir;
      } catch {
        // an unreadable package.json: keep walking up
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/** `COURSE_OUT`, else `<repo>/out`, else `./out`: executed notebooks, reports, cached models. */
export function courseOutDir(...parts: string[]): string {
  const base = process.env["COURSE_OUT"] || join(repoRoot() ?? process.cwd(), "out");
  return join(resolve(base), ...parts);
}
