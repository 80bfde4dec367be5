/**
 * What the long-running image operations (pull, push, load, import, build) give back: the daemon's progress
 * messages as a typed stream, and a way to wait for the outcome. An error the daemon reports in the middle of the
 * stream fails both with a `StreamError`.
 *
 * @since 0.1.0
 */
import type * as JsonMessageStream from "@dockhand/codecs/JsonMessageStream"
import type { JsonMessage } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as DockerError from "./DockerError.ts"
import * as Request from "./internal/request.ts"

/**
 * The summary of a finished operation: the image ID (build, import), the pushed tag/digest/size (push), the loaded
 * names (load), the manifest digest and "downloaded"/"up to date" status (pull), and how many messages came.
 *
 * @category models
 * @since 0.1.0
 */
export type Outcome = JsonMessageStream.Outcome

/**
 * A long-running operation. Nothing is sent until one of its members runs; each run sends the request anew.
 *
 * - `messages`: every progress message, failing with `StreamError` at an in-band error;
 * - `outcome`: runs to the end without keeping messages (memory stays flat) and sums up the result.
 *
 * @category models
 * @since 0.1.0
 */
export interface Progress {
  readonly messages: Stream.Stream<JsonMessage.Message, DockerError.DockerError>
  readonly outcome: Effect.Effect<Outcome, DockerError.DockerError>
}

/**
 * Builds a {@link Progress} from the stream of its messages. An in-band error line among them makes `outcome` fail
 * with a `StreamError` reason (the `Images` calls' streams fail there already, with the operation named).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (messages: Stream.Stream<JsonMessage.Message, DockerError.DockerError>): Progress => ({
  messages,
  outcome: Request.outcome(messages)
})

/**
 * Runs the operation to its end, handing each message to `onMessage` (to draw progress bars, say), and returns
 * the outcome.
 *
 * @category combinators
 * @since 0.1.0
 */
export const run = <E, R>(
  self: Progress,
  onMessage: (message: JsonMessage.Message) => Effect.Effect<void, E, R>
): Effect.Effect<Outcome, DockerError.DockerError | E, R> =>
  Request.outcome(Stream.tap(self.messages, onMessage)).pipe(Effect.withSpan("Progress.run"))
