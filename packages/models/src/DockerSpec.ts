/**
 * Docker's extension of the OCI image config (`github.com/moby/docker-image-spec/specs-go/v1`): the `Config` an
 * image inspect returns (spec `ImageConfig`), and the healthcheck it carries.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Int64, KeySet, NullableLabels, NullableStrings } from "./internal/fields.ts"

/**
 * `dockerspec.HealthcheckConfig`: how a container from this image checks its health (spec `HealthConfig`).
 * `Test` is `[]` (inherit), `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`. Durations are nanoseconds.
 * `StartInterval` is API 1.44. Every key is omitempty.
 *
 * @category schemas
 * @since 0.1.0
 */
export const HealthcheckConfig = Schema.Struct({
  Test: Schema.optionalKey(NullableStrings),
  Interval: Schema.optionalKey(Int64),
  Timeout: Schema.optionalKey(Int64),
  StartPeriod: Schema.optionalKey(Int64),
  StartInterval: Schema.optionalKey(Int64),
  Retries: Schema.optionalKey(Int64)
}).annotate({ identifier: "HealthcheckConfig" })
/**
 * @category models
 * @since 0.1.0
 */
export interface HealthcheckConfig extends Schema.Schema.Type<typeof HealthcheckConfig> {}

/**
 * A command as old daemons may write it: normally a list of strings, sometimes a bare string (Go's `StrSlice`
 * decodes both), `null` when unset.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StrSlice = Schema.NullOr(Schema.Union([Schema.Array(Schema.String), Schema.String]))
  .annotate({ identifier: "StrSlice" })
/**
 * @category models
 * @since 0.1.0
 */
export type StrSlice = typeof StrSlice.Type

/**
 * `dockerspec.DockerOCIImageConfig`: the runtime defaults baked into an image (spec `ImageConfig`). From API 1.52
 * every key is omitempty; API 1.50 – 1.51 always send `Cmd`, `Entrypoint`, `Env`, `Labels`, `OnBuild`, `Volumes`
 * (maybe `null`), `User` and `WorkingDir`; API < 1.50 and Engine 20.10 add the container-only keys
 * (`Hostname`, `Tty`, `Image`, ...), which are kept here as optional so those answers round-trip.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DockerOCIImageConfig = Schema.Struct({
  User: Schema.optionalKey(Schema.String),
  ExposedPorts: Schema.optionalKey(Schema.NullOr(KeySet)),
  Env: Schema.optionalKey(NullableStrings),
  Entrypoint: Schema.optionalKey(StrSlice),
  Cmd: Schema.optionalKey(StrSlice),
  Volumes: Schema.optionalKey(Schema.NullOr(KeySet)),
  WorkingDir: Schema.optionalKey(Schema.String),
  Labels: Schema.optionalKey(NullableLabels),
  StopSignal: Schema.optionalKey(Schema.String),
  ArgsEscaped: Schema.optionalKey(Schema.Boolean),
  Healthcheck: Schema.optionalKey(HealthcheckConfig),
  OnBuild: Schema.optionalKey(NullableStrings),
  Shell: Schema.optionalKey(NullableStrings),
  // container-only keys that API < 1.50 and Engine 20.10 still send
  Hostname: Schema.optionalKey(Schema.String),
  Domainname: Schema.optionalKey(Schema.String),
  AttachStdin: Schema.optionalKey(Schema.Boolean),
  AttachStdout: Schema.optionalKey(Schema.Boolean),
  AttachStderr: Schema.optionalKey(Schema.Boolean),
  Tty: Schema.optionalKey(Schema.Boolean),
  OpenStdin: Schema.optionalKey(Schema.Boolean),
  StdinOnce: Schema.optionalKey(Schema.Boolean),
  Image: Schema.optionalKey(Schema.String),
  NetworkDisabled: Schema.optionalKey(Schema.Boolean),
  MacAddress: Schema.optionalKey(Schema.String),
  StopTimeout: Schema.optionalKey(Schema.NullOr(Int64))
}).annotate({ identifier: "DockerOCIImageConfig" })
/**
 * @category models
 * @since 0.1.0
 */
export interface DockerOCIImageConfig extends Schema.Schema.Type<typeof DockerOCIImageConfig> {}
