/**
 * Terminal injection: text from the daemon (tags in a table, template output, progress fields, the daemon's error
 * messages) reaches a terminal with its control characters escaped, while the display's own cursor movements stay
 * intact; to a pipe the bytes are exactly the daemon's, as docker writes them.
 */
import type { Image, JsonMessage } from "@dockhand/models"
import { describe, expect, it } from "@effect/vitest"
import * as ControlChars from "../../src/internal/ControlChars.ts"
import * as Fake from "./FakeClient.ts"

const ESC = "\x1b"
/** Text that would set the window title and clear the screen if written raw. */
const hostile = `${ESC}]0;pwned${"\x07"}${ESC}[2J`

const history: Record<string, ReadonlyArray<Image.HistoryResponseItem>> = {
  "app:1": [{
    Id: `sha256:${"a".repeat(64)}`,
    Created: 1_700_000_000,
    CreatedBy: `/bin/sh -c #(nop) ${hostile}`,
    Tags: null,
    Size: 0,
    Comment: ""
  }]
}

describe("ControlChars.escape", () => {
  it("writes C0 controls, DEL and C1 controls visibly; keeps tab, newline and printable text", () => {
    expect(ControlChars.escape(`a${ESC}[31mb\r\x00\x7f\u009b\tc\nd é ✓`)).toBe(
      "a\\x1b[31mb\\x0d\\x00\\x7f\\u009b\tc\nd é ✓"
    )
  })
  it("leaves text without controls as it is", () => {
    expect(ControlChars.escape("REPOSITORY   TAG\napp\t1\n")).toBe("REPOSITORY   TAG\napp\t1\n")
  })
})

describe("daemon text holding escape sequences", () => {
  it("is shown escaped in template output on a terminal", async () => {
    const out = await Fake.run(["history", "--format", "{{.CreatedBy}}", "app:1"], { history }, {
      stdoutIsTerminal: true
    })
    expect([out.code, out.stdout]).toEqual([0, "/bin/sh -c #(nop) \\x1b]0;pwned\\x07\\x1b[2J\n"])
  })
  it("is written as the daemon sent it to a pipe", async () => {
    const out = await Fake.run(["history", "--format", "{{.CreatedBy}}", "app:1"], { history })
    expect([out.code, out.stdout]).toEqual([0, `/bin/sh -c #(nop) ${hostile}\n`])
  })
  it("a table on a terminal carries no raw control character, only its own newlines", async () => {
    const out = await Fake.run(["history", "--no-trunc", "app:1"], { history }, { stdoutIsTerminal: true })
    expect(out.code).toBe(0)
    expect(out.stdout).toContain("/bin/sh -c #(nop) \\x1b]0;pwned\\x07\\x1b[2J")
    expect(out.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f]/)
  })
})

describe("progress from the daemon", () => {
  const progress: ReadonlyArray<JsonMessage.Message> = [
    { status: `Pulling from ${ESC}[2Jteam/app` },
    {
      id: `aaaaaaaaaaaa${ESC}[1A`,
      status: `Downloading${ESC}]52;c;aGk=${"\x07"}`,
      progressDetail: { current: 10, total: 20 }
    },
    { status: "Status: done\r" }
  ]
  it("on a terminal: the fields escaped, the display's own cursor codes intact", async () => {
    const out = await Fake.run(["pull", "-q=false", "registry.test/team/app:1"], { progress }, {
      stdoutIsTerminal: true
    })
    expect(out.code).toBe(0)
    expect(out.stdout).toBe(
      "Pulling from \\x1b[2Jteam/app\n" +
        "\n" +
        `${ESC}[1A${ESC}[2K\raaaaaaaaaaaa\\x1b[1A: Downloading\\x1b]52;c;aGk=\\x07 [=========================>                         ]      10B/20B\r${ESC}[1B` +
        "Status: done\\x0d\n" +
        "registry.test/team/app:1\n"
    )
  })
  it("to a pipe: the daemon's text as it came", async () => {
    const out = await Fake.run(["pull", "registry.test/team/app:1"], { progress })
    expect(out.stdout).toBe(`Pulling from ${ESC}[2Jteam/app\nStatus: done\r\nregistry.test/team/app:1\n`)
  })
})

describe("an error message from the daemon", () => {
  const daemon: Fake.FakeDaemon = { remove: { "app:1": { status: 409, message: `conflict ${ESC}[8mhidden${ESC}[0m` } } }
  it("is escaped when standard error is a terminal", async () => {
    const out = await Fake.run(["rmi", "app:1"], daemon, { stderrIsTerminal: true })
    expect([out.code, out.stderr]).toEqual([1, "Error response from daemon: conflict \\x1b[8mhidden\\x1b[0m\n"])
  })
  it("is written as it came to a pipe", async () => {
    const out = await Fake.run(["rmi", "app:1"], daemon)
    expect([out.code, out.stderr]).toEqual([1, `Error response from daemon: conflict ${ESC}[8mhidden${ESC}[0m\n`])
  })
})
