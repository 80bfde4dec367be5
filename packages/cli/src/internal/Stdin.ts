/**
 * Reading standard input the ways the commands need it: a yes/no answer (`image prune`), all of it as text
 * (`login --password-stdin`), all of it as bytes (`build -f -`).
 *
 * @internal
 */
import * as Bytes from "effect/Bytes"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Failure from "./Failure.ts"
import { Terminal } from "./Terminal.ts"

/** Reads one answer line from standard input; an empty or closed input means "no", as docker treats it. */
export const confirm = Effect.gen(function*() {
  const terminal = yield* Terminal
  const first = yield* Stream.runHead(terminal.stdin).pipe(Effect.orElseSucceed(() => Option.none<Uint8Array>()))
  const answer = Option.isSome(first)
    ? new TextDecoder().decode(first.value).split(/\r?\n/)[0]!.trim().toLowerCase()
    : ""
  return answer === "y" || answer === "yes"
})

/** Reads standard input to its end as text, trimming the trailing newline as docker does. */
export const readText = Effect.gen(function*() {
  const terminal = yield* Terminal
  const chunks = yield* Stream.runCollect(terminal.stdin).pipe(
    Effect.mapError((cause) => Failure.message(`Error: ${cause.message}`))
  )
  return new TextDecoder().decode(Bytes.concat(chunks)).replace(/\r?\n$/, "")
})

/** Every byte of a stream, in one array. */
export const readAll = (bytes: Stream.Stream<Uint8Array, Error>) => Effect.map(Stream.runCollect(bytes), Bytes.concat)
