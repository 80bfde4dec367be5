/**
 * Control characters made visible when text goes to a terminal: the client's `ControlChars`, one owner for the
 * client's `ProgressDisplay` and the CLI's `Terminal` and `ImageTree`.
 *
 * @internal
 */
export { escape } from "@dockhand/client/ControlChars"
