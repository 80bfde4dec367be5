/**
 * The filesync service of a BuildKit session (`/moby.filesync.v1.FileSync/DiffCopy`): serves a local directory with
 * fsutil's DiffCopy protocol. The daemon names the directory (`dir-name`: `context` or `dockerfile`) and sends the
 * patterns to apply (`include-patterns`, `exclude-patterns`: the `.dockerignore` it read first); the walk sends
 * one STAT packet per entry kept, depth first with names in byte order (fsutil's order), the directories above a kept
 * entry before it (a later link to a file already sent goes as a hard link to it, a device with its numbers, as
 * fsutil sends them); the daemon then asks for the files it needs by their index in the walk, and only those are read,
 * 32 KiB at a time, each chunk sent before the next is read.
 *
 * The file system calls are blocking, as the tar context's are: each is short (one directory listing, one `lstat`,
 * one 32 KiB read), and a promise per call cost more CPU than the whole transfer (and, on Deno, memory per call).
 * Each chunk is read straight into the buffer that is sent, behind the room for its gRPC and packet heads; the
 * buffers are used again once written out, so that a large context does not leave tens of MiB of spent buffers
 * for the garbage collector.
 *
 * @internal
 */
import * as BuildkitSession from "@dockhand/codecs/BuildkitSession"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { BigIntStats } from "node:fs"
import * as DockerIgnore from "../DockerIgnore.ts"
import * as Grpc from "./grpcServer.ts"

const fs = () => process.getBuiltinModule("node:fs")
const chunkSize = 32 * 1024
/** The most chunk buffers kept for reuse (more than the sends in flight at once). */
const maxPooled = 32

/** The values of a metadata key, URL-decoded when the client sent `<key>-encoded: true` (BuildKit's encoding). */
const values = (metadata: ReadonlyArray<readonly [string, string]>, key: string): ReadonlyArray<string> => {
  const encoded = metadata.some(([name, value]) => name === `${key}-encoded` && value === "true")
  return metadata.filter(([name]) => name === key).map(([, value]) =>
    encoded ? decodeURIComponent(value.replace(/\+/g, " ")) : value
  )
}

/** Go's `os.FileMode` of a `BigIntStats`. */
const goMode = (stat: BigIntStats): number => {
  const mode = Number(stat.mode)
  const type = mode & 0o170000
  const bits = BuildkitSession.fileMode
  let out = mode & 0o777
  if (type === 0o040000) out |= bits.dir
  else if (type === 0o120000) out |= bits.symlink
  else if (type === 0o010000) out |= bits.namedPipe
  else if (type === 0o140000) out |= bits.socket
  else if (type === 0o060000) out |= bits.device
  else if (type === 0o020000) out |= bits.device | bits.charDevice
  if (mode & 0o4000) out |= bits.setuid
  if (mode & 0o2000) out |= bits.setgid
  if (mode & 0o1000) out |= bits.sticky
  return out >>> 0
}

/** Names in Go's order (byte order of their UTF-8). */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

const ioFailure = (what: string) => (cause: unknown) =>
  new Grpc.GrpcStatus({
    code: Grpc.code.unknown,
    message: `${what}: ${(cause as { code?: string } | undefined)?.code ?? "failed"}`
  })

const lstat = (path: string) =>
  Effect.try({
    try: () => fs().lstatSync(path, { bigint: true }),
    catch: ioFailure(`lstat ${path}`)
  })

/** A compiled pattern list, or `undefined` for none; a bad pattern is the call's error. */
const matcher = (patterns: ReadonlyArray<string>, what: string) =>
  patterns.length === 0 ? Effect.succeed(undefined) : Result.match(DockerIgnore.compile(patterns), {
    onSuccess: (m) => Effect.succeed(m),
    onFailure: (error) =>
      Effect.fail(
        new Grpc.GrpcStatus({ code: Grpc.code.invalidArgument, message: `invalid ${what}: ${error.message}` })
      )
  })

const matchOrFail = (m: DockerIgnore.Matcher, path: string) =>
  Result.match(DockerIgnore.isExcluded(m, path), {
    onSuccess: (matched) => Effect.succeed(matched),
    onFailure: (error) => Effect.fail(new Grpc.GrpcStatus({ code: Grpc.code.invalidArgument, message: error.message }))
  })

/** Whether no include pattern has wildcards, so a directory no pattern starts with can be skipped (as fsutil). */
const literalOnly = (m: DockerIgnore.Matcher) => m.patterns.every((p) => p.exclusion || p.kind === "exact")

/**
 * fsutil's `FollowLinks`: the paths, and for each one that is a symbolic link the paths it leads to inside `root`
 * (a link's target taken relative to the link's directory, an absolute one relative to `root`), followed again.
 */
const followLinks = (root: string, paths: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const posix = process.getBuiltinModule("node:path").posix
    const out = new Set<string>()
    for (const start of paths) {
      let current = posix.normalize(`/${start}`).slice(1)
      for (let hops = 0; hops < 255 && current !== "" && !out.has(current); hops++) {
        out.add(current)
        const link = current
        const target = yield* Effect.try(() => fs().readlinkSync(`${root}/${link}`)).pipe(
          Effect.orElseSucceed((): string | undefined => undefined)
        )
        if (target === undefined) break
        current = posix.normalize(target.startsWith("/") ? target : `/${posix.dirname(current)}/${target}`).slice(1)
      }
    }
    return [...out]
  })

/**
 * The DiffCopy handler for the directories `dirs` (by the names the daemon asks for).
 */
export const diffCopy = (dirs: ReadonlyMap<string, string>): Grpc.Handler => (call) =>
  Effect.gen(function*() {
    const dirName = values(call.metadata, "dir-name")[0] ?? ""
    const root = dirs.get(dirName)
    if (root === undefined) {
      return yield* new Grpc.GrpcStatus({ code: Grpc.code.notFound, message: `no access allowed to dir "${dirName}"` })
    }
    const follow = values(call.metadata, "followpaths")
    const followed = follow.length === 0 ? [] : yield* followLinks(root, follow)
    const includes = yield* matcher([...values(call.metadata, "include-patterns"), ...followed], "includepatterns")
    const excludes = yield* matcher(values(call.metadata, "exclude-patterns"), "excludepatterns")
    const files = new Map<number, string>()
    let index = 0

    // the first path sent of each inode with more than one link (fsutil's hard-link map, after its filter)
    const inodes = new Map<string, string>()

    const sendStat = (path: string, stat: BigIntStats, symlink: string) => {
      const mode = goMode(stat)
      const type = Number(stat.mode) & 0o170000
      const regular = (mode & 0x8f000000) === 0 && type === 0o100000
      if (regular) files.set(index, path)
      index++
      // a later link to an inode already sent is sent as a hard link to the first path (its size kept, as fsutil)
      let linkname = symlink
      if (type !== 0o040000 && type !== 0o120000 && stat.nlink > 1n) {
        const inode = `${stat.dev}:${stat.ino}`
        const first = inodes.get(inode)
        if (first === undefined) inodes.set(inode, path)
        else linkname = first
      }
      // fsutil's device numbers: for what is not a directory and has a device type bit (its `major` is 12 bits)
      const device = type !== 0o040000 && (type & 0o060000) !== 0
      return call.sendFramed(BuildkitSession.framePacket({
        type: BuildkitSession.PacketType.PACKET_STAT,
        id: 0,
        data: new Uint8Array(0),
        stat: {
          path,
          mode,
          uid: Number(stat.uid),
          gid: Number(stat.gid),
          size: (mode & BuildkitSession.fileMode.dir) !== 0 ? 0n : stat.size,
          modTime: stat.mtimeNs,
          linkname,
          devmajor: device ? (stat.rdev >> 8n) & 0xfffn : 0n,
          devminor: device ? (stat.rdev & 0xffn) | ((stat.rdev >> 12n) & 0xfff00n) : 0n
        }
      }))
    }

    interface Pending {
      readonly path: string
      readonly stat: BigIntStats
    }

    // `pending`: directories above this one not sent yet (they go out before the first entry kept below them)
    const walk = (dir: string, pending: ReadonlyArray<Pending>): Effect.Effect<void, Grpc.GrpcStatus> =>
      Effect.gen(function*() {
        const absolute = dir === "" ? root : `${root}/${dir}`
        const names = yield* Effect.try({
          try: () => fs().readdirSync(absolute),
          catch: ioFailure(`readdir ${dir === "" ? "." : dir}`)
        })
        names.sort(byteOrder)
        let waiting = pending
        for (const name of names) {
          const path = dir === "" ? name : `${dir}/${name}`
          const stat = yield* lstat(`${root}/${path}`)
          const isDir = stat.isDirectory()
          let skip = false
          if (includes !== undefined && !(yield* matchOrFail(includes, path))) {
            if (isDir && literalOnly(includes) && !includes.patterns.some((p) => `${p.text}/`.startsWith(`${path}/`))) {
              continue
            }
            skip = true
          }
          if (excludes !== undefined && (yield* matchOrFail(excludes, path))) {
            if (isDir && !DockerIgnore.hasExceptionsBelow(excludes, path)) continue
            skip = true
          }
          if (skip) {
            if (isDir) yield* walk(path, [...waiting, { path, stat }])
            continue
          }
          for (const parent of waiting) yield* sendStat(parent.path, parent.stat, "")
          waiting = []
          const linkname = stat.isSymbolicLink()
            ? yield* Effect.try({
              try: () => fs().readlinkSync(`${root}/${path}`),
              catch: ioFailure(`readlink ${path}`)
            })
            : ""
          yield* sendStat(path, stat, linkname)
          if (isDir) yield* walk(path, [])
        }
      })

    const walkAll = walk("", []).pipe(
      Effect.andThen(call.send(BuildkitSession.encodePacket({
        type: BuildkitSession.PacketType.PACKET_STAT,
        id: 0,
        data: new Uint8Array(0)
      }))),
      Effect.tapError((error) =>
        Effect.ignore(call.send(BuildkitSession.encodePacket({
          type: BuildkitSession.PacketType.PACKET_ERR,
          id: 0,
          data: new TextEncoder().encode(error.message)
        })))
      )
    )

    // the chunk buffers written out, to be read into again (as many as are in flight at once, at most `maxPooled`)
    const buffers: Array<Uint8Array> = []
    const release = (buffer: Uint8Array) => {
      if (buffers.length < maxPooled) buffers.push(buffer)
    }

    // A file that cannot be opened is sent empty, as fsutil's sender does.
    const sendFile = (id: number) =>
      Effect.gen(function*() {
        const path = files.get(id)
        if (path === undefined) {
          return yield* new Grpc.GrpcStatus({ code: Grpc.code.invalidArgument, message: `invalid file id ${id}` })
        }
        files.delete(id)
        yield* Effect.acquireUseRelease(
          Effect.try({ try: () => fs().openSync(`${root}/${path}`, "r"), catch: ioFailure("open") }),
          (fd) => {
            const loop: Effect.Effect<void, Grpc.GrpcStatus> = Effect.suspend(() => {
              const buffer = buffers.pop() ?? new Uint8Array(BuildkitSession.dataHeadroom + chunkSize)
              return Effect.try({
                try: () => fs().readSync(fd, buffer, BuildkitSession.dataHeadroom, chunkSize, null),
                catch: ioFailure(`read ${path}`)
              }).pipe(
                Effect.flatMap((bytesRead) =>
                  bytesRead === 0
                    ? Effect.sync(() => release(buffer))
                    : call.sendFramed(BuildkitSession.frameData(buffer, id, bytesRead), () => release(buffer)).pipe(
                      Effect.andThen(loop)
                    )
                )
              )
            })
            return loop
          },
          (fd) => Effect.sync(() => fs().closeSync(fd))
        ).pipe(Effect.catchIf((error) => error.message === "open: ENOENT", () => Effect.void))
        yield* call.sendFramed(
          BuildkitSession.frameData(new Uint8Array(BuildkitSession.dataHeadroom), id, 0)
        )
      })

    const requests = call.messages.pipe(
      Stream.mapEffect((bytes) =>
        Result.match(BuildkitSession.decodePacket(bytes), {
          onSuccess: Effect.succeed,
          onFailure: (message) => Effect.fail(new Grpc.GrpcStatus({ code: Grpc.code.internal, message }))
        })
      ),
      Stream.takeUntil((packet) => packet.type === BuildkitSession.PacketType.PACKET_FIN),
      Stream.mapEffect((packet) => {
        switch (packet.type) {
          case BuildkitSession.PacketType.PACKET_REQ:
            return sendFile(packet.id)
          case BuildkitSession.PacketType.PACKET_ERR:
            return Effect.fail(
              new Grpc.GrpcStatus({
                code: Grpc.code.unknown,
                message: `error from receiver: ${new TextDecoder().decode(packet.data)}`
              })
            )
          case BuildkitSession.PacketType.PACKET_FIN:
            return call.sendFramed(BuildkitSession.framePacket({
              type: BuildkitSession.PacketType.PACKET_FIN,
              id: 0,
              data: new Uint8Array(0)
            }))
          default:
            return Effect.void
        }
      }),
      Stream.runDrain
    )

    yield* Effect.all([walkAll, requests], { concurrency: 2, discard: true })
  })
