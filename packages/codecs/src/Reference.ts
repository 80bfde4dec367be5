/**
 * Image references (`busybox`, `user/app:1.2`, `registry:5000/team/app@sha256:...`) read and normalised exactly as
 * the docker CLI and the Go client do, with the same error texts, plus what pull, push and tag need from them.
 *
 * The grammar (from the distribution project's reference format):
 *
 * ```
 * reference  := name [ ":" tag ] [ "@" digest ]
 * name       := [ domain "/" ] path-component *( "/" path-component )
 * domain     := host [ ":" port ]      host: DNS labels joined by ".", or "[" IPv6 "]"
 * path-component := [a-z0-9]+ *( separator [a-z0-9]+ )    separator: "." | "_" | "__" | "-"+
 * tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 * digest     := algorithm ":" hex      algorithm: [A-Za-z][A-Za-z0-9]* joined by [-_+.]; hex: 32+ hex digits
 * ```
 *
 * A digest must also use a known algorithm (`sha256`, `sha384`, `sha512`) with exactly the right number of
 * lower-case hex digits, and the path may be at most 255 characters.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

/**
 * A parsed reference. `domain` is `""` only for references read with {@link parse} that name no registry;
 * normalised references always have one (`docker.io` for Docker Hub).
 *
 * @category models
 * @since 0.1.0
 */
export interface Reference {
  readonly domain: string
  readonly path: string
  readonly tag?: string
  readonly digest?: string
}

/**
 * Why a reference was rejected. The message is the docker CLI's text for the same input.
 *
 * @category models
 * @since 0.1.0
 */
export const InvalidReferenceReason = Schema.Literals([
  "InvalidFormat",
  "Uppercase",
  "NameEmpty",
  "NameTooLong",
  "HexName",
  "DigestFormat",
  "DigestLength",
  "DigestAlgorithm"
])
/**
 * @category models
 * @since 0.1.0
 */
export type InvalidReferenceReason = typeof InvalidReferenceReason.Type

/**
 * A string that is not a valid image reference; `input` is the string, `message` the docker CLI's wording
 * (`invalid reference format`, `invalid reference format: repository name (library/Foo) must be lowercase`, ...).
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidReference extends Schema.TaggedError<InvalidReference>()("InvalidReference", {
  reason: InvalidReferenceReason,
  input: Schema.String,
  message: Schema.String
}) {}

// ---------------------------------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------------------------------

const alphaNumeric = "[a-z0-9]+"
const separator = "(?:[._]|__|-+)"
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`
const path = `${pathComponent}(?:/${pathComponent})*`
const dnsLabel = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
const host = `(?:${dnsLabel}(?:\\.${dnsLabel})*|\\[[a-fA-F0-9:]+\\])`
const domain = `${host}(?::[0-9]+)?`
const tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"

const REFERENCE = new RegExp(`^((?:${domain}/)?${path})(?::(${tag}))?(?:@(${digest}))?$`)
const NAME = new RegExp(`^(?:(${domain})/)?(${path})$`)
const TAG = new RegExp(`^${tag}$`)
const IMAGE_ID = /^[a-f0-9]{64}$/
const WELL_FORMED_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
const HEX_LOWER = /^[a-f0-9]+$/

/** Hex digits of each digest algorithm Docker knows. */
const DIGEST_HEX_LENGTH: { readonly [algorithm: string]: number } = { sha256: 64, sha384: 96, sha512: 128 }

/**
 * The longest path a repository name may have (255 characters).
 *
 * @category constants
 * @since 0.1.0
 */
export const maxPathLength = 255

/**
 * The registry of Docker Hub in normalised references, `docker.io`.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultDomain = "docker.io"

/**
 * The tag a name without tag or digest gets, `latest`.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultTag = "latest"

const legacyDefaultDomain = "index.docker.io"
const officialPrefix = "library/"

const fail = (reason: InvalidReferenceReason, input: string, message: string) =>
  Result.fail(new InvalidReference({ reason, input, message }))

const checkDigest = (input: string, value: string): Result.Result<string, InvalidReference> => {
  const colon = value.indexOf(":")
  const algorithm = value.slice(0, colon)
  const hex = value.slice(colon + 1)
  const length = Object.hasOwn(DIGEST_HEX_LENGTH, algorithm) ? DIGEST_HEX_LENGTH[algorithm] : undefined
  if (length === undefined) {
    return WELL_FORMED_DIGEST.test(value)
      ? fail("DigestAlgorithm", input, "unsupported digest algorithm")
      : fail("DigestFormat", input, "invalid checksum digest format")
  }
  if (hex.length !== length) return fail("DigestLength", input, "invalid checksum digest length")
  if (!HEX_LOWER.test(hex)) return fail("DigestFormat", input, "invalid checksum digest format")
  return Result.succeed(value)
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

/**
 * Reads a reference exactly as written, without Docker's defaults: `busybox` gives domain `""` and path
 * `busybox`, and the first path component counts as a domain (`library/x` gives domain `library`). Use
 * {@link parseNormalized} for what users type.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<Reference, InvalidReference> => {
  const match = REFERENCE.exec(input)
  if (match === null) {
    if (input === "") return fail("NameEmpty", input, "repository name must have at least one component")
    if (REFERENCE.test(input.toLowerCase())) return fail("Uppercase", input, "repository name must be lowercase")
    return fail("InvalidFormat", input, "invalid reference format")
  }
  const [, name, tagPart, digestPart] = match
  const parts = NAME.exec(name!)
  const domainPart = parts?.[1] ?? ""
  const pathPart = parts?.[2] ?? name!
  if (pathPart.length > maxPathLength) {
    return fail("NameTooLong", input, `repository name must not be more than ${maxPathLength} characters`)
  }
  let checked: string | undefined
  if (digestPart !== undefined) {
    const digestResult = checkDigest(input, digestPart)
    if (Result.isFailure(digestResult)) return Result.fail(digestResult.failure)
    checked = digestResult.success
  }
  return Result.succeed({
    domain: domainPart,
    path: pathPart,
    ...(tagPart === undefined ? {} : { tag: tagPart }),
    ...(checked === undefined ? {} : { digest: checked })
  })
}

/** Docker's rule for where the registry ends: a first component with `.` or `:`, `localhost`, or upper case. */
const splitDomain = (input: string): readonly [string, string] => {
  const slash = input.indexOf("/")
  const first = slash === -1 ? "" : input.slice(0, slash)
  const isDomain = slash !== -1 &&
    (first.includes(".") || first.includes(":") || first === "localhost" || first.toLowerCase() !== first)
  let domainPart = isDomain ? first : defaultDomain
  let rest = isDomain ? input.slice(slash + 1) : input
  if (domainPart === legacyDefaultDomain) domainPart = defaultDomain
  if (domainPart === defaultDomain && !rest.includes("/")) rest = officialPrefix + rest
  return [domainPart, rest]
}

/**
 * Reads a reference the way `docker pull` does (distribution's `ParseNormalizedNamed`): Docker Hub is the
 * default registry and `library/` the default namespace, so `busybox` becomes `docker.io/library/busybox` and
 * `user/app` becomes `docker.io/user/app`. No default tag is added (see {@link normalize}).
 *
 * **Details**
 *
 * A bare 64-digit hex string is an image ID, not a name, and is rejected. Upper case in the repository name
 * gives `invalid reference format: repository name (library/Foo) must be lowercase`.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parseNormalized = (input: string): Result.Result<Reference, InvalidReference> => {
  if (IMAGE_ID.test(input)) {
    return fail("HexName", input, `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`)
  }
  const [domainPart, rest] = splitDomain(input)
  const colon = rest.indexOf(":")
  const repository = colon === -1 ? rest : rest.slice(0, colon)
  if (repository.toLowerCase() !== repository) {
    return fail("Uppercase", input, `invalid reference format: repository name (${repository}) must be lowercase`)
  }
  return Result.mapError(
    parse(`${domainPart}/${rest}`),
    (error) => new InvalidReference({ reason: error.reason, input, message: error.message })
  )
}

/**
 * A {@link parseNormalized} that remembers the repository names it has read, for reading many references of few
 * repositories (the tags of an image list): once a name has been met, `name:tag` costs a map look-up and a check of
 * the tag on its own. Every answer, failures included, is the one {@link parseNormalized} gives (a failure is
 * always read the whole way, for its wording).
 *
 * **Gotchas**
 *
 * The names are kept as long as the parser is: make one per listing or job, not one per process of a server that
 * reads what its users send.
 *
 * @category decoding
 * @since 0.1.0
 */
export const makeNormalizedParser = (): (input: string) => Result.Result<Reference, InvalidReference> => {
  // a name read before: its bare reference, or undefined when the name alone is not a bare name
  const names = new Map<string, Reference | undefined>()
  return (input) => {
    const colon = input.lastIndexOf(":")
    // a digest, no tag, or a colon that belongs to a registry's port: the whole way
    if (colon <= input.lastIndexOf("/") || input.includes("@")) return parseNormalized(input)
    const nameText = input.slice(0, colon)
    const tagText = input.slice(colon + 1)
    // 64 hex digits are an image ID alone, but a name before a tag
    if (!TAG.test(tagText) || IMAGE_ID.test(nameText)) return parseNormalized(input)
    let named = names.get(nameText)
    if (named === undefined && !names.has(nameText)) {
      // the name alone must read as a bare name (`localhost:5000` would read as a name and a tag)
      const parsed = parseNormalized(nameText)
      named = Result.isSuccess(parsed) && isNameOnly(parsed.success) ? parsed.success : undefined
      names.set(nameText, named)
    }
    return named === undefined
      ? parseNormalized(input)
      : Result.succeed({ domain: named.domain, path: named.path, tag: tagText })
  }
}

/**
 * Reads a reference as `docker pull` does and adds the `latest` tag when there is neither tag nor digest:
 * `busybox` → `docker.io/library/busybox:latest`.
 *
 * @category decoding
 * @since 0.1.0
 */
export const normalize = (input: string): Result.Result<Reference, InvalidReference> =>
  Result.map(parseNormalized(input), withDefaultTag)

/**
 * A reference that may also be just an image ID or digest, as the source of `docker tag` accepts: a 64-digit hex
 * ID or a valid `sha256:...` digest gives `Digest`, anything else is read with {@link parseNormalized}.
 *
 * @category models
 * @since 0.1.0
 */
export type AnyReference =
  | { readonly _tag: "Digest"; readonly digest: string }
  | { readonly _tag: "Named"; readonly reference: Reference }

/**
 * Reads an image ID, a digest or a reference (distribution's `ParseAnyReference`).
 *
 * @category decoding
 * @since 0.1.0
 */
export const parseAny = (input: string): Result.Result<AnyReference, InvalidReference> => {
  if (IMAGE_ID.test(input)) return Result.succeed({ _tag: "Digest", digest: `sha256:${input}` })
  if (WELL_FORMED_DIGEST.test(input) && Result.isSuccess(checkDigest(input, input))) {
    return Result.succeed({ _tag: "Digest", digest: input })
  }
  return Result.map(parseNormalized(input), (reference) => ({ _tag: "Named", reference }))
}

// ---------------------------------------------------------------------------------------------------------------
// Using references
// ---------------------------------------------------------------------------------------------------------------

/**
 * Whether the reference carries a tag.
 *
 * @category guards
 * @since 0.1.0
 */
export const isTagged = (self: Reference): self is Reference & { readonly tag: string } => self.tag !== undefined

/**
 * Whether the reference carries a digest. Push and tag refuse such references as targets.
 *
 * @category guards
 * @since 0.1.0
 */
export const isDigested = (self: Reference): self is Reference & { readonly digest: string } =>
  self.digest !== undefined

/**
 * Whether the reference is a bare name, with neither tag nor digest.
 *
 * @category guards
 * @since 0.1.0
 */
export const isNameOnly = (self: Reference): boolean => self.tag === undefined && self.digest === undefined

/**
 * Gives a bare name the `latest` tag (distribution's `TagNameOnly`); other references are returned as they are.
 *
 * @category combinators
 * @since 0.1.0
 */
export const withDefaultTag = (self: Reference): Reference => (isNameOnly(self) ? { ...self, tag: defaultTag } : self)

/**
 * The repository name without tag or digest: `docker.io/library/busybox`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const name = (self: Reference): string => (self.domain === "" ? self.path : `${self.domain}/${self.path}`)

const suffix = (self: Reference): string =>
  (self.tag === undefined ? "" : `:${self.tag}`) + (self.digest === undefined ? "" : `@${self.digest}`)

/**
 * The full reference: `docker.io/library/busybox:latest`, `localhost:5000/x@sha256:...`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (self: Reference): string => name(self) + suffix(self)

/**
 * The repository name as users write it: Docker Hub's domain and the `library/` namespace of official images are
 * dropped (`docker.io/library/busybox` → `busybox`, `docker.io/user/app` → `user/app`).
 *
 * @category formatting
 * @since 0.1.0
 */
export const familiarName = (self: Reference): string => {
  if (self.domain !== defaultDomain) return name(self)
  if (self.path.startsWith(officialPrefix)) {
    const rest = self.path.slice(officialPrefix.length)
    if (!rest.includes("/")) return rest
  }
  return self.path
}

/**
 * The reference as users write it: `docker.io/library/busybox:latest` → `busybox:latest`.
 *
 * **Gotchas**
 *
 * As in Docker, the short form is not always unambiguous: `docker.io/x.y/app` becomes `x.y/app`, which reads back
 * as the registry `x.y`. Use {@link format} when the text must be read again.
 *
 * @category formatting
 * @since 0.1.0
 */
export const familiar = (self: Reference): string => familiarName(self) + suffix(self)

/**
 * The query of a pull (`POST /images/create`) as the Go client sends it: `fromImage` is the normalised name
 * without tag, `tag` the digest if there is one, else the tag, else `latest`. (To pull every tag, leave `tag`
 * out.)
 *
 * @category encoding
 * @since 0.1.0
 */
export const pullParams = (self: Reference): { readonly fromImage: string; readonly tag: string } => ({
  fromImage: name(self),
  tag: self.digest ?? self.tag ?? defaultTag
})
