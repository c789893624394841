#!/usr/bin/env node
// The `course` command. Runs the TypeScript sources directly (tsx), so it never lags behind `lib/`.
require("tsx/cjs/api").register();
require("../lib/cli/main.ts");
