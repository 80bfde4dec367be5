/**
 * A setup file of the `engines` vitest project, for runs under Deno: vitest's worker-thread pool ends each worker
 * with `parentPort.removeAllListeners("message")`, which Deno 2.9's `node:worker_threads` does not implement
 * (`ERR_NOT_IMPLEMENTED`). With more than one test file that becomes an unhandled error and fails the run although
 * every test passed. Here it removes the message listeners registered since this file ran plus, through `off`,
 * whatever `EventEmitter` can list; elsewhere the file does nothing.
 */
import { EventEmitter } from "node:events"
import { parentPort } from "node:worker_threads"

const port = parentPort as (NonNullable<typeof parentPort> & Record<string, unknown>) | null
if ((globalThis as { readonly Deno?: unknown }).Deno !== undefined && port !== null) {
  let implemented = true
  try {
    port.listenerCount("message")
    // Calling it with an event nobody listens to shows whether it is implemented, without side effects.
    port.removeAllListeners("dockhand-shim-probe")
  } catch {
    implemented = false
  }
  if (!implemented) {
    port.removeAllListeners = function(this: typeof port, event?: string) {
      const name = event ?? "message"
      const listeners = (() => {
        try {
          return EventEmitter.prototype.listeners.call(this, name) as Array<(...args: Array<unknown>) => void>
        } catch {
          return []
        }
      })()
      for (const listener of listeners) this.off(name, listener)
      return this
    } as never
  }
}
