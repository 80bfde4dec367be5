/**
 * `.dockerignore` as the docker CLI reads and applies it: the client's module (shared with the BuildKit session's
 * filesync), under the name the CLI's build context uses. (Named re-exports: the linter resolves them without the
 * client's build output.)
 *
 * @internal
 */
export {
  compile,
  DockerIgnoreError,
  hasExceptionsBelow,
  isExcluded,
  matches,
  parse,
  readAll
} from "@dockhand/client/DockerIgnore"
export type { Matcher, Pattern } from "@dockhand/client/DockerIgnore"
