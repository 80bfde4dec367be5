/**
 * Go's words for the system error codes (`syscall.Errno.Error()` on Linux), so that a local failure reads as the
 * docker CLI prints it: `open /x/config.json: permission denied`, not Node's `EACCES: permission denied, open …`.
 * One table for the whole code base: file access, program lookup and the CLI's own file errors.
 *
 * @since 0.1.0
 */

const texts: Readonly<Record<string, string>> = {
  E2BIG: "argument list too long",
  EACCES: "permission denied",
  EEXIST: "file exists",
  EISDIR: "is a directory",
  ELOOP: "too many levels of symbolic links",
  ENOENT: "no such file or directory",
  ENOEXEC: "exec format error",
  ENOSPC: "no space left on device",
  ENOTDIR: "not a directory",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ETXTBSY: "text file busy"
}

/**
 * Go's text for the errno `code` (`ENOENT` → `no such file or directory`), or `undefined` for a code not in the table.
 *
 * @category utils
 * @since 0.1.0
 */
export const goText = (code: string | undefined): string | undefined =>
  code !== undefined && Object.hasOwn(texts, code) ? texts[code] : undefined
