// Types of ping.mjs, for the floor programs written in TypeScript.

/** The unix socket DOCKER_HOST names (docker's default without it). */
export declare const socketPath: string

/** Pings the engine; resolves with its `Api-Version` header. */
export declare const ping: () => Promise<string>
