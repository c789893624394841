/**
 * How a worker thread loads one of this folder's entry files, from source (`.ts`, through tsx) or from
 * `lib/dist` (`.js`). Shared by the data-parallel trainer and the SPMD runner.
 */
import { extname, join } from "node:path";

/**
 * The `eval` code that starts `lib/parallel/<entry>.ts|js` in a worker. tsx is registered (when installed) if the
 * library runs from source or `userModule` (the task or program the worker will load) is TypeScript.
 */
export function workerBootstrap(entry: string, userModule = ""): string {
  const file = join(__dirname, `${entry}${extname(__filename)}`); // .ts from source, .js from lib/dist
  const typescript = extname(__filename) === ".ts" || /\.[cm]?tsx?$/.test(userModule);
  let tsx: string | undefined;
  try {
    tsx = typescript ? require.resolve("tsx/cjs/api") : undefined;
  } catch {
    tsx = undefined; // no tsx (an installed, compiled library): JavaScript modules only
  }
  const register = tsx === undefined ? "" : `require(${JSON.stringify(tsx)}).register();`;
  return `${register}require(${JSON.stringify(file)});`;
}
