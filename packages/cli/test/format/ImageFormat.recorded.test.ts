/**
 * Golden tests for docker's image output. Every expected string below was printed by the docker CLI 28.2.2
 * (`/usr/local/bin/docker`) against a Docker Engine 20.10.24 daemon holding the images in `images`; the fixtures
 * are that daemon's own answers to `GET /v1.41/images/json` and `GET /v1.41/images/{name}/history`. The images
 * were built by hand (`docker load`) with fixed creation times, so the ages in the outputs do not depend on when
 * the tests run: `now` is the moment of the recording. Where docker walks a Go map (the order of an image's
 * repositories), the recording kept is one whose order is the order of first appearance, which is what dockhand prints.
 */
import type { Image } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as DiskUsageFormat from "../../src/internal/format/DiskUsageFormat.ts"
import * as ImageFormat from "../../src/internal/format/ImageFormat.ts"
import * as Table from "../../src/internal/format/Table.ts"

const now = 1795708222389

const images: ReadonlyArray<Image.Summary> = [
  {
    "Containers": -1,
    "Created": 1907755200,
    "Id": "sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6",
    "Labels": null,
    "ParentId": "",
    "RepoDigests": null,
    "RepoTags": [
      "dockhand-fmt/future:2030"
    ],
    "SharedSize": -1,
    "Size": 1125,
    "VirtualSize": 1125
  },
  {
    "Containers": -1,
    "Created": 1793491200,
    "Id": "sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1",
    "Labels": null,
    "ParentId": "",
    "RepoDigests": [
      "127.0.0.1:5000/dockhand-fmt/bigdigest@sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79"
    ],
    "RepoTags": [
      "dockhand-fmt/big:v1.2.3-rc.1"
    ],
    "SharedSize": -1,
    "Size": 123456794,
    "VirtualSize": 123456794
  },
  {
    "Containers": -1,
    "Created": 1763627400,
    "Id": "sha256:068f2f7c21daaf8abf99faaaf6795df7efaa055526002ce19ce034bdcbf63493",
    "Labels": null,
    "ParentId": "",
    "RepoDigests": [
      "<none>@<none>"
    ],
    "RepoTags": [
      "<none>:<none>"
    ],
    "SharedSize": -1,
    "Size": 0,
    "VirtualSize": 0
  },
  {
    "Containers": -1,
    "Created": 1748736000,
    "Id": "sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6",
    "Labels": null,
    "ParentId": "",
    "RepoDigests": null,
    "RepoTags": [
      "dockhand-fmt/wide:1"
    ],
    "SharedSize": -1,
    "Size": 42,
    "VirtualSize": 42
  },
  {
    "Containers": -1,
    "Created": 1709287200,
    "Id": "sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037",
    "Labels": {
      "maintainer": "Dock Hand <dh@example.com>",
      "org.example.label": "a<b>&c"
    },
    "ParentId": "",
    "RepoDigests": [
      "127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86",
      "127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86"
    ],
    "RepoTags": [
      "127.0.0.1:5000/dockhand-fmt/mirror:v",
      "127.0.0.1:5000/dockhand-fmt/old:1",
      "127.0.0.1:5000/dockhand-fmt/old:latest",
      "dockhand-fmt/alias:latest",
      "dockhand-fmt/old:1",
      "dockhand-fmt/old:2"
    ],
    "SharedSize": -1,
    "Size": 1235567,
    "VirtualSize": 1235567
  },
  {
    "Containers": -1,
    "Created": -62135596800,
    "Id": "sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949",
    "Labels": null,
    "ParentId": "",
    "RepoDigests": null,
    "RepoTags": [
      "dockhand-fmt/zero:epoch"
    ],
    "SharedSize": -1,
    "Size": 999999,
    "VirtualSize": 999999
  }
]

const history: Readonly<Record<string, ReadonlyArray<Image.HistoryResponseItem>>> = {
  "dockhand-fmt/wide:1": [
    {
      "Comment": "🐳",
      "Created": 1748736000,
      "CreatedBy": "/bin/sh -c #(nop) COPY w /",
      "Id": "sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6",
      "Size": 42,
      "Tags": [
        "dockhand-fmt/wide:1"
      ]
    },
    {
      "Comment": "日本語 comment",
      "Created": 1748649605,
      "CreatedBy": "exactly forty-five characters long, no cut!!",
      "Id": "<missing>",
      "Size": 0,
      "Tags": null
    },
    {
      "Comment": "",
      "Created": 1748649604,
      "CreatedBy": "whale 🐳🐳🐳 and éé combining then\ttabs\tand more and more",
      "Id": "<missing>",
      "Size": 0,
      "Tags": null
    },
    {
      "Comment": "",
      "Created": 1748649603,
      "CreatedBy": "/bin/sh -c echo 01234567890123456789012345678901234567890 日本",
      "Id": "<missing>",
      "Size": 0,
      "Tags": null
    },
    {
      "Comment": "",
      "Created": 1748649602,
      "CreatedBy": "/bin/sh -c echo 0123456789012345678901234567890123456789 日本",
      "Id": "<missing>",
      "Size": 0,
      "Tags": null
    },
    {
      "Comment": "",
      "Created": 1748649601,
      "CreatedBy": "日本語日本語日本語日本語日本語日本語日本語日本語日本語",
      "Id": "<missing>",
      "Size": 0,
      "Tags": null
    }
  ],
  "dockhand-fmt/old:1": [
    {
      "Comment": "tab\there",
      "Created": 1709287200,
      "CreatedBy": "CMD [\"/bin/sh\"]",
      "Id": "sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037",
      "Size": 0,
      "Tags": [
        "127.0.0.1:5000/dockhand-fmt/mirror:v",
        "127.0.0.1:5000/dockhand-fmt/old:1",
        "127.0.0.1:5000/dockhand-fmt/old:latest",
        "dockhand-fmt/alias:latest",
        "dockhand-fmt/old:1",
        "dockhand-fmt/old:2"
      ]
    },
    {
      "Comment": "buildkit.dockerfile.v0",
      "Created": 1709287140,
      "CreatedBy": "/bin/sh -c printf 'a\\tb' > /etc/conf\t&& echo \"<done> & dusted\"",
      "Id": "<missing>",
      "Size": 1000,
      "Tags": null
    },
    {
      "Comment": "",
      "Created": 1709251199,
      "CreatedBy": "/bin/sh -c #(nop)  ENV GREETING=héllo wörld 日本語 and then some more text",
      "Id": "<missing>",
      "Size": 0,
      "Tags": null
    },
    {
      "Comment": "ancient base",
      "Created": 946684799,
      "CreatedBy": "/bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9d0c5b7a6e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d in / ",
      "Id": "<missing>",
      "Size": 1234567,
      "Tags": null
    }
  ],
  "dockhand-fmt/zero:epoch": [
    {
      "Comment": "",
      "Created": -62135596800,
      "CreatedBy": "/bin/sh -c #(nop) COPY z /",
      "Id": "sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949",
      "Size": 999999,
      "Tags": [
        "dockhand-fmt/zero:epoch"
      ]
    }
  ],
  "dockhand-fmt/future:2030": [
    {
      "Comment": "",
      "Created": 1907755200,
      "CreatedBy": "/bin/sh -c #(nop) COPY f /",
      "Id": "sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6",
      "Size": 1125,
      "Tags": [
        "dockhand-fmt/future:2030"
      ]
    }
  ],
  "dockhand-fmt/big:v1.2.3-rc.1": [
    {
      "Comment": "",
      "Created": 1793491200,
      "CreatedBy": "/bin/sh -c #(nop) ADD b /",
      "Id": "sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1",
      "Size": 5,
      "Tags": [
        "dockhand-fmt/big:v1.2.3-rc.1"
      ]
    },
    {
      "Comment": "",
      "Created": 1793487600,
      "CreatedBy": "/bin/sh -c #(nop) ADD a /",
      "Id": "<missing>",
      "Size": 123456789,
      "Tags": null
    }
  ]
}

const ok = (r: Result.Result<string, Table.FormatError>): string => {
  if (Result.isFailure(r)) assert.fail(r.failure.message)
  return r.success
}

describe("docker image ls (recorded)", () => {
  it("docker image ls --digests", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, digests: true })),
      `REPOSITORY                              TAG           DIGEST                                                                    IMAGE ID       CREATED                  SIZE
dockhand-fmt/future                     2030          <none>                                                                    abafcb92276b   Less than a second ago   1.12kB
dockhand-fmt/big                        v1.2.3-rc.1   <none>                                                                    0c65d891fcd6   3 weeks ago              123MB
127.0.0.1:5000/dockhand-fmt/bigdigest   <none>        sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79   0c65d891fcd6   3 weeks ago              123MB
<none>                                  <none>        <none>                                                                    068f2f7c21da   12 months ago            0B
dockhand-fmt/wide                       1             <none>                                                                    0b9b984f783b   18 months ago            42B
127.0.0.1:5000/dockhand-fmt/mirror      v             sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86   25c6344da470   2 years ago              1.24MB
127.0.0.1:5000/dockhand-fmt/old         1             sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86   25c6344da470   2 years ago              1.24MB
127.0.0.1:5000/dockhand-fmt/old         latest        sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86   25c6344da470   2 years ago              1.24MB
dockhand-fmt/alias                      latest        <none>                                                                    25c6344da470   2 years ago              1.24MB
dockhand-fmt/old                        1             <none>                                                                    25c6344da470   2 years ago              1.24MB
dockhand-fmt/old                        2             <none>                                                                    25c6344da470   2 years ago              1.24MB
dockhand-fmt/zero                       epoch         <none>                                                                    145005a75e5d   N/A                      1e+03kB
`
    )
  })
  it("docker image ls --no-trunc", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, noTrunc: true })),
      `REPOSITORY                              TAG           IMAGE ID                                                                  CREATED                  SIZE
dockhand-fmt/future                     2030          sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6   Less than a second ago   1.12kB
dockhand-fmt/big                        v1.2.3-rc.1   sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1   3 weeks ago              123MB
127.0.0.1:5000/dockhand-fmt/bigdigest   <none>        sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1   3 weeks ago              123MB
<none>                                  <none>        sha256:068f2f7c21daaf8abf99faaaf6795df7efaa055526002ce19ce034bdcbf63493   12 months ago            0B
dockhand-fmt/wide                       1             sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6   18 months ago            42B
127.0.0.1:5000/dockhand-fmt/mirror      v             sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago              1.24MB
127.0.0.1:5000/dockhand-fmt/old         1             sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago              1.24MB
127.0.0.1:5000/dockhand-fmt/old         latest        sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago              1.24MB
dockhand-fmt/alias                      latest        sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago              1.24MB
dockhand-fmt/old                        1             sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago              1.24MB
dockhand-fmt/old                        2             sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago              1.24MB
dockhand-fmt/zero                       epoch         sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949   N/A                      1e+03kB
`
    )
  })
  it("docker image ls -q", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, quiet: true })),
      `abafcb92276b
0c65d891fcd6
0c65d891fcd6
068f2f7c21da
0b9b984f783b
25c6344da470
25c6344da470
25c6344da470
25c6344da470
25c6344da470
25c6344da470
145005a75e5d
`
    )
  })
  it("docker image ls -q --no-trunc", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, quiet: true, noTrunc: true })),
      `sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6
sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1
sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1
sha256:068f2f7c21daaf8abf99faaaf6795df7efaa055526002ce19ce034bdcbf63493
sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949
`
    )
  })
  it("docker image ls --format '{{.Repository}}:{{.Tag}} {{.Digest}}'", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "{{.Repository}}:{{.Tag}} {{.Digest}}" })),
      `dockhand-fmt/future:2030 <none>
dockhand-fmt/big:v1.2.3-rc.1 <none>
127.0.0.1:5000/dockhand-fmt/bigdigest:<none> 
<none>:<none> <none>
dockhand-fmt/wide:1 <none>
127.0.0.1:5000/dockhand-fmt/mirror:v sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
127.0.0.1:5000/dockhand-fmt/old:1 sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
127.0.0.1:5000/dockhand-fmt/old:latest sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
dockhand-fmt/alias:latest <none>
dockhand-fmt/old:1 <none>
dockhand-fmt/old:2 <none>
dockhand-fmt/zero:epoch <none>
`
    )
  })
  it("docker image ls --format raw --digests", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "raw", digests: true })),
      `repository: dockhand-fmt/future
tag: 2030
digest: <none>
image_id: abafcb92276b
created_at: 2030-06-15 12:00:00 +0000 UTC
virtual_size: 1.12kB

repository: dockhand-fmt/big
tag: v1.2.3-rc.1
digest: <none>
image_id: 0c65d891fcd6
created_at: 2026-11-01 00:00:00 +0000 UTC
virtual_size: 123MB

repository: 127.0.0.1:5000/dockhand-fmt/bigdigest
tag: <none>
digest: sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79
image_id: 0c65d891fcd6
created_at: 2026-11-01 00:00:00 +0000 UTC
virtual_size: 123MB

repository: <none>
tag: <none>
digest: <none>
image_id: 068f2f7c21da
created_at: 2025-11-20 08:30:00 +0000 UTC
virtual_size: 0B

repository: dockhand-fmt/wide
tag: 1
digest: <none>
image_id: 0b9b984f783b
created_at: 2025-06-01 00:00:00 +0000 UTC
virtual_size: 42B

repository: 127.0.0.1:5000/dockhand-fmt/mirror
tag: v
digest: sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: 127.0.0.1:5000/dockhand-fmt/old
tag: 1
digest: sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: 127.0.0.1:5000/dockhand-fmt/old
tag: latest
digest: sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/alias
tag: latest
digest: <none>
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/old
tag: 1
digest: <none>
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/old
tag: 2
digest: <none>
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/zero
tag: epoch
digest: <none>
image_id: 145005a75e5d
created_at: 0001-01-01 00:00:00 +0000 UTC
virtual_size: 1e+03kB

`
    )
  })
  it("docker image ls --format '{{.}}'", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "{{.}}" })),
      `{{<nil>} true {-1 1907755200 sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6 map[]  <nil> [] [] [dockhand-fmt/future:2030] -1 1125 1125} dockhand-fmt/future 2030 <none>}
{{<nil>} true {-1 1793491200 sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1 map[]  <nil> [] [127.0.0.1:5000/dockhand-fmt/bigdigest@sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79] [dockhand-fmt/big:v1.2.3-rc.1] -1 123456794 123456794} dockhand-fmt/big v1.2.3-rc.1 <none>}
{{<nil>} true {-1 1793491200 sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1 map[]  <nil> [] [127.0.0.1:5000/dockhand-fmt/bigdigest@sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79] [dockhand-fmt/big:v1.2.3-rc.1] -1 123456794 123456794} 127.0.0.1:5000/dockhand-fmt/bigdigest <none> }
{{<nil>} true {-1 1763627400 sha256:068f2f7c21daaf8abf99faaaf6795df7efaa055526002ce19ce034bdcbf63493 map[]  <nil> [] [<none>@<none>] [<none>:<none>] -1 0 0} <none> <none> <none>}
{{<nil>} true {-1 1748736000 sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6 map[]  <nil> [] [] [dockhand-fmt/wide:1] -1 42 42} dockhand-fmt/wide 1 <none>}
{{<nil>} true {-1 1709287200 sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 map[maintainer:Dock Hand <dh@example.com> org.example.label:a<b>&c]  <nil> [] [127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86 127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86] [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2] -1 1235567 1235567} 127.0.0.1:5000/dockhand-fmt/mirror v <none>}
{{<nil>} true {-1 1709287200 sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 map[maintainer:Dock Hand <dh@example.com> org.example.label:a<b>&c]  <nil> [] [127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86 127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86] [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2] -1 1235567 1235567} 127.0.0.1:5000/dockhand-fmt/old 1 <none>}
{{<nil>} true {-1 1709287200 sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 map[maintainer:Dock Hand <dh@example.com> org.example.label:a<b>&c]  <nil> [] [127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86 127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86] [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2] -1 1235567 1235567} 127.0.0.1:5000/dockhand-fmt/old latest <none>}
{{<nil>} true {-1 1709287200 sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 map[maintainer:Dock Hand <dh@example.com> org.example.label:a<b>&c]  <nil> [] [127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86 127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86] [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2] -1 1235567 1235567} dockhand-fmt/alias latest <none>}
{{<nil>} true {-1 1709287200 sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 map[maintainer:Dock Hand <dh@example.com> org.example.label:a<b>&c]  <nil> [] [127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86 127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86] [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2] -1 1235567 1235567} dockhand-fmt/old 1 <none>}
{{<nil>} true {-1 1709287200 sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 map[maintainer:Dock Hand <dh@example.com> org.example.label:a<b>&c]  <nil> [] [127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86 127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86] [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2] -1 1235567 1235567} dockhand-fmt/old 2 <none>}
{{<nil>} true {-1 -62135596800 sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949 map[]  <nil> [] [] [dockhand-fmt/zero:epoch] -1 999999 999999} dockhand-fmt/zero epoch <none>}
`
    )
  })
  it("docker image ls --format 'table {{.Repository}}\\t{{.Tag}}\\t{{.Size}}' --digests", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(images, {
          now,
          format: "table {{.Repository}}\\t{{.Tag}}\\t{{.Size}}",
          digests: true
        })
      ),
      `REPOSITORY                              TAG           SIZE      DIGEST
dockhand-fmt/future                     2030          1.12kB    <none>
dockhand-fmt/big                        v1.2.3-rc.1   123MB     <none>
127.0.0.1:5000/dockhand-fmt/bigdigest   <none>        123MB     sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79
<none>                                  <none>        0B        <none>
dockhand-fmt/wide                       1             42B       <none>
127.0.0.1:5000/dockhand-fmt/mirror      v             1.24MB    sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
127.0.0.1:5000/dockhand-fmt/old         1             1.24MB    sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
127.0.0.1:5000/dockhand-fmt/old         latest        1.24MB    sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
dockhand-fmt/alias                      latest        1.24MB    <none>
dockhand-fmt/old                        1             1.24MB    <none>
dockhand-fmt/old                        2             1.24MB    <none>
dockhand-fmt/zero                       epoch         1e+03kB   <none>
`
    )
  })
  it("docker image ls --digests --no-trunc --format 'table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.ID}}'", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(images, {
          now,
          digests: true,
          noTrunc: true,
          format: "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.ID}}"
        })
      ),
      `REPOSITORY                              TAG           DIGEST                                                                    IMAGE ID
dockhand-fmt/future                     2030          <none>                                                                    sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6
dockhand-fmt/big                        v1.2.3-rc.1   <none>                                                                    sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1
127.0.0.1:5000/dockhand-fmt/bigdigest   <none>        sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79   sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1
<none>                                  <none>        <none>                                                                    sha256:068f2f7c21daaf8abf99faaaf6795df7efaa055526002ce19ce034bdcbf63493
dockhand-fmt/wide                       1             <none>                                                                    sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6
127.0.0.1:5000/dockhand-fmt/mirror      v             sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86   sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
127.0.0.1:5000/dockhand-fmt/old         1             sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86   sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
127.0.0.1:5000/dockhand-fmt/old         latest        sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86   sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
dockhand-fmt/alias                      latest        <none>                                                                    sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
dockhand-fmt/old                        1             <none>                                                                    sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
dockhand-fmt/old                        2             <none>                                                                    sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037
dockhand-fmt/zero                       epoch         <none>                                                                    sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949
`
    )
  })
  it("docker image ls", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now })),
      `REPOSITORY                              TAG           IMAGE ID       CREATED                  SIZE
dockhand-fmt/future                     2030          abafcb92276b   Less than a second ago   1.12kB
dockhand-fmt/big                        v1.2.3-rc.1   0c65d891fcd6   3 weeks ago              123MB
127.0.0.1:5000/dockhand-fmt/bigdigest   <none>        0c65d891fcd6   3 weeks ago              123MB
<none>                                  <none>        068f2f7c21da   12 months ago            0B
dockhand-fmt/wide                       1             0b9b984f783b   18 months ago            42B
127.0.0.1:5000/dockhand-fmt/mirror      v             25c6344da470   2 years ago              1.24MB
127.0.0.1:5000/dockhand-fmt/old         1             25c6344da470   2 years ago              1.24MB
127.0.0.1:5000/dockhand-fmt/old         latest        25c6344da470   2 years ago              1.24MB
dockhand-fmt/alias                      latest        25c6344da470   2 years ago              1.24MB
dockhand-fmt/old                        1             25c6344da470   2 years ago              1.24MB
dockhand-fmt/old                        2             25c6344da470   2 years ago              1.24MB
dockhand-fmt/zero                       epoch         145005a75e5d   N/A                      1e+03kB
`
    )
  })
  it("docker image ls --format json", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "json" })),
      `{"Containers":"N/A","CreatedAt":"2030-06-15 12:00:00 +0000 UTC","CreatedSince":"Less than a second ago","Digest":"\\u003cnone\\u003e","ID":"abafcb92276b","Repository":"dockhand-fmt/future","SharedSize":"N/A","Size":"1.12kB","Tag":"2030","UniqueSize":"N/A","VirtualSize":"1.125kB"}
{"Containers":"N/A","CreatedAt":"2026-11-01 00:00:00 +0000 UTC","CreatedSince":"3 weeks ago","Digest":"\\u003cnone\\u003e","ID":"0c65d891fcd6","Repository":"dockhand-fmt/big","SharedSize":"N/A","Size":"123MB","Tag":"v1.2.3-rc.1","UniqueSize":"N/A","VirtualSize":"123.5MB"}
{"Containers":"N/A","CreatedAt":"2026-11-01 00:00:00 +0000 UTC","CreatedSince":"3 weeks ago","Digest":"","ID":"0c65d891fcd6","Repository":"127.0.0.1:5000/dockhand-fmt/bigdigest","SharedSize":"N/A","Size":"123MB","Tag":"\\u003cnone\\u003e","UniqueSize":"N/A","VirtualSize":"123.5MB"}
{"Containers":"N/A","CreatedAt":"2025-11-20 08:30:00 +0000 UTC","CreatedSince":"12 months ago","Digest":"\\u003cnone\\u003e","ID":"068f2f7c21da","Repository":"\\u003cnone\\u003e","SharedSize":"N/A","Size":"0B","Tag":"\\u003cnone\\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2025-06-01 00:00:00 +0000 UTC","CreatedSince":"18 months ago","Digest":"\\u003cnone\\u003e","ID":"0b9b984f783b","Repository":"dockhand-fmt/wide","SharedSize":"N/A","Size":"42B","Tag":"1","UniqueSize":"N/A","VirtualSize":"42B"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"127.0.0.1:5000/dockhand-fmt/mirror","SharedSize":"N/A","Size":"1.24MB","Tag":"v","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"127.0.0.1:5000/dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"1","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"127.0.0.1:5000/dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"dockhand-fmt/alias","SharedSize":"N/A","Size":"1.24MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"1","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"2","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"0001-01-01 00:00:00 +0000 UTC","CreatedSince":"","Digest":"\\u003cnone\\u003e","ID":"145005a75e5d","Repository":"dockhand-fmt/zero","SharedSize":"N/A","Size":"1e+03kB","Tag":"epoch","UniqueSize":"N/A","VirtualSize":"1000kB"}
`
    )
  })
  it("docker image ls --format json --digests", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "json", digests: true })),
      `{"Containers":"N/A","CreatedAt":"2030-06-15 12:00:00 +0000 UTC","CreatedSince":"Less than a second ago","Digest":"\\u003cnone\\u003e","ID":"abafcb92276b","Repository":"dockhand-fmt/future","SharedSize":"N/A","Size":"1.12kB","Tag":"2030","UniqueSize":"N/A","VirtualSize":"1.125kB"}
{"Containers":"N/A","CreatedAt":"2026-11-01 00:00:00 +0000 UTC","CreatedSince":"3 weeks ago","Digest":"\\u003cnone\\u003e","ID":"0c65d891fcd6","Repository":"dockhand-fmt/big","SharedSize":"N/A","Size":"123MB","Tag":"v1.2.3-rc.1","UniqueSize":"N/A","VirtualSize":"123.5MB"}
{"Containers":"N/A","CreatedAt":"2026-11-01 00:00:00 +0000 UTC","CreatedSince":"3 weeks ago","Digest":"sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79","ID":"0c65d891fcd6","Repository":"127.0.0.1:5000/dockhand-fmt/bigdigest","SharedSize":"N/A","Size":"123MB","Tag":"\\u003cnone\\u003e","UniqueSize":"N/A","VirtualSize":"123.5MB"}
{"Containers":"N/A","CreatedAt":"2025-11-20 08:30:00 +0000 UTC","CreatedSince":"12 months ago","Digest":"\\u003cnone\\u003e","ID":"068f2f7c21da","Repository":"\\u003cnone\\u003e","SharedSize":"N/A","Size":"0B","Tag":"\\u003cnone\\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2025-06-01 00:00:00 +0000 UTC","CreatedSince":"18 months ago","Digest":"\\u003cnone\\u003e","ID":"0b9b984f783b","Repository":"dockhand-fmt/wide","SharedSize":"N/A","Size":"42B","Tag":"1","UniqueSize":"N/A","VirtualSize":"42B"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86","ID":"25c6344da470","Repository":"127.0.0.1:5000/dockhand-fmt/mirror","SharedSize":"N/A","Size":"1.24MB","Tag":"v","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86","ID":"25c6344da470","Repository":"127.0.0.1:5000/dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"1","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86","ID":"25c6344da470","Repository":"127.0.0.1:5000/dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"dockhand-fmt/alias","SharedSize":"N/A","Size":"1.24MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"1","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"2024-03-01 10:00:00 +0000 UTC","CreatedSince":"2 years ago","Digest":"\\u003cnone\\u003e","ID":"25c6344da470","Repository":"dockhand-fmt/old","SharedSize":"N/A","Size":"1.24MB","Tag":"2","UniqueSize":"N/A","VirtualSize":"1.236MB"}
{"Containers":"N/A","CreatedAt":"0001-01-01 00:00:00 +0000 UTC","CreatedSince":"","Digest":"\\u003cnone\\u003e","ID":"145005a75e5d","Repository":"dockhand-fmt/zero","SharedSize":"N/A","Size":"1e+03kB","Tag":"epoch","UniqueSize":"N/A","VirtualSize":"1000kB"}
`
    )
  })
  it("docker image ls --format 'table {{.ID}}\\t{{.Repository}}\\t{{.Containers}}\\t{{.SharedSize}}\\t{{.UniqueSize}}\\t{{.VirtualSize}}\\t{{.CreatedAt}}'", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(images, {
          now,
          format:
            "table {{.ID}}\\t{{.Repository}}\\t{{.Containers}}\\t{{.SharedSize}}\\t{{.UniqueSize}}\\t{{.VirtualSize}}\\t{{.CreatedAt}}"
        })
      ),
      `IMAGE ID       REPOSITORY                              CONTAINERS   SHARED SIZE   UNIQUE SIZE   SIZE      CREATED AT
abafcb92276b   dockhand-fmt/future                     N/A          N/A           N/A           1.125kB   2030-06-15 12:00:00 +0000 UTC
0c65d891fcd6   dockhand-fmt/big                        N/A          N/A           N/A           123.5MB   2026-11-01 00:00:00 +0000 UTC
0c65d891fcd6   127.0.0.1:5000/dockhand-fmt/bigdigest   N/A          N/A           N/A           123.5MB   2026-11-01 00:00:00 +0000 UTC
068f2f7c21da   <none>                                  N/A          N/A           N/A           0B        2025-11-20 08:30:00 +0000 UTC
0b9b984f783b   dockhand-fmt/wide                       N/A          N/A           N/A           42B       2025-06-01 00:00:00 +0000 UTC
25c6344da470   127.0.0.1:5000/dockhand-fmt/mirror      N/A          N/A           N/A           1.236MB   2024-03-01 10:00:00 +0000 UTC
25c6344da470   127.0.0.1:5000/dockhand-fmt/old         N/A          N/A           N/A           1.236MB   2024-03-01 10:00:00 +0000 UTC
25c6344da470   127.0.0.1:5000/dockhand-fmt/old         N/A          N/A           N/A           1.236MB   2024-03-01 10:00:00 +0000 UTC
25c6344da470   dockhand-fmt/alias                      N/A          N/A           N/A           1.236MB   2024-03-01 10:00:00 +0000 UTC
25c6344da470   dockhand-fmt/old                        N/A          N/A           N/A           1.236MB   2024-03-01 10:00:00 +0000 UTC
25c6344da470   dockhand-fmt/old                        N/A          N/A           N/A           1.236MB   2024-03-01 10:00:00 +0000 UTC
145005a75e5d   dockhand-fmt/zero                       N/A          N/A           N/A           1000kB    0001-01-01 00:00:00 +0000 UTC
`
    )
  })
  it("docker image ls --format 'table {{.Repository}}' --digests", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "table {{.Repository}}", digests: true })),
      `REPOSITORY                              DIGEST
dockhand-fmt/future                     <none>
dockhand-fmt/big                        <none>
127.0.0.1:5000/dockhand-fmt/bigdigest   sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79
<none>                                  <none>
dockhand-fmt/wide                       <none>
127.0.0.1:5000/dockhand-fmt/mirror      sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
127.0.0.1:5000/dockhand-fmt/old         sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
127.0.0.1:5000/dockhand-fmt/old         sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86
dockhand-fmt/alias                      <none>
dockhand-fmt/old                        <none>
dockhand-fmt/old                        <none>
dockhand-fmt/zero                       <none>
`
    )
  })
  it("docker image ls --format raw", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(images, { now, format: "raw" })),
      `repository: dockhand-fmt/future
tag: 2030
image_id: abafcb92276b
created_at: 2030-06-15 12:00:00 +0000 UTC
virtual_size: 1.12kB

repository: dockhand-fmt/big
tag: v1.2.3-rc.1
image_id: 0c65d891fcd6
created_at: 2026-11-01 00:00:00 +0000 UTC
virtual_size: 123MB

repository: 127.0.0.1:5000/dockhand-fmt/bigdigest
tag: <none>
image_id: 0c65d891fcd6
created_at: 2026-11-01 00:00:00 +0000 UTC
virtual_size: 123MB

repository: <none>
tag: <none>
image_id: 068f2f7c21da
created_at: 2025-11-20 08:30:00 +0000 UTC
virtual_size: 0B

repository: dockhand-fmt/wide
tag: 1
image_id: 0b9b984f783b
created_at: 2025-06-01 00:00:00 +0000 UTC
virtual_size: 42B

repository: 127.0.0.1:5000/dockhand-fmt/mirror
tag: v
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: 127.0.0.1:5000/dockhand-fmt/old
tag: 1
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: 127.0.0.1:5000/dockhand-fmt/old
tag: latest
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/alias
tag: latest
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/old
tag: 1
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/old
tag: 2
image_id: 25c6344da470
created_at: 2024-03-01 10:00:00 +0000 UTC
virtual_size: 1.24MB

repository: dockhand-fmt/zero
tag: epoch
image_id: 145005a75e5d
created_at: 0001-01-01 00:00:00 +0000 UTC
virtual_size: 1e+03kB

`
    )
  })
})

describe("docker history (recorded)", () => {
  it("docker history dockhand-fmt/wide:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/wide:1"]!, { now })),
      `IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
0b9b984f783b   18 months ago   /bin/sh -c #(nop) COPY w /                      42B       🐳
<missing>      18 months ago   exactly forty-five characters long, no cut!!    0B        日本語 comment
<missing>      18 months ago   whale 🐳🐳🐳 and éé combining then tabs an…     0B        
<missing>      18 months ago   /bin/sh -c echo 0123456789012345678901234567…   0B        
<missing>      18 months ago   /bin/sh -c echo 0123456789012345678901234567…   0B        
<missing>      18 months ago   日本語日本語日本語日本語日本語日本語日本語日…   0B        
`
    )
  })
  it("docker history --no-trunc dockhand-fmt/wide:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/wide:1"]!, { now, noTrunc: true })),
      `IMAGE                                                                     CREATED         CREATED BY                                                       SIZE      COMMENT
sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6   18 months ago   /bin/sh -c #(nop) COPY w /                                       42B       🐳
<missing>                                                                 18 months ago   exactly forty-five characters long, no cut!!                     0B        日本語 comment
<missing>                                                                 18 months ago   whale 🐳🐳🐳 and éé combining then tabs and more and more        0B        
<missing>                                                                 18 months ago   /bin/sh -c echo 01234567890123456789012345678901234567890 日本   0B        
<missing>                                                                 18 months ago   /bin/sh -c echo 0123456789012345678901234567890123456789 日本    0B        
<missing>                                                                 18 months ago   日本語日本語日本語日本語日本語日本語日本語日本語日本語           0B        
`
    )
  })
  it("docker history --format json dockhand-fmt/wide:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/wide:1"]!, { now, format: "json" })),
      `{"Comment":"🐳","CreatedAt":"2025-06-01T00:00:00Z","CreatedBy":"/bin/sh -c #(nop) COPY w /","CreatedSince":"18 months ago","ID":"0b9b984f783b","Size":"42B"}
{"Comment":"日本語 comment","CreatedAt":"2025-05-31T00:00:05Z","CreatedBy":"exactly forty-five characters long, no cut!!","CreatedSince":"18 months ago","ID":"\\u003cmissing\\u003e","Size":"0B"}
{"Comment":"","CreatedAt":"2025-05-31T00:00:04Z","CreatedBy":"whale 🐳🐳🐳 and éé combining then tabs an…","CreatedSince":"18 months ago","ID":"\\u003cmissing\\u003e","Size":"0B"}
{"Comment":"","CreatedAt":"2025-05-31T00:00:03Z","CreatedBy":"/bin/sh -c echo 0123456789012345678901234567…","CreatedSince":"18 months ago","ID":"\\u003cmissing\\u003e","Size":"0B"}
{"Comment":"","CreatedAt":"2025-05-31T00:00:02Z","CreatedBy":"/bin/sh -c echo 0123456789012345678901234567…","CreatedSince":"18 months ago","ID":"\\u003cmissing\\u003e","Size":"0B"}
{"Comment":"","CreatedAt":"2025-05-31T00:00:01Z","CreatedBy":"日本語日本語日本語日本語日本語日本語日本語日…","CreatedSince":"18 months ago","ID":"\\u003cmissing\\u003e","Size":"0B"}
`
    )
  })
  it("docker history dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now })),
      `IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT
25c6344da470   2 years ago   CMD ["/bin/sh"]                                 0B        tab       here
<missing>      2 years ago   /bin/sh -c printf 'a\\tb' > /etc/conf && echo…   1kB       buildkit.dockerfile.v0
<missing>      2 years ago   /bin/sh -c #(nop)  ENV GREETING=héllo wörld …   0B        
<missing>      N/A           /bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9…   1.23MB    ancient base
`
    )
  })
  it("docker history --no-trunc dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now, noTrunc: true })),
      `IMAGE                                                                     CREATED       CREATED BY                                                                                          SIZE      COMMENT
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2 years ago   CMD ["/bin/sh"]                                                                                     0B        tab       here
<missing>                                                                 2 years ago   /bin/sh -c printf 'a\\tb' > /etc/conf && echo "<done> & dusted"                                      1kB       buildkit.dockerfile.v0
<missing>                                                                 2 years ago   /bin/sh -c #(nop)  ENV GREETING=héllo wörld 日本語 and then some more text                          0B        
<missing>                                                                 N/A           /bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9d0c5b7a6e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d in /    1.23MB    ancient base
`
    )
  })
  it("docker history -H=false dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now, human: false })),
      `IMAGE          CREATED AT             CREATED BY                                      SIZE      COMMENT
25c6344da470   2024-03-01T10:00:00Z   CMD ["/bin/sh"]                                 0         tab       here
<missing>      2024-03-01T09:59:00Z   /bin/sh -c printf 'a\\tb' > /etc/conf && echo…   1000      buildkit.dockerfile.v0
<missing>      2024-02-29T23:59:59Z   /bin/sh -c #(nop)  ENV GREETING=héllo wörld …   0         
<missing>      1999-12-31T23:59:59Z   /bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9…   1234567   ancient base
`
    )
  })
  it("docker history -q dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now, quiet: true })),
      `25c6344da470
<missing>
<missing>
<missing>
`
    )
  })
  it("docker history --format json dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now, format: "json" })),
      `{"Comment":"tab\\there","CreatedAt":"2024-03-01T10:00:00Z","CreatedBy":"CMD [\\"/bin/sh\\"]","CreatedSince":"2 years ago","ID":"25c6344da470","Size":"0B"}
{"Comment":"buildkit.dockerfile.v0","CreatedAt":"2024-03-01T09:59:00Z","CreatedBy":"/bin/sh -c printf 'a\\\\tb' \\u003e /etc/conf \\u0026\\u0026 echo…","CreatedSince":"2 years ago","ID":"\\u003cmissing\\u003e","Size":"1kB"}
{"Comment":"","CreatedAt":"2024-02-29T23:59:59Z","CreatedBy":"/bin/sh -c #(nop)  ENV GREETING=héllo wörld …","CreatedSince":"2 years ago","ID":"\\u003cmissing\\u003e","Size":"0B"}
{"Comment":"ancient base","CreatedAt":"1999-12-31T23:59:59Z","CreatedBy":"/bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9…","CreatedSince":"N/A","ID":"\\u003cmissing\\u003e","Size":"1.23MB"}
`
    )
  })
  it("docker history --format 'table {{.ID}}\\t{{.CreatedBy}}\\t{{.CreatedAt}}' dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, {
          now,
          format: "table {{.ID}}\\t{{.CreatedBy}}\\t{{.CreatedAt}}"
        })
      ),
      `IMAGE          CREATED BY                                      CREATED AT
25c6344da470   CMD ["/bin/sh"]                                 2024-03-01T10:00:00Z
<missing>      /bin/sh -c printf 'a\\tb' > /etc/conf && echo…   2024-03-01T09:59:00Z
<missing>      /bin/sh -c #(nop)  ENV GREETING=héllo wörld …   2024-02-29T23:59:59Z
<missing>      /bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9…   1999-12-31T23:59:59Z
`
    )
  })
  it("docker history --format '{{.}}' dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now, format: "{{.}}" })),
      `{{<nil>} true true {tab\there 1709287200 CMD ["/bin/sh"] sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037 0 [127.0.0.1:5000/dockhand-fmt/mirror:v 127.0.0.1:5000/dockhand-fmt/old:1 127.0.0.1:5000/dockhand-fmt/old:latest dockhand-fmt/alias:latest dockhand-fmt/old:1 dockhand-fmt/old:2]}}
{{<nil>} true true {buildkit.dockerfile.v0 1709287140 /bin/sh -c printf 'a\\tb' > /etc/conf\t&& echo "<done> & dusted" <missing> 1000 []}}
{{<nil>} true true { 1709251199 /bin/sh -c #(nop)  ENV GREETING=héllo wörld 日本語 and then some more text <missing> 0 []}}
{{<nil>} true true {ancient base 946684799 /bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9d0c5b7a6e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d in /  <missing> 1234567 []}}
`
    )
  })
  it("docker history -H=false --no-trunc dockhand-fmt/old:1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/old:1"]!, { now, human: false, noTrunc: true })),
      `IMAGE                                                                     CREATED AT             CREATED BY                                                                                          SIZE      COMMENT
sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037   2024-03-01T10:00:00Z   CMD ["/bin/sh"]                                                                                     0         tab       here
<missing>                                                                 2024-03-01T09:59:00Z   /bin/sh -c printf 'a\\tb' > /etc/conf && echo "<done> & dusted"                                      1000      buildkit.dockerfile.v0
<missing>                                                                 2024-02-29T23:59:59Z   /bin/sh -c #(nop)  ENV GREETING=héllo wörld 日本語 and then some more text                          0         
<missing>                                                                 1999-12-31T23:59:59Z   /bin/sh -c #(nop) ADD file:4a7a6f6a2c8b1f3e9d0c5b7a6e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d in /    1234567   ancient base
`
    )
  })
  it("docker history dockhand-fmt/zero:epoch", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/zero:epoch"]!, { now })),
      `IMAGE          CREATED   CREATED BY                   SIZE      COMMENT
145005a75e5d   N/A       /bin/sh -c #(nop) COPY z /   1e+03kB   
`
    )
  })
  it("docker history -H=false dockhand-fmt/zero:epoch", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/zero:epoch"]!, { now, human: false })),
      `IMAGE          CREATED AT             CREATED BY                   SIZE      COMMENT
145005a75e5d   0001-01-01T00:00:00Z   /bin/sh -c #(nop) COPY z /   999999    
`
    )
  })
  it("docker history --format json dockhand-fmt/zero:epoch", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/zero:epoch"]!, { now, format: "json" })),
      `{"Comment":"","CreatedAt":"0001-01-01T00:00:00Z","CreatedBy":"/bin/sh -c #(nop) COPY z /","CreatedSince":"N/A","ID":"145005a75e5d","Size":"1e+03kB"}
`
    )
  })
  it("docker history dockhand-fmt/future:2030", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/future:2030"]!, { now })),
      `IMAGE          CREATED                  CREATED BY                   SIZE      COMMENT
abafcb92276b   Less than a second ago   /bin/sh -c #(nop) COPY f /   1.12kB    
`
    )
  })
  it("docker history -H=false dockhand-fmt/future:2030", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/future:2030"]!, { now, human: false })),
      `IMAGE          CREATED AT             CREATED BY                   SIZE      COMMENT
abafcb92276b   2030-06-15T12:00:00Z   /bin/sh -c #(nop) COPY f /   1125      
`
    )
  })
  it("docker history dockhand-fmt/big:v1.2.3-rc.1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/big:v1.2.3-rc.1"]!, { now })),
      `IMAGE          CREATED       CREATED BY                  SIZE      COMMENT
0c65d891fcd6   3 weeks ago   /bin/sh -c #(nop) ADD b /   5B        
<missing>      3 weeks ago   /bin/sh -c #(nop) ADD a /   123MB     
`
    )
  })
  it("docker history --no-trunc dockhand-fmt/big:v1.2.3-rc.1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/big:v1.2.3-rc.1"]!, { now, noTrunc: true })),
      `IMAGE                                                                     CREATED       CREATED BY                  SIZE      COMMENT
sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1   3 weeks ago   /bin/sh -c #(nop) ADD b /   5B        
<missing>                                                                 3 weeks ago   /bin/sh -c #(nop) ADD a /   123MB     
`
    )
  })
  it("docker history -H=false --no-trunc dockhand-fmt/big:v1.2.3-rc.1", () => {
    assert.strictEqual(
      ok(ImageFormat.formatHistory(history["dockhand-fmt/big:v1.2.3-rc.1"]!, { now, human: false, noTrunc: true })),
      `IMAGE                                                                     CREATED AT             CREATED BY                  SIZE        COMMENT
sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1   2026-11-01T00:00:00Z   /bin/sh -c #(nop) ADD b /   5           
<missing>                                                                 2026-10-31T23:00:00Z   /bin/sh -c #(nop) ADD a /   123456789   
`
    )
  })
})

describe("docker system df, image parts (recorded)", () => {
  const df: { readonly LayersSize: number; readonly Images: ReadonlyArray<Image.Summary> } = {
    "LayersSize": 125693527,
    "Images": [
      {
        "Containers": 0,
        "Created": 1907755200,
        "Id": "sha256:abafcb92276bd48cdeeebcba69bfc41839042fae3a12780d4f649092031089e6",
        "Labels": null,
        "ParentId": "",
        "RepoDigests": null,
        "RepoTags": [
          "dockhand-fmt/future:2030"
        ],
        "SharedSize": 0,
        "Size": 1125,
        "VirtualSize": 1125
      },
      {
        "Containers": 0,
        "Created": 1793491200,
        "Id": "sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1",
        "Labels": null,
        "ParentId": "",
        "RepoDigests": [
          "127.0.0.1:5000/dockhand-fmt/bigdigest@sha256:2f6eb956d5154a372c1d52b839fcf21295dea3f42fdbc41428e5bca08069fd79"
        ],
        "RepoTags": [
          "dockhand-fmt/big:v1.2.3-rc.1"
        ],
        "SharedSize": 0,
        "Size": 123456794,
        "VirtualSize": 123456794
      },
      {
        "Containers": 0,
        "Created": 1763627400,
        "Id": "sha256:068f2f7c21daaf8abf99faaaf6795df7efaa055526002ce19ce034bdcbf63493",
        "Labels": null,
        "ParentId": "",
        "RepoDigests": [
          "<none>@<none>"
        ],
        "RepoTags": [
          "<none>:<none>"
        ],
        "SharedSize": 0,
        "Size": 0,
        "VirtualSize": 0
      },
      {
        "Containers": 0,
        "Created": 1748736000,
        "Id": "sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6",
        "Labels": null,
        "ParentId": "",
        "RepoDigests": null,
        "RepoTags": [
          "dockhand-fmt/wide:1"
        ],
        "SharedSize": 0,
        "Size": 42,
        "VirtualSize": 42
      },
      {
        "Containers": 0,
        "Created": 1709287200,
        "Id": "sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037",
        "Labels": {
          "maintainer": "Dock Hand <dh@example.com>",
          "org.example.label": "a<b>&c"
        },
        "ParentId": "",
        "RepoDigests": [
          "127.0.0.1:5000/dockhand-fmt/mirror@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86",
          "127.0.0.1:5000/dockhand-fmt/old@sha256:62add12b47e15819c6904146047bd07ad8ef56e4f9bce3bfc23678095f6ecd86"
        ],
        "RepoTags": [
          "127.0.0.1:5000/dockhand-fmt/mirror:v",
          "127.0.0.1:5000/dockhand-fmt/old:1",
          "127.0.0.1:5000/dockhand-fmt/old:latest",
          "dockhand-fmt/alias:latest",
          "dockhand-fmt/old:1",
          "dockhand-fmt/old:2"
        ],
        "SharedSize": 0,
        "Size": 1235567,
        "VirtualSize": 1235567
      },
      {
        "Containers": 0,
        "Created": -62135596800,
        "Id": "sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949",
        "Labels": null,
        "ParentId": "",
        "RepoDigests": null,
        "RepoTags": [
          "dockhand-fmt/zero:epoch"
        ],
        "SharedSize": 0,
        "Size": 999999,
        "VirtualSize": 999999
      }
    ]
  }
  it("docker system df --format json: the Images line", () => {
    const row = ImageFormat.diskUsageImagesContext(df.LayersSize, df.Images)
    assert.strictEqual(
      ok(Table.render({ format: "json", header: ImageFormat.diskUsageHeader, rows: [row] })),
      `{"Active":"0","Reclaimable":"125.7MB (100%)","Size":"125.7MB","TotalCount":"6","Type":"Images"}
`
    )
  })
  it("docker system df -v: Images space usage (and the other, empty, sections)", () => {
    const usage = { images: df.Images, containers: [], volumes: [], buildCache: [], buildCacheSize: 0 }
    assert.strictEqual(
      ok(DiskUsageFormat.formatDiskUsageVerbose(usage, undefined, { now })),
      `Images space usage:

REPOSITORY                           TAG           IMAGE ID       CREATED                  SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS
dockhand-fmt/future                  2030          abafcb92276b   Less than a second ago   1.12kB    0B            1.125kB       0
dockhand-fmt/big                     v1.2.3-rc.1   0c65d891fcd6   3 weeks ago              123MB     0B            123.5MB       0
<none>                               <none>        068f2f7c21da   12 months ago            0B        0B            0B            0
dockhand-fmt/wide                    1             0b9b984f783b   18 months ago            42B       0B            42B           0
127.0.0.1:5000/dockhand-fmt/mirror   v             25c6344da470   2 years ago              1.24MB    0B            1.236MB       0
dockhand-fmt/zero                    epoch         145005a75e5d                            1e+03kB   0B            1000kB        0

Containers space usage:

CONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES

Local Volumes space usage:

VOLUME NAME   LINKS     SIZE

Build cache usage: 0B

CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED
`
    )
  })
})
describe("table layouts (recorded: docker image ls --filter reference=dockhand-fmt/* --digests --format …)", () => {
  const filtered: ReadonlyArray<Image.Summary> = [
    {
      "Containers": -1,
      "Created": 1793491200,
      "Id": "sha256:0c65d891fcd6a600de087afb11980e059fb740c2843eb3af7f494f1e1ecb4ce1",
      "Labels": null,
      "ParentId": "",
      "RepoDigests": null,
      "RepoTags": [
        "dockhand-fmt/big:v1.2.3-rc.1"
      ],
      "SharedSize": -1,
      "Size": 123456794,
      "VirtualSize": 123456794
    },
    {
      "Containers": -1,
      "Created": 1748736000,
      "Id": "sha256:0b9b984f783bd0733904827ed58bc662fde02a1400c2493e05dd9c662a5ddac6",
      "Labels": null,
      "ParentId": "",
      "RepoDigests": null,
      "RepoTags": [
        "dockhand-fmt/wide:1"
      ],
      "SharedSize": -1,
      "Size": 42,
      "VirtualSize": 42
    },
    {
      "Containers": -1,
      "Created": 1709287200,
      "Id": "sha256:25c6344da470ec798e2ece9b75a6728ab08d18c2c6e367c114227a57f9058037",
      "Labels": {
        "maintainer": "Dock Hand <dh@example.com>",
        "org.example.label": "a<b>&c"
      },
      "ParentId": "",
      "RepoDigests": null,
      "RepoTags": [
        "dockhand-fmt/alias:latest",
        "dockhand-fmt/old:1",
        "dockhand-fmt/old:2"
      ],
      "SharedSize": -1,
      "Size": 1235567,
      "VirtualSize": 1235567
    },
    {
      "Containers": -1,
      "Created": -62135596800,
      "Id": "sha256:145005a75e5dd48c383076b6ba1f04f3cf269190f4635e11bbc347ab17a85949",
      "Labels": null,
      "ParentId": "",
      "RepoDigests": null,
      "RepoTags": [
        "dockhand-fmt/zero:epoch"
      ],
      "SharedSize": -1,
      "Size": 999999,
      "VirtualSize": 999999
    }
  ]
  it("table {{.ID}}\\n{{.Tag}}\\t{{.Size}}", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(filtered, { now, digests: true, format: "table {{.ID}}\\n{{.Tag}}\\t{{.Size}}" })),
      `IMAGE ID
TAG       SIZE      DIGEST
0c65d891fcd6
v1.2.3-rc.1   123MB     <none>
0b9b984f783b
1         42B       <none>
25c6344da470
latest    1.24MB    <none>
25c6344da470
1         1.24MB    <none>
25c6344da470
2         1.24MB    <none>
145005a75e5d
epoch     1e+03kB   <none>
`
    )
  })
  it("table {{.Repository}}\\t\\t{{.Tag}}", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(filtered, { now, digests: true, format: "table {{.Repository}}\\t\\t{{.Tag}}" })),
      `REPOSITORY                     TAG           DIGEST
dockhand-fmt/big               v1.2.3-rc.1   <none>
dockhand-fmt/wide              1             <none>
dockhand-fmt/alias             latest        <none>
dockhand-fmt/old               1             <none>
dockhand-fmt/old               2             <none>
dockhand-fmt/zero              epoch         <none>
`
    )
  })
  it("table {{if eq .Tag \"1\"}}{{.ID}}\\t{{end}}{{.Repository}}\\t{{.Tag}}", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(filtered, {
          now,
          digests: true,
          format: "table {{if eq .Tag \"1\"}}{{.ID}}\\t{{end}}{{.Repository}}\\t{{.Tag}}"
        })
      ),
      `REPOSITORY           TAG                 DIGEST
dockhand-fmt/big     v1.2.3-rc.1         <none>
0b9b984f783b         dockhand-fmt/wide   1         <none>
dockhand-fmt/alias   latest              <none>
25c6344da470         dockhand-fmt/old    1         <none>
dockhand-fmt/old     2                   <none>
dockhand-fmt/zero    epoch               <none>
`
    )
  })
  it("table {{.Tag}}\\t{{.Repository}}\\t{{.Tag}}\\t", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(filtered, {
          now,
          digests: true,
          format: "table {{.Tag}}\\t{{.Repository}}\\t{{.Tag}}\\t"
        })
      ),
      `TAG           REPOSITORY           TAG                     DIGEST
v1.2.3-rc.1   dockhand-fmt/big     v1.2.3-rc.1             <none>
1             dockhand-fmt/wide    1                       <none>
latest        dockhand-fmt/alias   latest                  <none>
1             dockhand-fmt/old     1                       <none>
2             dockhand-fmt/old     2                       <none>
epoch         dockhand-fmt/zero    epoch                   <none>
`
    )
  })
  it("table\\t{{.Tag}}", () => {
    assert.strictEqual(
      ok(ImageFormat.formatImageList(filtered, { now, digests: true, format: "table\\t{{.Tag}}" })),
      `          TAG           DIGEST
          v1.2.3-rc.1   <none>
          1             <none>
          latest        <none>
          1             <none>
          2             <none>
          epoch         <none>
`
    )
  })
  it("table {{range split .Repository \"/\"}}{{.}}\\t{{end}}|", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(filtered, {
          now,
          digests: true,
          format: "table {{range split .Repository \"/\"}}{{.}}\\t{{end}}|"
        })
      ),
      `
dockhand-fmt   big       |         <none>
dockhand-fmt   wide      |         <none>
dockhand-fmt   alias     |         <none>
dockhand-fmt   old       |         <none>
dockhand-fmt   old       |         <none>
dockhand-fmt   zero      |         <none>
`
    )
  })
  it("table {{.Repository}}\\t{{.Tag}}\\n\\t{{.ID}}", () => {
    assert.strictEqual(
      ok(
        ImageFormat.formatImageList(filtered, {
          now,
          digests: true,
          format: "table {{.Repository}}\\t{{.Tag}}\\n\\t{{.ID}}"
        })
      ),
      `REPOSITORY           TAG
                     IMAGE ID   DIGEST
dockhand-fmt/big     v1.2.3-rc.1
                     0c65d891fcd6   <none>
dockhand-fmt/wide    1
                     0b9b984f783b   <none>
dockhand-fmt/alias   latest
                     25c6344da470   <none>
dockhand-fmt/old     1
                     25c6344da470   <none>
dockhand-fmt/old     2
                     25c6344da470   <none>
dockhand-fmt/zero    epoch
                     145005a75e5d   <none>
`
    )
  })
})
