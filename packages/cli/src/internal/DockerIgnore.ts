/**
 * `.dockerignore` as the docker CLI reads and applies it: the client's module (shared with the BuildKit session's
 * filesync), under the name the CLI's build context uses.
 *
 * @internal
 */
export * from "@dockhand/client/DockerIgnore"
