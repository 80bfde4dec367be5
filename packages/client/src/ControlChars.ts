/**
 * Control characters made visible, so that text from the daemon (image names, progress, error messages) cannot
 * drive the user's terminal: an escape sequence in a tag could otherwise move the cursor, rewrite what is shown,
 * set the window title or reach the clipboard. {@link ProgressDisplay} escapes the daemon's fields with it on a
 * terminal, as the CLI does all the text it writes to one; pipes and files get the bytes as they came.
 *
 * @since 0.1.0
 */

/** Every C0 control but tab and newline, DEL, and the C1 controls (U+0080–U+009F, which some terminals obey). */
const control = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/
const controls = new RegExp(control.source, "g")

/**
 * `text` with its control characters written as visible escapes: a C0 control or DEL as `\xNN` (ESC is `\x1b`,
 * a carriage return `\x0d`), a C1 control as `\u00NN`. Tabs and newlines stay as they are, since the
 * output's own layout uses them.
 *
 * @category formatting
 * @since 0.1.0
 */
export const escape = (text: string): string =>
  control.test(text)
    ? text.replace(controls, (c) => {
      const code = c.charCodeAt(0)
      return code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u00${code.toString(16)}`
    })
    : text
