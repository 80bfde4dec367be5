// `dockhand --node-snapshot` (bin/dockhand.js runs this file for it): builds the Node start-up snapshot of `dockhand`
// for the Node that runs it (the one `dockhand` runs on), so that `dockhand` starts with the whole program already
// loaded. See bin/node-snapshot.js for where it is kept and when it is used.
//
//   dockhand --node-snapshot          build it (again), check it, keep it; snapshots of other versions of this
//                                     Node or of dockhand that this Node built are removed
//   dockhand --node-snapshot=remove   remove every snapshot dockhand keeps
//
// The snapshot is checked before it is kept: it must answer `--help` and a flag error exactly as the bundle does.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { cacheDirectory, identity, paths } from "./node-snapshot.js"

const directory = cacheDirectory()
const args = process.argv.slice(2)

/** The files of dockhand's snapshots in the directory. */
const ours = () =>
  fs.existsSync(directory) ? fs.readdirSync(directory).filter((name) => /^node-[0-9a-f]{16}\.(blob|json)$/.test(name)) : []

if (args.length === 1 && args[0] === "--remove") {
  for (const name of ours()) fs.rmSync(`${directory}/${name}`, { force: true })
  console.log(`removed dockhand's Node snapshots from ${directory}`)
  process.exit(0)
}
if (args.length > 0) {
  console.error("usage: dockhand --node-snapshot[=remove]")
  process.exit(2)
}
if (!process.versions.node || typeof process.execve !== "function") {
  console.error(`dockhand --node-snapshot: this runtime cannot start dockhand from a snapshot (Node 22.15 or later can)`)
  process.exit(1)
}

const id = identity()
const { blob, manifest } = paths(id, directory)
const program = new URL("../dist/snapshot.cjs", import.meta.url).pathname
const bundle = new URL("../dist/dockhand.js", import.meta.url).pathname
const temporary = `${blob}.${process.pid}.tmp`
// The build and the checks run without NODE_OPTIONS (a `--require` would be built into the snapshot), on a pipe.
const env = { ...process.env, NODE_OPTIONS: "", DOCKHAND_NO_PREFETCH: "1" }
const run = (argv) => spawnSync(process.execPath, argv, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

const fail = (message) => {
  fs.rmSync(temporary, { force: true })
  console.error(`dockhand --node-snapshot: ${message}`)
  process.exit(1)
}

fs.mkdirSync(directory, { recursive: true })
const built = run(["--snapshot-blob", temporary, "--build-snapshot", program])
if (built.status !== 0) fail(`node --build-snapshot failed:\n${built.stdout}${built.stderr}`)
for (const check of [["--help"], ["image", "ls", "--bogus"]]) {
  const fromSnapshot = run(["--snapshot-blob", temporary, "--", ...check])
  const fromBundle = run([bundle, ...check])
  if (
    fromSnapshot.status !== fromBundle.status || fromSnapshot.stdout !== fromBundle.stdout ||
    fromSnapshot.stderr !== fromBundle.stderr
  ) {
    fail(`the snapshot answers \`dockhand ${check.join(" ")}\` otherwise than the bundle: not kept`)
  }
}
// the blob first, then the manifest that makes it used (with the blob's length, so that a blob cut short is not)
const size = fs.statSync(temporary).size
fs.renameSync(temporary, blob)
fs.writeFileSync(`${manifest}.${process.pid}.tmp`, `${JSON.stringify({ ...id, size })}\n`)
fs.renameSync(`${manifest}.${process.pid}.tmp`, manifest)
// snapshots this Node binary's path built for another version of Node or of dockhand are of no use any more
for (const name of ours().filter((name) => name.endsWith(".json") && `${directory}/${name}` !== manifest)) {
  const other = (() => {
    try {
      return JSON.parse(fs.readFileSync(`${directory}/${name}`, "utf8"))
    } catch {
      return undefined
    }
  })()
  if (other === undefined || other.execPath === id.execPath) {
    fs.rmSync(`${directory}/${name}`, { force: true })
    fs.rmSync(`${directory}/${name.replace(/\.json$/, ".blob")}`, { force: true })
  }
}
console.log(`built ${blob} (${(size / 1048576).toFixed(1)} MiB) for Node ${id.node} (${id.execPath})`)
