/**
 * Downloads written into their file by the runtime itself. `Images.save` marks the stream it returns; when
 * `AtomicFile.write` is given that very stream (no stage in between that could change its bytes), it provides the
 * descriptor of its temporary file as {@link WriteInto} while it runs it. `Images.save` passes it on to the one
 * request that fetches the archive, and Bun's transport then has Bun write the answer's body into the file
 * (`Bun.write`: no chunk goes through JavaScript) and gives an empty stream that ends once every byte is written.
 * Other transports ignore it and stream the answer as usual.
 *
 * @internal
 */
import * as Context from "effect/Context"

/** The descriptor of the file that the body of the request being made is to be written into; `undefined` if none. */
export const WriteInto = Context.Reference<number | undefined>("@dockhand/client/WriteInto", {
  defaultValue: () => undefined
})

const downloads = new WeakSet<object>()

/** Marks `stream` as a download whose bytes are a daemon's answer, unchanged: see the module's description. */
export const mark = <A extends object>(stream: A): A => {
  downloads.add(stream)
  return stream
}

/** Whether `stream` is a download marked by {@link mark} (the same object, not a stream made from it). */
export const isMarked = (stream: object): boolean => downloads.has(stream)
