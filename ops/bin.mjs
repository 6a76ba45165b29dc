#!/usr/bin/env node
// The `oro-connectors` bin: registers tsx in this process and runs the TypeScript CLI (ops/cli.ts).
import { register } from "tsx/esm/api";

register();
const { run } = await import("./cli.ts");
process.exitCode = await run(process.argv.slice(2));
