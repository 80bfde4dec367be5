/**
 * Small response bodies shared by many endpoints (`github.com/moby/moby/api/types/common`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * `common.ErrorResponse`: the body of every non-2xx JSON answer, `{"message": "..."}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ErrorResponse = Schema.Struct({
  message: Schema.String
}).annotate({ identifier: "ErrorResponse" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ErrorResponse extends Schema.Schema.Type<typeof ErrorResponse> {}

/**
 * `common.IDResponse`: the id of something just created, such as the image made by `POST /commit`
 * (spec `IDResponse`; `IdResponse` in API 1.41).
 *
 * @category schemas
 * @since 0.1.0
 */
export const IDResponse = Schema.Struct({
  Id: Schema.String
}).annotate({ identifier: "IDResponse" })
/**
 * @category models
 * @since 0.1.0
 */
export interface IDResponse extends Schema.Schema.Type<typeof IDResponse> {}
