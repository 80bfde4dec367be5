/**
 * A local failure reworded for the call that met it: the new message and operation, with what the inner failure
 * knew (its kind, path and syscall) kept and the inner error as the cause.
 *
 * @internal
 */
import type * as DockerError from "../DockerError.ts"
import * as DockerPlatform from "../DockerPlatform.ts"

/**
 * `error` (a failed file read, a helper that could not run) as a `SystemError` of `operation` with `message`: a
 * `SystemError` keeps its kind, path and syscall, any other reason is `Unknown`; `error` is the cause.
 */
export const rewrap = (operation: string, message: string, error: DockerError.DockerError): DockerError.DockerError =>
  DockerPlatform.localError(operation, message, {
    ...(error.reason._tag === "SystemError"
      ? { kind: error.reason.kind, path: error.reason.path, syscall: error.reason.syscall }
      : {}),
    cause: error
  })
