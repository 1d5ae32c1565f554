#!/usr/bin/env node
import { main } from "../program.js";
import { compileOnOwnThread } from "./compile-on-own-thread.js";
import { invocationDirectory } from "./invocation-directory.js";

// `pnpm mstress` runs the workspace script from the repository root; relative paths are the user's, so every
// file argument and --out is taken from the directory the command was typed in.
process.chdir(invocationDirectory(process.env, process.cwd()));
compileOnOwnThread();
process.exitCode = await main(process.argv.slice(2));
