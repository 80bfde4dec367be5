/**
 * Whether the stream being run may hand on views of a buffer that its source reuses: `true` while `AtomicFile.write`
 * with `lendChunks` runs a download, writing each array of chunks before it pulls the next. The Node transport then
 * reads the answer of a GET into one reused buffer (`rawGet.ts`) instead of a new one for each read, and lends a
 * success's chunks to the stream that reads it. Anything else sees the default, `false`.
 *
 * @internal
 */
import * as Context from "effect/Context"

/** See the module's description. */
export const LendChunks = Context.Reference<boolean>("@dockhand/client/LendChunks", { defaultValue: () => false })
