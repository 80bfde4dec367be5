// Where dockhand keeps its Node start-up snapshot, and whether one can be used: shared by the `dockhand` bin (which
// starts from the snapshot when this finds one) and `dockhand --node-snapshot` (bin/node-snapshot-build.js, which
// builds it). A snapshot (a V8 heap with the whole program loaded, from dist/snapshot.cjs) works only with the exact
// Node binary that built it, and only holds the program that was bundled then: so it is built on the machine, by
// `dockhand --node-snapshot`, and kept in `$XDG_CACHE_HOME/dockhand` (else `~/.cache/dockhand`) under a name made from what it depends on. Beside the blob,
// a small JSON file says what it was built from and how long it is; the blob is used only when all of it matches.
// Anything else (no snapshot, another Node, another bundle, a blob cut short) means the bundle runs as before.
const fs = process.getBuiltinModule("node:fs")

/** The directory of the snapshots: `$XDG_CACHE_HOME/dockhand`, else `~/.cache/dockhand` (a relative one is ignored). */
export const cacheDirectory = (env = process.env) => {
  const xdg = env.XDG_CACHE_HOME
  const base = xdg !== undefined && xdg.startsWith("/")
    ? xdg
    : `${env.HOME || process.getBuiltinModule("node:os").homedir()}/.cache`
  return `${base}/dockhand`
}

/** What a snapshot is built from and for: this Node binary, and the bundled program (dist/snapshot.json). */
export const identity = () => ({
  node: process.version,
  execPath: process.execPath,
  platform: process.platform,
  arch: process.arch,
  bundle: JSON.parse(fs.readFileSync(new URL("../dist/snapshot.json", import.meta.url), "utf8")).id
})

/** A short name for an identity (FNV-1a, two 32-bit halves): the manifest beside the blob says the rest. */
const keyOf = (text) => {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0
    b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0")
}

/** The blob's and its manifest's paths for `id` (an {@link identity}) in `directory`. */
export const paths = (id, directory = cacheDirectory()) => {
  const stem = `${directory}/node-${keyOf(JSON.stringify(id))}`
  return { blob: `${stem}.blob`, manifest: `${stem}.json` }
}

/** The fields a manifest must repeat exactly. */
const fields = ["node", "execPath", "platform", "arch", "bundle"]

/**
 * The snapshot built by this Node for this bundle, when there is one whose manifest matches and whose blob has the
 * length recorded; `undefined` otherwise, and whenever anything cannot be read.
 */
export const find = (env = process.env) => {
  try {
    const id = identity()
    const { blob, manifest } = paths(id, cacheDirectory(env))
    const recorded = JSON.parse(fs.readFileSync(manifest, "utf8"))
    if (!fields.every((field) => recorded[field] === id[field])) return undefined
    return fs.statSync(blob).size === recorded.size && recorded.size > 0 ? blob : undefined
  } catch {
    return undefined
  }
}
