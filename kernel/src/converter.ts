/**
 * tslab's cell compiler (`tslab/dist/converter`), loaded so that it also emits source maps.
 *
 * tslab compiles a cell in two stages: the TypeScript watch program emits an ES module (declarations of earlier
 * cells come from a generated `__prev__.d.ts`), then `ts.transpileModule` turns that into CommonJS. Neither stage
 * writes a source map, so runtime errors could only point at generated JavaScript. The converter module is loaded
 * here with its own `require`, which hands it a view of TypeScript whose `createWatchCompilerHost` adds
 * `inlineSourceMap` (stage 1) and whose `transpileModule` adds `sourceMap` and keeps both maps (stage 2);
 * `mapPosition` composes them. tslab's code is used unchanged.
 */
import Module from "node:module";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
// Types only: tslab ships typings for its converter and its TypeScript fork.
import type * as tsNs from "@tslab/typescript-for-tslab";
import type { Converter, createConverter as CreateConverter, isCompleteCode as IsCompleteCode } from "tslab/dist/converter";

export type { Converter, ConvertResult, Diagnostic } from "tslab/dist/converter";

/** The TypeScript tslab compiles with (5.0.4, tslab's fork with completion hooks). */
export const ts: typeof tsNs = require("@tslab/typescript-for-tslab");

/** A zero-based position in a cell's TypeScript source. */
export interface CellPosition {
  line: number;
  column: number;
}

/** Stage-2 maps by the CommonJS text they produced (the executor looks its output up here). */
const compiled = new Map<string, { stage1: Module.SourceMap | undefined; stage2: Module.SourceMap }>();

const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

function parseMap(json: string): Module.SourceMap | undefined {
  try {
    return new Module.SourceMap(JSON.parse(json) as Module.SourceMapPayload);
  } catch {
    return undefined;
  }
}

/** A view of TypeScript for tslab's converter: two functions changed, everything else read through. */
const tsForConverter = new Proxy(ts, {
  get(target, key, receiver) {
    if (key === "createWatchCompilerHost") {
      // any: the overloads of createWatchCompilerHost do not survive a rest-argument forward.
      return (rootFiles: string[], options: tsNs.CompilerOptions, ...rest: any[]) =>
        (target.createWatchCompilerHost as any)(rootFiles, { ...options, inlineSourceMap: true }, ...rest);
    }
    if (key === "transpileModule") {
      return (input: string, transpileOptions: tsNs.TranspileOptions) => {
        const inline = INLINE_MAP.exec(input);
        const source = inline ? input.slice(0, inline.index) : input;
        const result = target.transpileModule(source, {
          ...transpileOptions,
          compilerOptions: { ...transpileOptions.compilerOptions, sourceMap: true, inlineSourceMap: false },
        });
        const outputText = result.outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
        const stage2 = result.sourceMapText === undefined ? undefined : parseMap(result.sourceMapText);
        if (stage2) {
          const stage1 = inline?.[1] === undefined ? undefined : parseMap(Buffer.from(inline[1], "base64").toString("utf8"));
          compiled.set(outputText, { stage1, stage2 });
        }
        return { ...result, outputText };
      };
    }
    return Reflect.get(target, key, receiver);
  },
});

/** Loads `tslab/dist/converter.js` as a fresh module whose `require("@tslab/typescript-for-tslab")` is the view above. */
function loadConverterModule(): { createConverter: typeof CreateConverter; isCompleteCode: typeof IsCompleteCode } {
  const filename = require.resolve("tslab/dist/converter");
  const mod = new Module(filename, module);
  mod.filename = filename;
  // any: `_nodeModulePaths` and `_compile` are Node's internal CommonJS loader API (what tslab itself uses).
  mod.paths = (Module as any)._nodeModulePaths(dirname(filename));
  const plain = mod.require.bind(mod);
  mod.require = Object.assign((id: string) => (id === "@tslab/typescript-for-tslab" ? tsForConverter : plain(id)), plain);
  (mod as any)._compile(readFileSync(filename, "utf8"), filename);
  return mod.exports as { createConverter: typeof CreateConverter; isCompleteCode: typeof IsCompleteCode };
}

const converterModule = loadConverterModule();

/**
 * A tslab converter for Node.js cells (the TypeScript watch program: ~1 s to create).
 * @returns tslab's `Converter`: `convert(prevDecl, src)`, `inspect`, `complete`, `addModule`, `close`
 */
export function createConverter(): Converter {
  return converterModule.createConverter({ isJS: false, isBrowser: false });
}

/** tslab's parser-based completeness check (used for "incomplete": the parser wants more at the very end). */
export const isCompleteCode: typeof IsCompleteCode = converterModule.isCompleteCode;

/**
 * Takes the source maps of a cell's CommonJS output (once: the entry is removed).
 * @returns a function from a zero-based position in `output` to the position in the cell's TypeScript
 *   (undefined where the maps say nothing, e.g. generated `exports.x = x` lines)
 */
export function takeSourceMap(output: string): ((line: number, column: number) => CellPosition | undefined) | undefined {
  const maps = compiled.get(output);
  compiled.clear();
  if (!maps) return undefined;
  const { stage1, stage2 } = maps;
  return (line, column) => {
    const mid = stage2.findEntry(line, column);
    // `findEntry` answers with the nearest mapping before the position: one on another line is not this code.
    if (!("originalLine" in mid) || mid.generatedLine !== line) return undefined;
    if (!stage1) return undefined;
    const original = stage1.findEntry(mid.originalLine, mid.originalColumn);
    if (!("originalLine" in original)) return undefined;
    // tslab prepends one line (`export {};`) to every cell.
    if (original.originalLine < 1) return undefined;
    return { line: original.originalLine - 1, column: original.originalColumn };
  };
}
