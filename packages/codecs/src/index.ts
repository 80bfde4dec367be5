/**
 * `@dockhand/codecs`: what travels on the Docker Engine API's wire, with no HTTP and no services.
 *
 * @since 0.1.0
 */
export {}
