/**
 * How a worker thread loads one of this folder's entry files, from source (`.ts`, through tsx) or from
 * `lib/dist` (`.js`). Shared by the data-parallel trainer and the SPMD runner.
 */
import { extname, join } from "node:path";

/** The `eval` code that starts `lib/parallel/<entry>.ts|js` in a worker, registering tsx when it is installed. */
export function workerBootstrap(entry: string): string {
  const file = join(__dirname, `${entry}${extname(__filename)}`); // .ts from source, .js from lib/dist
  let tsx: string | undefined;
  try {
    tsx = require.resolve("tsx/cjs/api");
  } catch {
    tsx = undefined; // no tsx (an installed, compiled library): JavaScript modules only
  }
  const register = tsx === undefined ? "" : `require(${JSON.stringify(tsx)}).register();`;
  return `${register}require(${JSON.stringify(file)});`;
}
