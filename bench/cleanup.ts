/**
 * Removes images left by an interrupted benchmark: those labelled `dockhand.bench=1`, and only those. Do not run it
 * while a benchmark runs (it would remove that run's images too).
 *
 *   node bench/cleanup.ts
 */
import * as Engine from "./lib/engine.ts"

const stale = await Engine.leftovers()
const refs = stale.flatMap((image) => {
  const tags = (image.RepoTags ?? []).filter((t) => t !== "<none>:<none>")
  return tags.length > 0 ? tags : [image.Id]
})
const ms = await Engine.removeImages(refs)
console.log(
  `removed ${stale.length} leftover bench image(s) (${refs.length} reference(s)) in ${(ms / 1000).toFixed(1)} s`
)
