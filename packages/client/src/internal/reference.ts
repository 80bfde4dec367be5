/**
 * Image references as the client uses them: parsed and normalised by `@dockhand/codecs/Reference`, with a
 * failure turned into an `InvalidArgument` carrying docker's wording.
 *
 * @internal
 */
import * as Reference from "@dockhand/codecs/Reference"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as DockerError from "../DockerError.ts"

/** A normalised reference with the names each endpoint wants. */
export interface Named {
  /** `docker.io`, `127.0.0.1:5000`: the registry, for looking up credentials. */
  readonly domain: string
  /** `docker.io/library/busybox`: the name a pull sends as `fromImage`. */
  readonly name: string
  /** `busybox`: the name tag and commit send as `repo`. */
  readonly familiarName: string
  readonly tag: string | undefined
  readonly digest: string | undefined
}

const fail = (operation: string) => (error: Reference.InvalidReference) =>
  DockerError.make(new DockerError.InvalidArgument({ operation, message: error.message }))

/** Parses and normalises a named reference (`busybox` → `docker.io/library/busybox`). */
export const parseNamed = (operation: string, input: string): Effect.Effect<Named, DockerError.DockerError> =>
  Result.match(Reference.parseNormalized(input), {
    onFailure: (error) => Effect.fail(fail(operation)(error)),
    onSuccess: (ref) =>
      Effect.succeed({
        domain: ref.domain,
        name: Reference.name(ref),
        familiarName: Reference.familiarName(ref),
        tag: ref.tag,
        digest: ref.digest
      })
  })

/** Checks that `input` is a reference, an image ID or a digest. */
export const parseAny = (operation: string, input: string): Effect.Effect<void, DockerError.DockerError> =>
  Result.match(Reference.parseAny(input), {
    onFailure: (error) => Effect.fail(fail(operation)(error)),
    onSuccess: () => Effect.void
  })
