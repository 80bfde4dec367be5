/**
 * A local build context resolved as docker resolves it: the context directory and the Dockerfile, their symbolic
 * links evaluated the way Go's `filepath.EvalSymlinks` does, and a Dockerfile from outside the context.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { randomBytes } from "node:crypto"
import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs"
import { isAbsolute, join, normalize, relative, resolve } from "node:path"
import * as BuildContext from "../BuildContext.ts"
import * as Failure from "../Failure.ts"

/**
 * Go's `filepath.EvalSymlinks` on an absolute path, step by step as Go walks it (so that its errors name the same
 * path: a relative link climbing above `/` keeps its `..`, `lstat /tmp/../x: no such file or directory`): the
 * resolved path, or Go's error text. Nothing is read but link targets.
 */
export const evalSymlinks = (path: string): { readonly path: string } | { readonly error: string } => {
  let rest = path
  let dest = "/"
  let links = 0
  let start = 1
  while (start < rest.length) {
    while (start < rest.length && rest[start] === "/") start++
    let end = start
    while (end < rest.length && rest[end] !== "/") end++
    if (end === start) break
    const part = rest.slice(start, end)
    start = end
    if (part === ".") continue
    if (part === "..") {
      const r = dest.lastIndexOf("/")
      if (r < 1 || dest.slice(r + 1) === "..") dest = `${dest.length > 1 ? `${dest}/` : dest}..`
      else dest = dest.slice(0, r)
      continue
    }
    dest = dest.endsWith("/") ? `${dest}${part}` : `${dest}/${part}`
    const stat = lstatSync(dest, { throwIfNoEntry: false })
    if (stat === undefined) return { error: `lstat ${dest}: no such file or directory` }
    if (!stat.isSymbolicLink()) {
      if (!stat.isDirectory() && end < rest.length) return { error: "not a directory" }
      continue
    }
    if (++links > 255) return { error: "EvalSymlinks: too many links" }
    const link = readlinkSync(dest)
    rest = link + rest.slice(end)
    if (link.startsWith("/")) {
      dest = "/"
      start = 1
    } else {
      const r = dest.lastIndexOf("/")
      dest = r < 1 ? "/" : dest.slice(0, r)
      start = 0
    }
  }
  return { path: normalize(dest) }
}

/**
 * The local context as docker resolves it: the directory, the Dockerfile (`-f` is relative to the current
 * directory, not the context; by default `Dockerfile`, or `dockerfile` when only that exists) relative to it, and a
 * Dockerfile from outside the context, which is sent inside it under a random name (read with a bound).
 *
 * The Dockerfile's links are resolved: one that leads out of the context is refused (docker's `the Dockerfile (…)
 * must be within the build context`) when the context is a git checkout (`within` is then the `-f` text) or when
 * `-f` names a path inside the context; with no `-f`, docker's `unable to open Dockerfile: open : no such file or
 * directory`. Only a Dockerfile that `-f` names outside the context is read from outside it.
 */
export const localContext = (
  context: string,
  file: string | undefined,
  stdinDockerfile?: Uint8Array,
  within?: string
) =>
  Effect.gen(function*() {
    const prepare = (text: string) => Failure.message(`unable to prepare context: ${text}`)
    if (!existsSync(context)) return yield* Effect.fail(prepare(`path "${context}" not found`))
    const root = resolve(context)
    const rootResolved = evalSymlinks(root)
    if ("error" in rootResolved) {
      return yield* Effect.fail(prepare(`unable to evaluate symlinks in context path: ${rootResolved.error}`))
    }
    const realRoot = rootResolved.path
    if (!statSync(realRoot).isDirectory()) {
      return yield* Effect.fail(prepare(`context must be a directory: ${realRoot}`))
    }
    if (stdinDockerfile !== undefined) {
      // `-f -`: the Dockerfile read from stdin goes into the context under a random name, as one from outside does
      const outside: BuildContext.OutsideDockerfile = { name: randomDockerfileName(), content: stdinDockerfile }
      return { root: realRoot, dockerfile: outside.name, outside }
    }
    const given = file !== undefined && file !== ""
    let dockerfile = given ? resolve(file) : join(realRoot, "Dockerfile")
    if (!given) {
      const lower = join(realRoot, "dockerfile")
      if (!existsSync(dockerfile) && existsSync(lower)) dockerfile = lower
    }
    const resolved = evalSymlinks(dockerfile)
    if ("error" in resolved) {
      return yield* Effect.fail(prepare(`unable to evaluate symlinks in Dockerfile path: ${resolved.error}`))
    }
    const isOutside = (base: string, path: string) => {
      const rel = relative(base, path)
      return rel === ".." || rel.startsWith("../") || isAbsolute(rel)
    }
    const relativePath = relative(realRoot, resolved.path)
    if (!isOutside(realRoot, resolved.path)) {
      return { root: realRoot, dockerfile: relativePath, outside: undefined }
    }
    if (within !== undefined) {
      return yield* Effect.fail(prepare(`the Dockerfile (${within}) must be within the build context`))
    }
    // docker opens the file -f names, and with no -f an empty name
    if (!given) {
      return yield* Effect.fail(Failure.message("unable to open Dockerfile: open : no such file or directory"))
    }
    if (!isOutside(root, dockerfile) || !isOutside(realRoot, dockerfile)) {
      // a path inside the context that links out of it
      return yield* Effect.fail(prepare(`the Dockerfile (${file}) must be within the build context`))
    }
    const content = yield* BuildContext.readDockerfile(file).pipe(Effect.mapError((text) => Failure.message(text)))
    const outside: BuildContext.OutsideDockerfile = { name: randomDockerfileName(), content }
    return { root: realRoot, dockerfile: relativePath, outside }
  })

/** The name docker gives a Dockerfile it adds to the context: `.dockerfile.` and 20 hex digits. */
export const randomDockerfileName = () => `.dockerfile.${randomBytes(10).toString("hex")}`

/** Whether `path` is a directory (its links followed): docker's first test of a build context argument. */
export const isDirectory = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true

/**
 * `-f` for a context cloned from git into `directory`: its path inside the checkout, or `undefined` when it leads
 * out of it (a missing one is reported as docker does, by the symlink evaluation of `localContext`).
 */
export const inCheckout = (directory: string, dockerfile: string): string | undefined => {
  const inContext = resolve(directory, dockerfile)
  const rel = relative(directory, inContext)
  return (rel === ".." || rel.startsWith("../")) && existsSync(inContext) ? undefined : inContext
}
