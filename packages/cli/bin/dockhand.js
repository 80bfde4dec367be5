#!/usr/bin/env node
// The installed `dockhand`: the bundle's entry turns on Node's compile cache, sends the command's first read ahead
// and loads the program (see packages/cli/src/launch.ts).
import "../dist/dockhand.js"
