/**
 * How a cell's value becomes an `execute_result` MIME bundle.
 *
 * Convention (the kernel's counterpart of IPython's `_repr_mimebundle_`): a value that has a method
 * `toMimeBundle()` returning `{ "text/html": …, "application/vnd.plotly.v1+json": …, "application/json": … }`
 * is shown through that bundle; every value also gets `text/plain` (its own entry if the bundle has one,
 * otherwise Node's `util.inspect`, as `console.log` prints it). `MIME_BUNDLE` names the method for typed code.
 */
import { inspect } from "node:util";

/** A Jupyter MIME bundle: MIME type → content (strings, or JSON for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** The method name a value implements to choose its own rich output. */
export const MIME_BUNDLE = "toMimeBundle";

/** A value that presents itself to Jupyter. */
export interface HasMimeBundle {
  toMimeBundle(): MimeBundle;
}

/** True when `value` offers `toMimeBundle()`. */
export function hasMimeBundle(value: unknown): value is HasMimeBundle {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as Partial<HasMimeBundle>)[MIME_BUNDLE] === "function";
}

/**
 * The bundle of a value.
 * @returns `text/plain` always, plus what `toMimeBundle()` offers; a throwing or malformed `toMimeBundle`
 *   falls back to `text/plain` alone with a note (a broken display must not fail the cell)
 */
export function mimeBundleOf(value: unknown): MimeBundle {
  const plain = inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 10_000 });
  if (!hasMimeBundle(value)) return { "text/plain": plain };
  let offered: unknown;
  try {
    offered = value.toMimeBundle();
  } catch (error) {
    return { "text/plain": `${plain}\n(toMimeBundle() threw: ${String((error as Error)?.message ?? error)})` };
  }
  if (typeof offered !== "object" || offered === null || Array.isArray(offered)) {
    return { "text/plain": `${plain}\n(toMimeBundle() returned ${inspect(offered)}, not a { mimeType: content } object)` };
  }
  const bundle: MimeBundle = {};
  for (const [mime, content] of Object.entries(offered)) {
    if (!mime.includes("/") || content === undefined) continue;
    bundle[mime] = content;
  }
  if (typeof bundle["text/plain"] !== "string") bundle["text/plain"] = plain;
  return bundle;
}
