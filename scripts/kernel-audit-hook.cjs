// Preloaded by scripts/kernel-audit.mjs (node --require): notes the name of every kernel tfjs runs in this process
// and appends them to $KERNEL_AUDIT_OUT at exit. Kernel names do not depend on the backend.
"use strict";
const { appendFileSync } = require("node:fs");
const tf = require("@tensorflow/tfjs-core");

const names = new Set();
const engine = tf.engine();
const runKernel = engine.runKernel;
engine.runKernel = function (kernelName, ...rest) {
  names.add(kernelName);
  return runKernel.call(this, kernelName, ...rest);
};
process.on("exit", () => {
  if (names.size > 0) appendFileSync(process.env.KERNEL_AUDIT_OUT, [...names].join("\n") + "\n");
});
