/**
 * `@dockhand/models`: Effect Schemas of the Docker Engine image API's wire types, one module per Go package.
 *
 * @since 0.1.0
 */

/**
 * The annotation keys the models set on their schemas (read by `@dockhand/codecs`).
 *
 * @since 0.1.0
 */
export * as Annotations from "./Annotations.ts"
/**
 * moby `api/types/build`: build-cache records, prune report, disk usage.
 *
 * @since 0.1.0
 */
export * as Build from "./Build.ts"
/**
 * moby `api/types/common`: error and id responses.
 *
 * @since 0.1.0
 */
export * as Common from "./Common.ts"
/**
 * moby `api/types/container`: the config a commit merges in.
 *
 * @since 0.1.0
 */
export * as Container from "./Container.ts"
/**
 * moby `docker-image-spec`: the image config and its healthcheck.
 *
 * @since 0.1.0
 */
export * as DockerSpec from "./DockerSpec.ts"
/**
 * Query filters in both of the forms daemons accept.
 *
 * @since 0.1.0
 */
export * as Filters from "./Filters.ts"
/**
 * moby `api/types/image`: every image type at API 1.54.
 *
 * @since 0.1.0
 */
export * as Image from "./Image.ts"
/**
 * moby `api/types/jsonstream`: progress stream messages and their aux payloads.
 *
 * @since 0.1.0
 */
export * as JsonMessage from "./JsonMessage.ts"
/**
 * OCI image-spec: descriptors, platforms, digests.
 *
 * @since 0.1.0
 */
export * as Oci from "./Oci.ts"
/**
 * moby `api/types/registry`: credentials, search results, distribution inspect.
 *
 * @since 0.1.0
 */
export * as Registry from "./Registry.ts"
/**
 * moby `api/types/storage`: storage driver data.
 *
 * @since 0.1.0
 */
export * as Storage from "./Storage.ts"
/**
 * moby `api/types/system`: version and disk usage.
 *
 * @since 0.1.0
 */
export * as System from "./System.ts"
