/**
 * The container types the image endpoints use (`github.com/moby/moby/api/types/container`): the config a commit
 * merges into the new image, and the legacy `ContainerConfig` of API 1.41 inspect answers.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { HealthcheckConfig, StrSlice } from "./DockerSpec.ts"
import { Int64, KeySet, NullableLabels, NullableStrings } from "./internal/fields.ts"

/**
 * `container.HealthConfig`, the same type as {@link HealthcheckConfig} (spec `HealthConfig`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const HealthConfig = HealthcheckConfig
/**
 * @category models
 * @since 0.1.0
 */
export type HealthConfig = HealthcheckConfig

/**
 * `container.Config`: a container's portable settings (spec `ContainerConfig`). It is the optional body of
 * `POST /commit` and, before API 1.45, the `ContainerConfig` of an image inspect. Every key is optional here
 * because old daemons and the commit body leave keys out; `MacAddress` exists only before API 1.44.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Config = Schema.Struct({
  Hostname: Schema.optionalKey(Schema.String),
  Domainname: Schema.optionalKey(Schema.String),
  User: Schema.optionalKey(Schema.String),
  AttachStdin: Schema.optionalKey(Schema.Boolean),
  AttachStdout: Schema.optionalKey(Schema.Boolean),
  AttachStderr: Schema.optionalKey(Schema.Boolean),
  ExposedPorts: Schema.optionalKey(Schema.NullOr(KeySet)),
  Tty: Schema.optionalKey(Schema.Boolean),
  OpenStdin: Schema.optionalKey(Schema.Boolean),
  StdinOnce: Schema.optionalKey(Schema.Boolean),
  Env: Schema.optionalKey(NullableStrings),
  Cmd: Schema.optionalKey(StrSlice),
  Healthcheck: Schema.optionalKey(HealthcheckConfig),
  ArgsEscaped: Schema.optionalKey(Schema.Boolean),
  Image: Schema.optionalKey(Schema.String),
  Volumes: Schema.optionalKey(Schema.NullOr(KeySet)),
  WorkingDir: Schema.optionalKey(Schema.String),
  Entrypoint: Schema.optionalKey(StrSlice),
  NetworkDisabled: Schema.optionalKey(Schema.Boolean),
  MacAddress: Schema.optionalKey(Schema.String),
  OnBuild: Schema.optionalKey(NullableStrings),
  Labels: Schema.optionalKey(NullableLabels),
  StopSignal: Schema.optionalKey(Schema.String),
  StopTimeout: Schema.optionalKey(Schema.NullOr(Int64)),
  Shell: Schema.optionalKey(NullableStrings)
}).annotate({ identifier: "ContainerConfig" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Config extends Schema.Schema.Type<typeof Config> {}

export {
  /**
   * `container.CommitResponse` (= `common.IDResponse`): the id of the image `POST /commit` made.
   *
   * @category schemas
   * @since 0.1.0
   */
  IDResponse as CommitResponse
} from "./Common.ts"
