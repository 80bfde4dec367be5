/**
 * Private key files for the in-process ssh-agent of a BuildKit session (see `sshAgent`), read with `node:crypto`
 * only: OpenSSH's own container (`-----BEGIN OPENSSH PRIVATE KEY-----`, openssh-key-v1, what `ssh-keygen` writes by
 * default), parsed here and turned into a key through JWK, and the PEM blocks `node:crypto` reads itself (PKCS#1
 * `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`, PKCS#8 `PRIVATE KEY`). Key types: ed25519, RSA and ECDSA on nistp256,
 * nistp384 and nistp521. A key protected by a passphrase is refused (no passphrase is asked for). A failure is worded
 * as Go's `ssh` package words it where it has a word (`ssh: no key found`, `ssh: this private key is passphrase
 * protected`), and never shows the key's bytes.
 *
 * @internal
 */
import * as Bytes from "effect/Bytes"
import * as Result from "effect/Result"
import type { JsonWebKey, KeyObject } from "node:crypto"

/** A key the agent serves: its public blob (the wire form `ssh-add -L` prints in base64) and comment. */
export interface Key {
  /** `ssh-ed25519`, `ssh-rsa` or `ecdsa-sha2-nistp256|384|521`. */
  readonly type: string
  readonly blob: Uint8Array
  readonly comment: string
  readonly privateKey: KeyObject
}

/** The failure text of a key protected by a passphrase (Go's, which buildx prints). */
export const passphraseProtected = "ssh: this private key is passphrase protected"

/** The most bytes of a key file read, as buildx reads them. */
export const maxKeyFileBytes = 100 * 1024

/** A malformed key, thrown by the readers below and caught by {@link parse} only. */
class Malformed {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

const crypto = () => process.getBuiltinModule("node:crypto")

const text = new TextDecoder()

/** Reads the SSH wire types (RFC 4251): uint32, string, mpint; past the end is {@link Malformed}. */
class Reader {
  private at = 0
  private readonly bytes: Uint8Array
  private readonly what: string
  constructor(bytes: Uint8Array, what: string) {
    this.bytes = bytes
    this.what = what
  }
  get rest(): number {
    return this.bytes.byteLength - this.at
  }
  take(length: number): Uint8Array {
    if (length > this.rest) throw new Malformed(this.what)
    const out = this.bytes.subarray(this.at, this.at + length)
    this.at += length
    return out
  }
  uint32(): number {
    const b = this.take(4)
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0
  }
  string(): Uint8Array {
    return this.take(this.uint32())
  }
  utf8(): string {
    return text.decode(this.string())
  }
  /** An mpint as its unsigned big-endian bytes (a leading zero byte dropped; negatives are malformed). */
  mpint(): Uint8Array {
    const b = this.string()
    if (b.byteLength > 0 && (b[0]! & 0x80) !== 0) throw new Malformed(this.what)
    let start = 0
    while (start < b.byteLength && b[start] === 0) start++
    return b.subarray(start)
  }
}

/** A uint32, big-endian. */
export const uint32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff])

/** An SSH `string`: the 4-byte length, then the bytes (a JS string as UTF-8). */
export const sshString = (value: Uint8Array | string): Uint8Array => {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value
  return Bytes.concat([uint32(bytes.byteLength), bytes])
}

/** An SSH `mpint` of unsigned big-endian bytes: leading zeros dropped, a zero byte added when the top bit is set. */
export const mpint = (unsigned: Uint8Array): Uint8Array => {
  let start = 0
  while (start < unsigned.byteLength && unsigned[start] === 0) start++
  const bytes = unsigned.subarray(start)
  return sshString(
    bytes.byteLength > 0 && (bytes[0]! & 0x80) !== 0 ? Bytes.concat([new Uint8Array([0]), bytes]) : bytes
  )
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url")
const fromBase64url = (value: string | undefined) => new Uint8Array(Buffer.from(value ?? "", "base64url"))

const toBigInt = (bytes: Uint8Array) => bytes.byteLength === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`)
const fromBigInt = (n: bigint) => {
  const hex = n.toString(16)
  return new Uint8Array(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex"))
}

/** Left-pads to `length` bytes (JWK's EC coordinates and private scalar are fixed-length). */
const padded = (bytes: Uint8Array, length: number) =>
  bytes.byteLength >= length ? bytes : Bytes.concat([new Uint8Array(length - bytes.byteLength), bytes])

/** The ECDSA curves: OpenSSH's name, JWK's, the coordinate size and the signature hash (RFC 5656). */
const curves = {
  nistp256: { jwk: "P-256", size: 32, hash: "sha256" },
  nistp384: { jwk: "P-384", size: 48, hash: "sha384" },
  nistp521: { jwk: "P-521", size: 66, hash: "sha512" }
} as const

type CurveName = keyof typeof curves

const curveOfJwk = (crv: string | undefined): CurveName | undefined =>
  (Object.keys(curves) as Array<CurveName>).find((name) => curves[name].jwk === crv)

/** The key's type and public blob, from the private key's JWK (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4). */
const publicOf = (privateKey: KeyObject): { readonly type: string; readonly blob: Uint8Array } => {
  const jwk = privateKey.export({ format: "jwk" })
  switch (privateKey.asymmetricKeyType) {
    case "ed25519":
      return { type: "ssh-ed25519", blob: Bytes.concat([sshString("ssh-ed25519"), sshString(fromBase64url(jwk.x))]) }
    case "rsa":
      return {
        type: "ssh-rsa",
        blob: Bytes.concat([sshString("ssh-rsa"), mpint(fromBase64url(jwk.e)), mpint(fromBase64url(jwk.n))])
      }
    case "ec": {
      const curve = curveOfJwk(jwk.crv)
      if (curve === undefined) throw new Malformed(`ssh: unsupported curve ${jwk.crv ?? ""}`)
      const type = `ecdsa-sha2-${curve}`
      const point = Bytes.concat([new Uint8Array([4]), fromBase64url(jwk.x), fromBase64url(jwk.y)])
      return { type, blob: Bytes.concat([sshString(type), sshString(curve), sshString(point)]) }
    }
    default:
      throw new Malformed(`ssh: unsupported key type ${privateKey.asymmetricKeyType ?? "unknown"}`)
  }
}

/** A private key from its JWK; `node:crypto` refusing it makes the file malformed (its words never show key bytes). */
const fromJwk = (jwk: JsonWebKey, what: string): KeyObject => {
  const key = Result.try(() => crypto().createPrivateKey({ key: jwk, format: "jwk" }))
  if (Result.isFailure(key)) throw new Malformed(what)
  return key.success
}

const invalidOpenSsh = "ssh: invalid openssh private key format"

/** The one key of an unencrypted openssh-key-v1 container (OpenSSH's PROTOCOL.key). */
const parseOpenSsh = (data: Uint8Array): Key => {
  const magic = "openssh-key-v1\0"
  if (text.decode(data.subarray(0, magic.length)) !== magic) throw new Malformed(invalidOpenSsh)
  const file = new Reader(data.subarray(magic.length), invalidOpenSsh)
  const cipher = file.utf8()
  const kdf = file.utf8()
  file.string() // kdf options
  if (cipher !== "none" || kdf !== "none") throw new Malformed(passphraseProtected)
  if (file.uint32() !== 1) throw new Malformed("ssh: multi-key files are not supported")
  const publicBlob = file.string()
  const section = new Reader(file.string(), invalidOpenSsh)
  if (section.uint32() !== section.uint32()) throw new Malformed("ssh: malformed OpenSSH key")
  const type = section.utf8()
  // a key type's name, shown in a message only when it looks like one (a corrupt file's bytes are never shown)
  const named = /^[A-Za-z0-9@.-]{1,64}$/.test(type) ? type : "unknown"
  const invalid = `ssh: invalid ${named} private key`
  let privateKey: KeyObject
  if (type === "ssh-ed25519") {
    const pub = section.string()
    const priv = section.string()
    if (pub.byteLength !== 32 || priv.byteLength !== 64) throw new Malformed(invalid)
    privateKey = fromJwk({ kty: "OKP", crv: "Ed25519", d: base64url(priv.subarray(0, 32)), x: base64url(pub) }, invalid)
  } else if (type === "ssh-rsa") {
    const n = section.mpint()
    const e = section.mpint()
    const d = section.mpint()
    const iqmp = section.mpint()
    const p = section.mpint()
    const q = section.mpint()
    const [dn, pn, qn] = [toBigInt(d), toBigInt(p), toBigInt(q)]
    if (pn < 2n || qn < 2n) throw new Malformed(invalid)
    privateKey = fromJwk({
      kty: "RSA",
      n: base64url(n),
      e: base64url(e),
      d: base64url(d),
      p: base64url(p),
      q: base64url(q),
      dp: base64url(fromBigInt(dn % (pn - 1n))),
      dq: base64url(fromBigInt(dn % (qn - 1n))),
      qi: base64url(iqmp)
    }, invalid)
  } else if (type.startsWith("ecdsa-sha2-") && type.slice("ecdsa-sha2-".length) in curves) {
    const curve = curves[type.slice("ecdsa-sha2-".length) as CurveName]
    if (section.utf8() !== type.slice("ecdsa-sha2-".length)) throw new Malformed(invalid)
    const point = section.string()
    const d = section.mpint()
    if (point.byteLength !== 1 + 2 * curve.size || point[0] !== 4 || d.byteLength > curve.size) {
      throw new Malformed(invalid)
    }
    privateKey = fromJwk({
      kty: "EC",
      crv: curve.jwk,
      x: base64url(point.subarray(1, 1 + curve.size)),
      y: base64url(point.subarray(1 + curve.size)),
      d: base64url(padded(d, curve.size))
    }, invalid)
  } else {
    throw new Malformed(`ssh: unhandled key type ${JSON.stringify(named)}`)
  }
  const comment = section.utf8()
  // the padding: 1, 2, 3, … up to the cipher's block size
  const padding = section.take(section.rest)
  if (padding.some((b, i) => b !== i + 1)) throw new Malformed("ssh: padding not as expected")
  const derived = publicOf(privateKey)
  if (Buffer.compare(derived.blob, publicBlob) !== 0) {
    throw new Malformed("ssh: public key does not match the private key")
  }
  return { ...derived, comment, privateKey }
}

/** The PEM block types a key may come in, as Go's `ssh.ParseRawPrivateKey` takes them (DSA aside). */
const pemTypes = new Set(["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY"])

/**
 * The first key of a private key file's bytes (as Go's `ssh.ParseRawPrivateKey` finds it: the first PEM block), or
 * why it cannot be served, in Go's words where Go has them. No message shows the file's bytes.
 */
export const parse = (bytes: Uint8Array): Result.Result<Key, string> =>
  Result.try({
    try: (): Key => {
      const pem = Buffer.from(bytes).toString("latin1")
      const block = /(?:^|\n)-----BEGIN ([^\r\n-]+)-----\r?\n([\s\S]*?)\r?\n-----END ([^\r\n-]+)-----/.exec(pem)
      if (block === null || block[1] !== block[3]) throw new Malformed("ssh: no key found")
      const type = block[1]!
      if (type === "ENCRYPTED PRIVATE KEY") throw new Malformed(passphraseProtected)
      if (!pemTypes.has(type)) throw new Malformed(`ssh: unsupported key type ${JSON.stringify(type)}`)
      const body = block[2]!
      // a block whose base64 does not decode is no block to Go's pem.Decode
      const base64 = body.replace(/^[\s\S]*?\r?\n\r?\n/, (headers) => /^[\w-]+:/.test(headers) ? "" : headers)
      if (!/^[A-Za-z0-9+/=\s]*$/.test(base64)) throw new Malformed("ssh: no key found")
      if (/^Proc-Type:\s*4,\s*ENCRYPTED/m.test(body)) throw new Malformed(passphraseProtected)
      if (type === "OPENSSH PRIVATE KEY") return parseOpenSsh(new Uint8Array(Buffer.from(base64, "base64")))
      const privateKey = Result.try(() =>
        crypto().createPrivateKey({ key: `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`, format: "pem" })
      )
      if (Result.isFailure(privateKey)) {
        const code = (privateKey.failure as { code?: unknown }).code
        throw new Malformed(code === "ERR_MISSING_PASSPHRASE" ? passphraseProtected : `ssh: invalid ${type} block`)
      }
      return { ...publicOf(privateKey.success), comment: "", privateKey: privateKey.success }
    },
    catch: (error) => error instanceof Malformed ? error.message : "ssh: invalid private key"
  })

/** `SSH_AGENT_RSA_SHA2_256` and `SSH_AGENT_RSA_SHA2_512`, the sign request flags that pick an RSA hash. */
export const rsaSha256 = 2
export const rsaSha512 = 4

/**
 * The signature of `data` by `key`, in its wire form (the algorithm's name, then its blob): ed25519 as is; RSA with
 * SHA-256 or SHA-512 when the flags ask for it (`rsa-sha2-256` first, as OpenSSH's agent chooses), else SHA-1
 * (`ssh-rsa`); ECDSA with the curve's hash, `r` and `s` as two mpints.
 */
export const sign = (key: Key, data: Uint8Array, flags: number): Uint8Array => {
  const node = crypto()
  switch (key.type) {
    case "ssh-ed25519":
      return Bytes.concat([sshString(key.type), sshString(node.sign(null, data, key.privateKey))])
    case "ssh-rsa": {
      const [name, hash] = (flags & rsaSha256) !== 0
        ? ["rsa-sha2-256", "sha256"]
        : (flags & rsaSha512) !== 0
        ? ["rsa-sha2-512", "sha512"]
        : ["ssh-rsa", "sha1"]
      return Bytes.concat([sshString(name), sshString(node.sign(hash, data, key.privateKey))])
    }
    default: {
      const curve = curves[key.type.slice("ecdsa-sha2-".length) as CurveName]
      const rs = node.sign(curve.hash, data, { key: key.privateKey, dsaEncoding: "ieee-p1363" })
      const blob = Bytes.concat([mpint(rs.subarray(0, curve.size)), mpint(rs.subarray(curve.size))])
      return Bytes.concat([sshString(key.type), sshString(blob)])
    }
  }
}

/** Reads SSH wire values from `bytes`, failing with `Malformed` past the end (for the agent's requests). */
export const reader = (bytes: Uint8Array) => new Reader(bytes, "malformed agent message")

/** Runs `f` on a reader of `bytes`; `undefined` when `f` reads past the end or finds a malformed value. */
export const readWith = <A>(bytes: Uint8Array, f: (reader: Reader) => A): A | undefined =>
  Result.getOrUndefined(Result.try({
    try: () => f(reader(bytes)),
    catch: (error) => error
  }))
