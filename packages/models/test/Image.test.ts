import { Image } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"

/** Decodes a daemon answer and encodes it again: what comes back must be what was sent. */
const roundTrip = <S extends Schema.Codec<unknown, unknown>>(schema: S, wire: unknown) => {
  const decoded = Schema.decodeUnknownSync(schema)(wire)
  assert.deepStrictEqual(Schema.encodeSync(schema)(decoded), wire)
  return decoded
}

const rejects = (schema: Schema.Codec<unknown, unknown>, wire: unknown, path: string) => {
  const exit = Schema.decodeUnknownExit(schema)(wire)
  assert.isTrue(Exit.isFailure(exit), "expected a decode failure")
  if (Exit.isFailure(exit)) assert.include(String(exit.cause), path)
}

const id = "sha256:" + "4ce49126b5494936c2e4b09b841124c84719d98b07f45bdc58d7da3536cf4d1f"

describe("Image.Summary", () => {
  it("keeps Engine 20.10's untagged markers, nulls and -1", () => {
    const wire = {
      Containers: -1,
      Created: 1795702797,
      Id: id,
      Labels: null,
      ParentId: "",
      RepoDigests: ["<none>@<none>"],
      RepoTags: ["<none>:<none>"],
      SharedSize: -1,
      Size: 1982256,
      VirtualSize: 1982256
    }
    const summary = roundTrip(Image.Summary, wire)
    assert.strictEqual(summary.Labels, null)
    assert.strictEqual(summary.SharedSize, -1)
  })

  it("accepts null tag and digest lists (API < 1.43 with a reference filter)", () => {
    roundTrip(Image.Summary, {
      Containers: -1,
      Created: 0,
      Id: id,
      Labels: {},
      ParentId: "",
      RepoDigests: null,
      RepoTags: null,
      SharedSize: -1,
      Size: 0
    })
  })

  it("accepts Podman's ids without the sha256: prefix", () => {
    const summary = roundTrip(Image.Summary, {
      Containers: 0,
      Created: 1700000000,
      Id: id.slice(7),
      Labels: { a: "b" },
      ParentId: "",
      RepoDigests: [],
      RepoTags: ["localhost/x:1"],
      SharedSize: 0,
      Size: 10,
      VirtualSize: 10
    })
    assert.strictEqual(summary.Id.length, 64)
  })

  it("keeps the API 1.54 manifests with their identity", () => {
    const descriptor = { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: id, size: 1234 }
    roundTrip(Image.Summary, {
      Containers: 2,
      Created: 1795702797,
      Id: id,
      Labels: {},
      ParentId: "",
      Descriptor: { ...descriptor, mediaType: "application/vnd.oci.image.index.v1+json" },
      Manifests: [
        {
          ID: id,
          Descriptor: { ...descriptor, platform: { architecture: "arm64", os: "linux", variant: "v8" } },
          Available: true,
          Size: { Content: 100, Total: 300 },
          Kind: "image",
          ImageData: {
            Platform: { architecture: "arm64", os: "linux", variant: "v8" },
            Identity: {
              Pull: [{ Repository: "docker.io/library/busybox" }],
              Build: [{ Ref: "r1", CreatedAt: "2026-01-02T03:04:05.000000006Z" }]
            },
            Size: { Unpacked: 200 },
            Containers: null
          }
        },
        {
          ID: id,
          Descriptor: descriptor,
          Available: false,
          Size: { Content: 10, Total: 10 },
          Kind: "attestation",
          AttestationData: { For: id }
        }
      ],
      RepoDigests: [],
      RepoTags: [],
      SharedSize: 5,
      Size: 300
    })
  })

  it("rejects a missing required field and names it", () => {
    rejects(Image.Summary, { Containers: -1, Created: 0, Labels: null }, "Id")
  })

  it("rejects a size that is not an integer", () => {
    rejects(Image.Summary, {
      Containers: -1,
      Created: 0,
      Id: id,
      Labels: null,
      ParentId: "",
      RepoDigests: [],
      RepoTags: [],
      SharedSize: -1,
      Size: 1.5
    }, "Size")
  })
})

describe("Image.InspectResponse", () => {
  const base = {
    Id: id,
    RepoTags: ["a:1"],
    RepoDigests: [],
    Architecture: "amd64",
    Os: "linux",
    Size: 1,
    RootFS: { Type: "layers", Layers: ["sha256:" + "d".repeat(64)] },
    Metadata: { LastTagTime: "0001-01-01T00:00:00Z" }
  }

  it("keeps a timestamp's nanoseconds and offset exactly", () => {
    const inspect = roundTrip(Image.InspectResponse, {
      ...base,
      Config: { Cmd: ["/bin/sh"] },
      Created: "2026-11-26T15:19:57.123456789+01:00"
    })
    assert.strictEqual(inspect.Created, "2026-11-26T15:19:57.123456789+01:00")
  })

  it("accepts the zero date, a null Config and API 1.54's omitted keys", () => {
    const inspect = roundTrip(Image.InspectResponse, { ...base, Config: null })
    assert.isUndefined(inspect.Created)
    assert.isUndefined(inspect.GraphDriver)
    roundTrip(Image.InspectResponse, { ...base, Config: null, Created: "0001-01-01T00:00:00Z" })
  })

  it("keeps the 20.10 container-only config keys and legacy fields", () => {
    roundTrip(Image.InspectResponse, {
      ...base,
      Parent: "",
      Comment: "",
      Container: "",
      DockerVersion: "20.10.24+dfsg1",
      Author: "",
      VirtualSize: 1,
      ContainerConfig: { Hostname: "", Cmd: null, Env: null, Labels: null, Volumes: null, OnBuild: null },
      Config: {
        Hostname: "",
        Domainname: "",
        User: "",
        AttachStdin: false,
        AttachStdout: false,
        AttachStderr: false,
        Tty: false,
        OpenStdin: false,
        StdinOnce: false,
        Env: null,
        Cmd: null,
        Image: "",
        Volumes: null,
        WorkingDir: "",
        Entrypoint: null,
        OnBuild: null,
        Labels: null,
        ExposedPorts: { "80/tcp": {} },
        Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 30_000_000_000, Retries: 3 },
        StopSignal: "SIGTERM"
      },
      GraphDriver: { Data: null, Name: "overlay2" }
    })
  })

  it("accepts a bare-string Cmd as old daemons may write it", () => {
    roundTrip(Image.InspectResponse, { ...base, Config: { Cmd: "echo hi", Entrypoint: null } })
  })

  it("rejects a timestamp that is not RFC 3339", () => {
    rejects(Image.InspectResponse, { ...base, Config: null, Created: "yesterday" }, "Created")
  })
})

describe("Image.HistoryResponseItem, DeleteResponse and PruneReport", () => {
  it("keeps <missing> ids and null tags", () => {
    roundTrip(Schema.Array(Image.HistoryResponseItem), [
      { Comment: "", Created: 1795702797, CreatedBy: "/bin/sh -c #(nop) CMD []", Id: "<missing>", Size: 0, Tags: null }
    ])
  })

  it("keeps exactly one of Untagged or Deleted, and a null ImagesDeleted", () => {
    roundTrip(Schema.Array(Image.DeleteResponse), [{ Untagged: "a:1" }, { Deleted: id }])
    roundTrip(Image.PruneReport, { ImagesDeleted: null, SpaceReclaimed: 0 })
  })

  it("rejects a negative SpaceReclaimed (a Go uint64)", () => {
    rejects(Image.PruneReport, { ImagesDeleted: null, SpaceReclaimed: -1 }, "SpaceReclaimed")
  })
})
