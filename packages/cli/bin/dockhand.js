#!/usr/bin/env node
import "../dist/dockhand.js"
