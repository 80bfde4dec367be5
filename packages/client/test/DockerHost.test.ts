import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as DockerHost from "../src/DockerHost.ts"

const tcp = (hostname: string, port: number, tls?: DockerHost.Tls) => new DockerHost.Tcp({ hostname, port, tls })

describe("DockerHost.joinHostPort", () => {
  it("joins as Go's net.JoinHostPort: brackets only around a host with a colon", () => {
    assert.strictEqual(DockerHost.joinHostPort("localhost", 2375), "localhost:2375")
    assert.strictEqual(DockerHost.joinHostPort("127.0.0.1", "80"), "127.0.0.1:80")
    assert.strictEqual(DockerHost.joinHostPort("::1", 2376), "[::1]:2376")
    assert.strictEqual(DockerHost.joinHostPort("fe80::1%eth0", "8080"), "[fe80::1%eth0]:8080")
    assert.strictEqual(DockerHost.joinHostPort("", "7"), ":7")
    assert.strictEqual(DockerHost.joinHostPort("0.0.0.0", "80-81"), "0.0.0.0:80-81")
  })
})

describe("DockerHost.splitHostPort", () => {
  const ok = (hostPort: string, host: string, port: string) =>
    assert.deepStrictEqual(DockerHost.splitHostPort(hostPort), Result.succeed({ host, port }), hostPort)
  const fails = (hostPort: string, why: string) =>
    assert.deepStrictEqual(DockerHost.splitHostPort(hostPort), Result.fail(`address ${hostPort}: ${why}`), hostPort)

  it("splits host:port and [ipv6]:port, the port possibly empty", () => {
    ok("localhost:2375", "localhost", "2375")
    ok("[::1]:2376", "::1", "2376")
    ok("[fe80::1%eth0]:80", "fe80::1%eth0", "80")
    ok(":80", "", "80")
    ok("host:", "host", "")
    ok("[::1]:", "::1", "")
    ok("[]:1", "", "1")
    ok("host:http", "host", "http")
  })

  it("refuses what Go's net.SplitHostPort refuses, with its text", () => {
    fails("localhost", "missing port in address")
    fails("[::1]", "missing port in address")
    fails("[::1]x:1", "missing port in address")
    fails("::1", "too many colons in address")
    fails("a:b:c", "too many colons in address")
    fails("[::1]:1:2", "too many colons in address")
    fails("[::1:80", "missing ']' in address")
    fails("[a[b]:1", "unexpected '[' in address")
    fails("a[b:1", "unexpected '[' in address")
    fails("a]:1", "unexpected ']' in address")
  })

  it("undoes joinHostPort", () => {
    for (const [host, port] of [["localhost", "2375"], ["::1", "2376"], ["", "1"], ["10.0.0.1", ""]] as const) {
      const joined = DockerHost.joinHostPort(host, port)
      assert.deepStrictEqual(DockerHost.splitHostPort(joined), Result.succeed({ host, port }))
    }
  })
})

describe("DockerHost.origin and DockerHost.hostHeader", () => {
  it("a unix socket, ssh and a named pipe: docker's placeholder host, over http", () => {
    for (
      const endpoint of [
        new DockerHost.Unix({ path: "/var/run/docker.sock" }),
        new DockerHost.Ssh({ user: "me", hostname: "example.com", port: 22, socketPath: undefined }),
        new DockerHost.Npipe({ path: "//./pipe/docker_engine" })
      ]
    ) {
      assert.strictEqual(DockerHost.hostHeader(endpoint), "api.moby.localhost", endpoint._tag)
      assert.strictEqual(DockerHost.origin(endpoint), "http://api.moby.localhost", endpoint._tag)
    }
  })

  it("TCP: host:port, the port written even when it is the scheme's default", () => {
    assert.strictEqual(DockerHost.hostHeader(tcp("127.0.0.1", 2375)), "127.0.0.1:2375")
    assert.strictEqual(DockerHost.origin(tcp("127.0.0.1", 2375)), "http://127.0.0.1:2375")
    assert.strictEqual(DockerHost.hostHeader(tcp("docker.example", 80)), "docker.example:80")
    assert.strictEqual(DockerHost.origin(tcp("docker.example", 80)), "http://docker.example:80")
  })

  it("TCP with TLS: https, verified or not", () => {
    assert.strictEqual(DockerHost.origin(tcp("localhost", 2376, { verify: true })), "https://localhost:2376")
    assert.strictEqual(DockerHost.origin(tcp("localhost", 443, { verify: false })), "https://localhost:443")
    assert.strictEqual(DockerHost.hostHeader(tcp("localhost", 443, { verify: false })), "localhost:443")
  })

  it("TCP to an IPv6 address: bracketed in the Host header and the origin, as a URL takes it", () => {
    const endpoint = tcp("::1", 2375)
    assert.strictEqual(DockerHost.hostHeader(endpoint), "[::1]:2375")
    assert.strictEqual(DockerHost.origin(endpoint), "http://[::1]:2375")
    assert.strictEqual(new URL(`${DockerHost.origin(endpoint)}/v1.54/_ping`).hostname, "[::1]")
    assert.strictEqual(DockerHost.origin(tcp("fe80::2", 2376, { verify: true })), "https://[fe80::2]:2376")
  })

  it("the origin of every parsed host is a URL origin its path can follow", () => {
    for (const host of ["unix:///tmp/d.sock", "tcp://[::1]:2375", "tcp://localhost", "https://h:8443", "ssh://u@h"]) {
      const endpoint = Result.getOrThrow(DockerHost.parse(host))
      const url = new URL(`${DockerHost.origin(endpoint)}/v1.54/images/json?all=1`)
      assert.strictEqual(url.pathname + url.search, "/v1.54/images/json?all=1", host)
    }
  })
})

describe("DockerHost.parse and format with IPv6 brackets", () => {
  it("takes the brackets off an IPv6 host and writes them back", () => {
    const endpoint = Result.getOrThrow(DockerHost.parse("tcp://[::1]:2376"))
    assert.deepStrictEqual(endpoint, tcp("::1", 2376))
    assert.strictEqual(DockerHost.format(endpoint), "tcp://[::1]:2376")
    assert.deepStrictEqual(Result.getOrThrow(DockerHost.parse("tcp://[fe80::1]")), tcp("fe80::1", 2375))
    assert.deepStrictEqual(
      Result.getOrThrow(DockerHost.parse("ssh://me@[::1]:2222/run/d.sock")),
      new DockerHost.Ssh({ user: "me", hostname: "::1", port: 2222, socketPath: "/run/d.sock" })
    )
  })

  it("defaults the port by scheme and refuses a bad one", () => {
    assert.strictEqual((Result.getOrThrow(DockerHost.parse("http://[::1]")) as DockerHost.Tcp).port, 80)
    assert.strictEqual((Result.getOrThrow(DockerHost.parse("https://h")) as DockerHost.Tcp).port, 443)
    assert.strictEqual((Result.getOrThrow(DockerHost.parse("tcp://h")) as DockerHost.Tcp).port, 2375)
    const bad = DockerHost.parse("tcp://[::1]:x")
    assert.isTrue(Result.isFailure(bad))
    if (Result.isFailure(bad)) assert.strictEqual(bad.failure.message, `invalid port "x" in tcp://[::1]:x`)
  })
})
