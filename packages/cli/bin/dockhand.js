#!/usr/bin/env node
// Node 22+ keeps compiled bytecode of the bundle between runs, which roughly halves start-up; elsewhere a no-op.
import module from "node:module"
module.enableCompileCache?.()
await import("../dist/dockhand.js")
