/**
 * A build context read from standard input (`build -`): an archive sent as it is, or a Dockerfile alone.
 *
 * @internal
 */
import * as Bytes from "effect/Bytes"
import * as Effect from "effect/Effect"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import * as BuildContext from "../BuildContext.ts"
import * as Failure from "../Failure.ts"
import { readAll } from "../Stdin.ts"
import * as Buildkit from "./Buildkit.ts"

/**
 * A context read from standard input (`build -`), as docker's `GetContextFromReader` reads it: an archive (tar,
 * or gzip, bzip2, xz, zstd) is sent as it is, with `-f` naming the Dockerfile inside it; anything else is a
 * Dockerfile, sent alone in a context of its own. Must run in a scope (the rest of the input is read later).
 */
export const stdinContext = (stdin: Stream.Stream<Uint8Array, Error>, file: string | undefined) =>
  Effect.gen(function*() {
    const [head, rest] = yield* Stream.peel(
      stdin,
      Sink.fold(
        () => [] as Array<Uint8Array>,
        (chunks) => chunks.reduce((n, c) => n + c.byteLength, 0) < BuildContext.peekSize,
        (chunks, chunk: Uint8Array) => Effect.succeed([...chunks, chunk])
      )
    )
    const first = Bytes.concat(head)
    if (BuildContext.isArchive(first)) {
      // the Dockerfile is inside the archive: no excerpt of it on failure
      return {
        tar: Stream.concat(Stream.make(first), rest),
        dockerfile: file === "" ? undefined : file,
        excerpt: undefined
      }
    }
    if (file !== undefined && file !== "") {
      return yield* Effect.fail(Failure.message(
        "unable to prepare context: ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles"
      ))
    }
    const content = yield* readAll(Stream.concat(Stream.make(first), rest))
    return {
      tar: BuildContext.dockerfileOnly(content),
      dockerfile: "Dockerfile",
      excerpt: Buildkit.dockerfileFromBytes("Dockerfile", content)
    }
  })
