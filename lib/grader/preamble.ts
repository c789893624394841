/**
 * The cell the grader sends after the notebook's setup cells and before any student cell: it freezes what a test
 * cell's verdict depends on, so student code cannot make a failing check pass by patching it:
 * - the exports (and exported classes' prototypes, not their static fields) of every module already loaded from the course library, the
 *   kernel and tfjs (`checkClose`, `tf.Tensor.prototype.dataSync`, the kernel's executor, `lib/metrics`, …), so a
 *   test cell that imports them again gets the originals;
 * - Node's `vm`, `module`, `crypto` and `buffer` modules and the kernel's cell bridge (`__courseKernel__`);
 * - the built-ins the kernel's reply path and the checks use (JSON, Reflect, Object/Array/Function/Promise/String
 *   prototypes, Number, Math, Object.is, Buffer).
 * A test passes iff the kernel's `execute_reply` for the grader's request says `ok`: nothing the cell prints counts.
 */

/** The preamble's TypeScript (no imports: it reads modules already loaded through `require.cache`). */
export const HARDENING_CELL = String.raw`{
  const __freeze = (value: any): void => {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return;
    try { Object.freeze(value); } catch { /* exotic objects (proxies) stay as they are */ }
  };
  const __sealModule = (exports: any): void => {
    if ((typeof exports !== "object" && typeof exports !== "function") || exports === null) return;
    for (const key of Object.getOwnPropertyNames(exports)) {
      let value: any;
      try { value = exports[key]; } catch { continue; }
      // Classes keep their static fields writable (tfjs counts ids in them); their methods are frozen.
      if (typeof value === "function" && value.prototype) __freeze(value.prototype);
    }
    __freeze(exports);
  };
  const __Module: any = require("module");
  const __guarded = /[\\/](lib|kernel)[\\/]dist[\\/]|[\\/]node_modules[\\/](@tensorflow|zeromq)[\\/]/;
  for (const [file, mod] of Object.entries(__Module._cache as Record<string, any>)) {
    if (__guarded.test(file)) __sealModule(mod.exports);
  }
  for (const name of ["vm", "crypto", "buffer"]) __freeze(require(name));
  __freeze(__Module);
  __freeze(__Module.prototype);
  __freeze(__Module._extensions);
  __freeze((globalThis as any).__courseKernel__);
  for (const value of [JSON, Reflect, Math, Number, Object, Buffer, Array.prototype, Function.prototype, Promise.prototype, String.prototype, Promise, Array]) __freeze(value);
}`;
