// The few dockerode calls the benchmarks make (dockerode ships no types; this avoids @types/dockerode and its
// @types/ssh2 / @types/docker-modem dependencies).
declare module "dockerode" {
  import type { Readable } from "node:stream"
  class Docker {
    constructor(options: { readonly socketPath: string; readonly version?: string })
    listImages(options?: { readonly all?: boolean }): Promise<Array<{ readonly Id: string }>>
    getImage(name: string): { get(): Promise<Readable> }
  }
  export default Docker
}
