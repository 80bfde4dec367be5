import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Tar from "effect/encoding/Tar"
import * as Stream from "effect/Stream"
import * as esbuild from "esbuild"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as BuildContext from "../src/internal/BuildContext.ts"

const text = (s: string) => new TextEncoder().encode(s)

describe("isArchive (docker's IsArchive on the first 1024 bytes)", () => {
  it("compression magic and real tar headers are archives", () => {
    for (
      const magic of [[0x1f, 0x8b, 0x08], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [
        0x28,
        0xb5,
        0x2f,
        0xfd
      ]]
    ) {
      assert.isTrue(BuildContext.isArchive(new Uint8Array([...magic, 0, 0])), magic.join(","))
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ctx-"))
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n")
    const made = spawnSync("tar", ["cf", "-", "-C", dir, "Dockerfile"])
    fs.rmSync(dir, { recursive: true, force: true })
    assert.isTrue(BuildContext.isArchive(made.stdout.subarray(0, 1024)))
  })
  it("a Dockerfile, an empty input, zeros and a header with a wrong checksum are not", () => {
    assert.isFalse(BuildContext.isArchive(text("FROM scratch\nCOPY . /\n")))
    assert.isFalse(BuildContext.isArchive(new Uint8Array(0)))
    assert.isFalse(BuildContext.isArchive(new Uint8Array(1024)))
    const header = new Uint8Array(512)
    header.set(text("Dockerfile"))
    header.set(text("0000000\0"), 148)
    assert.isFalse(BuildContext.isArchive(header))
  })
  it.effect("the tar of a lone Dockerfile is a tar, of docker's size", () =>
    Effect.gen(function*() {
      const chunks = yield* Stream.runCollect(BuildContext.dockerfileOnly(text("FROM scratch\n")))
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
      let offset = 0
      for (const c of chunks) {
        bytes.set(c, offset)
        offset += c.byteLength
      }
      // one header, one data block, the two-block end: "Sending build context to Docker daemon  2.048kB"
      assert.strictEqual(bytes.byteLength, 2048)
      assert.isTrue(BuildContext.isArchive(bytes))
    }))
})

// ---------------------------------------------------------------------------------------------------------------
// Crafted contexts: nothing from outside the context, bounded reads, special files, many files
// ---------------------------------------------------------------------------------------------------------------

/** A scratch directory holding `ctx/` (the context) and files outside it; removed after the test. */
const scratch = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ctx-"))
  fs.chmodSync(dir, 0o755)
  const ctx = path.join(dir, "ctx")
  fs.mkdirSync(ctx)
  fs.writeFileSync(path.join(dir, "secret.txt"), "SECRET-BYTES-OUTSIDE\n")
  return { dir, ctx, [Symbol.dispose]: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

interface Listed {
  readonly path: string
  readonly type: string
  readonly linkTarget: string | undefined
  readonly content: string
}

/** The tar of a context (as `dockhand build` makes it), decoded, and its raw bytes. */
const contextTar = (root: string, dockerfile = "Dockerfile", outside?: BuildContext.OutsideDockerfile) =>
  Effect.gen(function*() {
    const ignore = yield* BuildContext.readDockerignore(root)
    const chunks = yield* Stream.runCollect(BuildContext.tar(root, dockerfile, ignore, outside))
    const raw = Buffer.concat(chunks)
    const entries = yield* Stream.make(new Uint8Array(raw)).pipe(
      Stream.pipeThroughChannel(Tar.decode()),
      Stream.mapEffect((entry) =>
        Effect.map(Stream.runCollect(entry.body), (body): Listed => ({
          path: entry.header.path,
          type: entry.header.type,
          linkTarget: entry.header.linkTarget,
          content: Buffer.concat(body).toString("utf8")
        }))
      ),
      Stream.runCollect
    )
    return { raw, entries }
  })

describe("the context tar's chunks", () => {
  it.effect("small files go out in chunks of at least 64 KiB but the last, large ones as read, the bytes unchanged", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\nCOPY . /\n")
      for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(s.ctx, `f${i}`), `file ${i} `.repeat(200))
      fs.writeFileSync(path.join(s.ctx, "large"), Buffer.alloc(300 * 1024, 7))
      const chunks = yield* Stream.runCollect(BuildContext.tar(s.ctx, "Dockerfile", undefined))
      for (const chunk of chunks.slice(0, -1)) assert.isAtLeast(chunk.byteLength, 64 * 1024)
      const { entries } = yield* contextTar(s.ctx)
      assert.strictEqual(entries.length, 302)
      assert.strictEqual(entries.find((e) => e.path === "f123")?.content, "file 123 ".repeat(200))
      assert.strictEqual(entries.find((e) => e.path === "large")?.content.length, 300 * 1024)
      const made = spawnSync("tar", ["tf", "-"], { input: Buffer.concat(chunks) })
      assert.strictEqual(made.status, 0)
      assert.strictEqual(made.stdout.toString().trim().split("\n").length, 302)
    }))
})

describe("the context tar never holds bytes from outside the context", () => {
  it.effect("a .dockerignore that links out of the context, with the Dockerfile outside: sent as the link", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.symlinkSync("../secret.txt", path.join(s.ctx, ".dockerignore"))
      fs.writeFileSync(path.join(s.ctx, "a.txt"), "a\n")
      const outside = { name: ".dockerfile.0123456789abcdef0123", content: text("FROM scratch\nCOPY . /app\n") }
      const { entries, raw } = yield* contextTar(s.ctx, "../Dockerfile", outside)
      const ignore = entries.find((e) => e.path === ".dockerignore")
      assert.deepStrictEqual(ignore && { type: ignore.type, linkTarget: ignore.linkTarget, content: ignore.content }, {
        type: "Symlink",
        linkTarget: "../secret.txt",
        content: ""
      })
      assert.deepStrictEqual(entries.map((e) => e.path), [".dockerignore", "a.txt", outside.name])
      assert.isFalse(raw.includes("SECRET-BYTES"), "the secret's bytes are in the context")
    }))
  it.effect("a regular .dockerignore with the Dockerfile outside: the Dockerfile's name appended, as docker does", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), "*.tmp")
      fs.writeFileSync(path.join(s.ctx, "x.tmp"), "x\n")
      const outside = { name: ".dockerfile.0123456789abcdef0123", content: text("FROM scratch\n") }
      const { entries } = yield* contextTar(s.ctx, "../Dockerfile", outside)
      assert.deepStrictEqual(entries.map((e) => [e.path, e.content]), [
        [".dockerignore", `*.tmp\n${outside.name}\n`],
        [outside.name, "FROM scratch\n"]
      ])
    }))
  it.effect("links anywhere in the context are sent as links, never followed", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      fs.symlinkSync(path.join(s.dir, "secret.txt"), path.join(s.ctx, "abs"))
      fs.symlinkSync("/dev/zero", path.join(s.ctx, "zero"))
      const { entries, raw } = yield* contextTar(s.ctx)
      assert.deepStrictEqual(entries.map((e) => [e.path, e.type]), [["Dockerfile", "File"], ["abs", "Symlink"], [
        "zero",
        "Symlink"
      ]])
      assert.isFalse(raw.includes("SECRET-BYTES"))
    }))
})

describe(".dockerignore patterns in the walk, as docker applies them", () => {
  it.effect("a pattern docker refuses fails the context with docker's text, even when only the Dockerfile is there", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), "a[\n")
      const error = yield* Effect.flip(contextTar(s.ctx))
      assert.strictEqual(error.message, "syntax error in pattern")
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), "!\n")
      assert.strictEqual((yield* Effect.flip(contextTar(s.ctx))).message, "illegal exclusion pattern: \"!\"")
    }))
  it.effect("[!a] is the set of ! and a, [^a] negates; an excluded directory without exceptions below is skipped", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), "x[!a]\ny[^a]\nskip\n!**/keep\n")
      for (const name of ["xa", "xb", "ya", "yb"]) fs.writeFileSync(path.join(s.ctx, name), "")
      fs.mkdirSync(path.join(s.ctx, "skip"))
      fs.writeFileSync(path.join(s.ctx, "skip", "keep"), "")
      const { entries } = yield* contextTar(s.ctx)
      assert.deepStrictEqual(entries.map((e) => e.path), [".dockerignore", "Dockerfile", "xb", "ya"])
    }))
})

describe("a failed context is a local failure: the SystemError reason, never InvalidArgument", () => {
  it.effect("a context directory that is gone: kind NotFound, with docker's text and the path", () =>
    Effect.gen(function*() {
      using s = scratch()
      const root = path.join(s.dir, "gone")
      const error = BuildContext.checkError(
        yield* Effect.flip(Stream.runDrain(BuildContext.tar(root, "Dockerfile", undefined)))
      )
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "NotFound")
      assert.strictEqual(error.reason.path, root)
      assert.strictEqual(error.reason.operation, "ImageBuild")
      assert.strictEqual(
        error.message,
        `error checking context: file ('${root}') not found or excluded by .dockerignore`
      )
    }))
  it("an unreadable file (EACCES): kind PermissionDenied; the runtime's error is the cause", () => {
    const errno = Object.assign(new Error("EACCES: permission denied, open '/c/f'"), { code: "EACCES" })
    const error = BuildContext.checkError(
      new BuildContext.ContextReadError("no permission to read from '/c/f'", "/c/f", errno)
    )
    assert.strictEqual(error.reason._tag, "SystemError")
    if (error.reason._tag !== "SystemError") return
    assert.strictEqual(error.reason.kind, "PermissionDenied")
    assert.strictEqual(error.message, "error checking context: no permission to read from '/c/f'")
    assert.strictEqual((error.cause as Error).cause, errno)
  })
  it.effect("a .dockerignore docker refuses: kind InvalidData", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), "a[\n")
      const error = BuildContext.checkError(yield* Effect.flip(contextTar(s.ctx)))
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "InvalidData")
      assert.strictEqual(error.message, "error checking context: syntax error in pattern")
    }))
})

describe("bounded reads of .dockerignore and of a Dockerfile dockhand reads itself", () => {
  it.effect("a .dockerignore that links to /dev/zero fails at once with docker's error", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.symlinkSync("/dev/zero", path.join(s.ctx, ".dockerignore"))
      const error = yield* Effect.flip(BuildContext.readDockerignore(s.ctx))
      assert.strictEqual(error.message, "error reading .dockerignore: bufio.Scanner: token too long")
    }).pipe(Effect.timeout("10 seconds")))
  it.effect("a .dockerignore line of 64 KiB is too long; one of 64 KiB less a byte is read", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), `${"a".repeat(65536)}\n`)
      const error = yield* Effect.flip(BuildContext.readDockerignore(s.ctx))
      assert.strictEqual(error.message, "error reading .dockerignore: bufio.Scanner: token too long")
      fs.writeFileSync(path.join(s.ctx, ".dockerignore"), `${"a".repeat(65535)}\nb\n`)
      const read = yield* BuildContext.readDockerignore(s.ctx)
      assert.strictEqual(read?.byteLength, 65538)
    }))
  it.effect("a Dockerfile that is /dev/zero fails at once with the daemon's parse error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(BuildContext.readDockerfile("/dev/zero"))
      assert.strictEqual(error, "failed to parse Dockerfile: dockerfile line greater than max allowed size of 65535")
    }).pipe(Effect.timeout("10 seconds")))
  it.effect("a Dockerfile that cannot be opened: Go's wording", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(BuildContext.readDockerfile("/nonexistent/Dockerfile"))
      assert.strictEqual(error, "unable to open Dockerfile: open /nonexistent/Dockerfile: no such file or directory")
    }))
})

describe("special files in the context, as docker sends them", () => {
  it.effect("a socket is skipped, a FIFO is sent as a FIFO entry (never opened: no hang)", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      const fifo = spawnSync("mkfifo", [path.join(s.ctx, "fifo")])
      assert.strictEqual(fifo.status, 0)
      const server = net.createServer()
      yield* Effect.promise(() => new Promise<void>((resolve) => server.listen(path.join(s.ctx, "sock"), resolve)))
      const { entries } = yield* contextTar(s.ctx).pipe(
        Effect.ensuring(Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve()))))
      )
      assert.deepStrictEqual(entries.map((e) => [e.path, e.type]), [["Dockerfile", "File"], ["fifo", "Fifo"]])
    }).pipe(Effect.timeout("20 seconds")))
})

describe("a context that changes while it is sent", () => {
  it.effect("a file deleted before the walk reaches it is not sent (the walk is lazy; docker's tar writer skips it)", () =>
    Effect.gen(function*() {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      fs.writeFileSync(path.join(s.ctx, "a.bin"), new Uint8Array(1024 * 1024))
      fs.writeFileSync(path.join(s.ctx, "b.txt"), "b\n")
      fs.mkdirSync(path.join(s.ctx, "c"))
      fs.writeFileSync(path.join(s.ctx, "c/d.txt"), "d\n")
      fs.writeFileSync(path.join(s.ctx, "e.txt"), "e\n")
      let first = true
      const chunks = yield* BuildContext.tar(s.ctx, "Dockerfile", undefined).pipe(
        Stream.tap(() =>
          Effect.sync(() => {
            // the first 64 KiB are out while a.bin is read: b.txt and c/ have not been looked at yet
            if (first) {
              fs.rmSync(path.join(s.ctx, "b.txt"))
              fs.rmSync(path.join(s.ctx, "c"), { recursive: true })
            }
            first = false
          })
        ),
        Stream.runCollect
      )
      const listed = yield* Stream.make(new Uint8Array(Buffer.concat(chunks))).pipe(
        Stream.pipeThroughChannel(Tar.decode()),
        Stream.mapEffect((entry) => Effect.as(Stream.runDrain(entry.body), entry.header.path)),
        Stream.runCollect
      )
      assert.deepStrictEqual(listed, ["Dockerfile", "a.bin", "e.txt"])
    }))
})

/** The runtimes dockhand runs on, as commands that run a bundled module (the ones CI uses). */
const bin = path.resolve(__dirname, "../../../node_modules/.bin")
const runtimes = {
  // a 64 MiB heap: a context stream that kept what it sent would run out of it
  node: [process.execPath, "--max-old-space-size=64"],
  bun: [path.join(bin, "bun")],
  deno: [path.join(bin, "deno"), "run", "-A", "--v8-flags=--max-old-space-size=64"]
} as const

/**
 * Streams the context `root` to a counting sink in a child process on `runtime` (the module bundled with esbuild),
 * with `ulimit -n` set to `fds` and, when this runs as root, as the user `nobody` (without root's file access) if
 * `asNobody`. Gives what the child printed: the bytes sent and its RSS growth, or the stream's error.
 */
const streamInChild = (root: string, fds: number, runtime: keyof typeof runtimes, asNobody = false) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ctx-child-"))
  fs.chmodSync(dir, 0o755)
  const script = path.join(dir, "child.mjs")
  esbuild.buildSync({
    stdin: {
      contents: `
        import * as BuildContext from ${JSON.stringify(path.resolve(__dirname, "../src/internal/BuildContext.ts"))}
        import * as Effect from "effect/Effect"
        import * as Stream from "effect/Stream"
        const root = process.argv[2]
        const before = process.memoryUsage().rss
        let peak = before
        let bytes = 0
        const program = Effect.gen(function*() {
          const ignore = BuildContext.readDockerignore === undefined ? undefined : yield* BuildContext.readDockerignore(root)
          yield* Stream.runForEach(BuildContext.tar(root, "Dockerfile", ignore), (chunk) => Effect.sync(() => {
            bytes += chunk.byteLength
            peak = Math.max(peak, process.memoryUsage().rss)
          }))
        })
        Effect.runPromise(program).then(
          () => console.log(JSON.stringify({ ok: true, bytes, growth: peak - before })),
          (error) => console.log(JSON.stringify({ ok: false, message: String(error?.message ?? error) })))
      `,
      resolveDir: path.resolve(__dirname),
      loader: "ts"
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: script,
    logLevel: "silent"
  })
  const nobody = asNobody && process.getuid?.() === 0
  const [command, ...args] = runtimes[runtime]
  const result = spawnSync("sh", ["-c", `ulimit -n ${fds} && exec "$@"`, "sh", command, ...args, script, root], {
    encoding: "utf8",
    timeout: 120_000,
    ...(nobody ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: dir, DENO_DIR: path.join(dir, "deno") } } : {})
  })
  fs.rmSync(dir, { recursive: true, force: true })
  const line = result.stdout.trim().split("\n").pop() ?? ""
  assert.match(line, /^\{/, `the child printed no result: ${result.stdout}${result.stderr}`)
  return JSON.parse(line) as { ok: true; bytes: number; growth: number } | { ok: false; message: string }
}

describe("large and unreadable contexts (in a child process on Node, Bun and Deno)", () => {
  for (const runtime of ["node", "bun", "deno"] as const) {
    it(`${runtime}: 20,000 files stream under ulimit -n 256 (one file open at a time) in a 64 MiB heap`, () => {
      using s = scratch()
      fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
      for (let d = 0; d < 20; d++) {
        const sub = path.join(s.ctx, `d${d}`)
        fs.mkdirSync(sub)
        for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(sub, `f${f}`), `${d}/${f}\n`)
      }
      const result = streamInChild(s.ctx, 256, runtime)
      assert.isTrue(result.ok, JSON.stringify(result))
      if (result.ok) {
        // each file: a 512-byte header and a 512-byte block; 20 directories, the Dockerfile, the end
        assert.isAtLeast(result.bytes, 20_000 * 1024)
        // a generous bound (what is sent is garbage at once, collected when the runtime likes): the heap limit is the check
        assert.isBelow(result.growth, 128 * 1024 * 1024, `RSS grew by ${result.growth} bytes`)
      }
    }, 180_000)
    it(
      `${runtime}: an unreadable file and an unreadable directory fail with docker's texts, never an unhandled error`,
      () => {
        using s = scratch()
        fs.writeFileSync(path.join(s.ctx, "Dockerfile"), "FROM scratch\n")
        fs.writeFileSync(path.join(s.ctx, "unreadable"), "x\n")
        fs.chmodSync(path.join(s.ctx, "unreadable"), 0)
        const file = streamInChild(s.ctx, 256, runtime, true)
        assert.deepStrictEqual(file, { ok: false, message: `no permission to read from '${s.ctx}/unreadable'` })
        fs.rmSync(path.join(s.ctx, "unreadable"))
        fs.mkdirSync(path.join(s.ctx, "dir"))
        fs.writeFileSync(path.join(s.ctx, "dir/f"), "x\n")
        fs.chmodSync(path.join(s.ctx, "dir"), 0)
        const dir = streamInChild(s.ctx, 256, runtime, true)
        fs.chmodSync(path.join(s.ctx, "dir"), 0o755)
        assert.deepStrictEqual(dir, { ok: false, message: `can't stat '${s.ctx}/dir'` })
      },
      60_000
    )
  }
})
