import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const course = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin", "course.js"), "env", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, COURSE_GPU: "off" } });

test("course env prints the backend line, the GPU status and why each faster option was passed over (as the JSON's `tried`)", () => {
  const json = course("--json");
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { backend: string; tried: string[]; gpu: { reason?: string } };
  const text = course();
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.split("\n");
  assert.match(lines[0]!, new RegExp(`^${report.backend} · `));
  assert.match(lines[1]!, /^GPU: (found|not found)/);
  assert.deepEqual(lines.filter((l) => l.startsWith("passed over: ")), report.tried.map((why) => `passed over: ${why}`));
});
