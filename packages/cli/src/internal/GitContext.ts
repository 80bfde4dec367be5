/**
 * Git build contexts as the docker CLI's classic builder takes them: `URL[#ref][:subdir]` is fetched with the `git`
 * program into a temporary directory (`git init`, `remote add origin`, `fetch [--depth 1] origin -- REF`,
 * `checkout`, submodules), which then serves as a local context directory. The ref defaults to `master`, as in
 * docker; a shallow fetch is used unless the remote is a plain ("dumb") HTTP server.
 *
 * @internal
 */
import * as Exec from "@dockhand/client/Exec"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type * as Scope from "effect/Scope"
import { mkdtempSync, realpathSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"

/** docker's `urlutil.IsURL`: an `http://` or `https://` address. */
export const isUrl = (context: string): boolean => context.startsWith("http://") || context.startsWith("https://")

/**
 * docker's `urlutil.IsGitURL`: a URL whose path ends in `.git` (before an optional `#fragment`; docker's pattern
 * leaves the dot unescaped, and so does this), or one that starts with `git://`, `github.com/` or `git@`.
 */
export const isGitUrl = (context: string): boolean =>
  (isUrl(context) && /.git(?:#.+)?$/.test(context)) ||
  ["git://", "github.com/", "git@"].some((prefix) => context.startsWith(prefix))

/** Where to fetch from, which ref, and which directory of the checkout is the context. */
export interface Remote {
  readonly remote: string
  readonly ref: string
  readonly subdir: string
}

const isGitTransport = (url: string) => url.startsWith("git@") || /^(?:git|http|https|ssh):\/\//.test(url)

const refAndSubdir = (fragment: string) => {
  const colon = fragment.indexOf(":")
  const ref = colon === -1 ? fragment : fragment.slice(0, colon)
  const subdir = colon === -1 ? "" : fragment.slice(colon + 1)
  return { ref: ref === "" ? "master" : ref, subdir }
}

/** docker's `parseRemoteURL`: `github.com/x/y` becomes `https://github.com/x/y`; a ref starting with `-` is refused. */
export const parseRemote = (url: string): Result.Result<Remote, string> => {
  const full = isGitTransport(url) ? url : `https://${url}`
  const hash = full.indexOf("#")
  const remote = hash === -1 ? full : full.slice(0, hash)
  const { ref, subdir } = refAndSubdir(hash === -1 ? "" : full.slice(hash + 1))
  return ref.startsWith("-") ? Result.fail(`invalid refspec: ${ref}`) : Result.succeed({ remote, ref, subdir })
}

/** What a `git` run printed (standard output and error, in the order they came) and how it ended. */
interface GitRun {
  readonly output: string
  readonly failure: string | undefined
}

/**
 * Runs `git -c protocol.file.allow=never ARGS` in `dir`, as docker does (no remote file:// submodules). `git` is
 * found on `PATH` as Go's `exec.LookPath` finds it, from the current directory and never from `dir`: a `git` file in
 * the checkout, or one reached through an empty or relative `PATH` entry, is not run.
 */
const git = (dir: string, args: ReadonlyArray<string>) => {
  const env = { ...process.env, GIT_PROTOCOL_FROM_USER: "0" }
  return Exec.runProgram("git", {
    args: ["-c", "protocol.file.allow=never", ...args],
    env,
    cwd: dir,
    combineOutput: true,
    maxOutput: 16 << 20
  }).pipe(
    Effect.mapError((error) => error.message),
    Effect.map((run): GitRun => ({ output: new TextDecoder().decode(run.stdout), failure: Exec.exitText(run) }))
  )
}

/** Runs git and fails with `message: OUTPUT: exit status N` (Go's `errors.Wrapf(err, "…: %s", output)`) if it fails. */
const gitOrFail = (dir: string, args: ReadonlyArray<string>, message: string) =>
  Effect.flatMap(
    git(dir, args),
    (run) => run.failure === undefined ? Effect.succeed(run) : Effect.fail(`${message}: ${run.output}: ${run.failure}`)
  )

/**
 * docker's `supportsShallowClone`: every transport but plain HTTP; an HTTP(S) server is "smart" (shallow fetches
 * work) when `/info/refs?service=git-upload-pack` answers 200 with the upload-pack advertisement type.
 */
const supportsShallowClone = (remote: string): Effect.Effect<boolean> => {
  if (!isUrl(remote)) return Effect.succeed(true)
  const service = `${remote}/info/refs?service=git-upload-pack`
  const probe = (method: "HEAD" | "GET") =>
    Effect.promise(() =>
      fetch(service, { method, redirect: "follow" }).then(
        (response) => {
          void response.body?.cancel().catch(() => undefined)
          return response.status === 200 ? response.headers.get("content-type") : undefined
        },
        () => undefined
      )
    )
  return Effect.flatMap(probe("HEAD"), (type) => type === undefined ? probe("GET") : Effect.succeed(type)).pipe(
    Effect.map((type) => type === "application/x-git-upload-pack-advertisement")
  )
}

/**
 * Clones `url` the way docker's classic builder does and gives the context directory (the checkout, or its subdir).
 * The temporary directory is removed when the scope closes. Fails with docker's text after `unable to prepare
 * context: `.
 */
export const clone = (url: string): Effect.Effect<string, string, Scope.Scope> =>
  Effect.gen(function*() {
    // docker looks for the program first: `unable to find 'git': exec: "git": executable file not found in $PATH`
    yield* git(tmpdir(), ["--version"]).pipe(
      Effect.mapError((message) => `unable to find 'git': ${message}`),
      Effect.asVoid
    )
    const wrap = (message: string) => `unable to 'git clone' to temporary context directory: ${message}`
    const parsed = parseRemote(url)
    if (Result.isFailure(parsed)) return yield* Effect.fail(wrap(parsed.failure))
    const { ref, remote, subdir } = parsed.success
    const root = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "docker-build-git"))),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
    )
    const shallow = yield* supportsShallowClone(remote)
    yield* Effect.gen(function*() {
      yield* gitOrFail(root, ["init"], `failed to init repo at ${root}`)
      yield* gitOrFail(root, ["remote", "add", "origin", remote], `failed add origin repo at ${remote}`)
      yield* gitOrFail(root, ["fetch", ...(shallow ? ["--depth", "1"] : []), "origin", "--", ref], "error fetching")
      // the ref as a branch name first (that sets HEAD to the branch), else what was fetched
      const byName = yield* git(root, ["checkout", ref])
      if (byName.failure !== undefined) {
        const fetched = yield* git(root, ["checkout", "FETCH_HEAD"])
        if (fetched.failure !== undefined) {
          return yield* Effect.fail(`error checking out ${ref}: ${byName.output}: ${byName.failure}`)
        }
      }
      yield* gitOrFail(
        root,
        ["submodule", "update", "--init", "--recursive", "--depth=1"],
        "error initializing submodules"
      )
    }).pipe(Effect.mapError(wrap))
    if (subdir === "") return root
    const context = resolve(root, subdir)
    const outside = (path: string) => {
      const rel = relative(realpathSync(root), path)
      return rel === ".." || rel.startsWith("../")
    }
    if (outside(context)) {
      return yield* Effect.fail(wrap(`error setting git context, ${JSON.stringify(subdir)} not within git root`))
    }
    const stat = statSync(context, { throwIfNoEntry: false })
    if (stat === undefined) return yield* Effect.fail(wrap(`stat ${context}: no such file or directory`))
    if (outside(realpathSync(context))) {
      return yield* Effect.fail(wrap(`error setting git context, ${JSON.stringify(subdir)} not within git root`))
    }
    if (!stat.isDirectory()) return yield* Effect.fail(wrap(`error setting git context, not a directory: ${context}`))
    return context
  })
