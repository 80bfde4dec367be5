/**
 * UTF-8 text codecs from the host runtime. The compiler settings of this package leave out the DOM and Node
 * typings, so the two Web APIs every runtime has (`TextEncoder`, `TextDecoder`) are typed here once.
 *
 * @internal
 */

interface Utf8Decoder {
  decode(input?: Uint8Array, options?: { readonly stream?: boolean }): string
}

interface Utf8Encoder {
  encode(input: string): Uint8Array
}

const host = globalThis as unknown as {
  readonly TextDecoder: new(
    label: string,
    options?: { readonly fatal?: boolean; readonly ignoreBOM?: boolean }
  ) => Utf8Decoder
  readonly TextEncoder: new() => Utf8Encoder
}

/**
 * A fresh lenient UTF-8 decoder: invalid sequences become U+FFFD (as Go's JSON decoder does) and a leading BOM is
 * kept, so JSON parsing rejects it like Go does.
 */
export const makeDecoder = (): Utf8Decoder => new host.TextDecoder("utf-8", { ignoreBOM: true })

/** A shared decoder for whole buffers (never used in streaming mode). */
export const decoder: Utf8Decoder = makeDecoder()

/** A shared encoder; lone surrogates come out as U+FFFD. */
export const encoder: Utf8Encoder = new host.TextEncoder()
