/**
 * Jupyter's own kernel conformance suite (Debian `python3-jupyter-kernel-test`, `jupyter_kernel_test`) runs
 * against the course kernel, installed into a temporary prefix (JUPYTER_PATH): kernel_info, stdout/stderr,
 * completion, is_complete, pager, error, execute_result, display_data, history, inspect, clear_output.
 * The test cases live in `conformance.py`; every one must pass (none skipped).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const PYTHON = "/usr/bin/python3";

test("jupyter_kernel_test passes in full against the course kernel", { timeout: 10 * 60_000 }, () => {
  const probe = spawnSync(PYTHON, ["-c", "import jupyter_kernel_test"], { encoding: "utf8" });
  assert.equal(probe.status, 0, `${PYTHON} lacks jupyter_kernel_test: apt-get install python3-jupyter-kernel-test\n${probe.stderr}`);
  const tmp = mkdtempSync(join(tmpdir(), "kernel-conformance-"));
  try {
    const install = spawnSync(process.execPath, [join(root, "scripts", "install-kernel.mjs"), `--prefix=${tmp}`], { encoding: "utf8" });
    assert.equal(install.status, 0, `kernel install failed:\n${install.stdout}\n${install.stderr}`);
    const env = { ...process.env, JUPYTER_PATH: join(tmp, "share", "jupyter"), JUPYTER_RUNTIME_DIR: join(tmp, "runtime"), PYTHONPATH: __dirname };
    const run = spawnSync(PYTHON, ["-m", "unittest", "-v", "conformance"], { cwd: root, env, encoding: "utf8", timeout: 9 * 60_000 });
    const report = run.stderr;
    assert.equal(run.status, 0, `jupyter_kernel_test failed:\n${report.split("\n").slice(-80).join("\n")}`);
    // Every case filled in: unittest reports skips as "skipped"; none may be.
    assert.doesNotMatch(report, /skipped/, `some conformance cases were skipped:\n${report}`);
    assert.match(report, /Ran 1[2-9] tests/, report);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
