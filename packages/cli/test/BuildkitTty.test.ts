import { BuildkitTrace } from "@dockhand/codecs"
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import * as BuildkitTty from "../src/internal/build/BuildkitTty.ts"

/** The updates of a build recorded from Engine 28.5.2 (the codecs package's fixtures). */
const traces = (name: string): Array<BuildkitTrace.Trace> =>
  readFileSync(new URL(`../../codecs/test/fixtures/buildkit-engine-28.5.2/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .flatMap((line) => {
      const trace = BuildkitTrace.fromMessage(JSON.parse(line) as JsonMessage.Message)
      return Result.isSuccess(trace) && Option.isSome(trace.success) ? [trace.success.value] : []
    })

/** The daemon's latest time in an update: when a client without clock skew would receive it. */
const latest = (trace: BuildkitTrace.Trace): number =>
  Math.max(
    0,
    ...trace.vertexes.flatMap((v) => [v.started ?? 0, v.completed ?? 0]),
    ...trace.statuses.flatMap((s) => [s.timestamp ?? 0, s.completed ?? 0]),
    ...trace.logs.map((l) => l.timestamp ?? 0)
  )

const noColors = BuildkitTty.colors(() => "1")

/** A minimal terminal: applies the frames' text and cursor moves to a screen of lines. */
const screen = (text: string): Array<string> => {
  const lines: Array<string> = [""]
  let y = 0
  let x = 0
  const re = /\x1b\[(\??)(\d*)([A-Za-z])|\n|[^\x1b\n]+/g
  for (const match of text.matchAll(re)) {
    const token = match[0]
    if (token === "\n") {
      y++
      x = 0
      if (lines.length <= y) lines.push("")
    } else if (match[3] !== undefined) {
      const n = Number(match[2] || "1")
      if (match[3] === "A") y = Math.max(0, y - n)
      else if (match[3] === "B") y += n
      else if (match[3] === "G") x = 0
      while (lines.length <= y) lines.push("")
    } else {
      const line = lines[y]!.padEnd(x)
      lines[y] = line.slice(0, x) + token + line.slice(x + token.length)
      x += token.length
    }
  }
  return lines.map((line) => line.trimEnd())
}

/** Plays a recorded build into the view, drawing a frame after each update at the daemon's time. */
const play = (name: string, size = { columns: 100, rows: 40 }, colors = noColors) => {
  const display = BuildkitTty.make({ desc: "docker:default", colors, columns: size.columns })
  let text = ""
  let now = 0
  for (const trace of traces(name)) {
    now = Math.max(now, latest(trace))
    display.update(trace, now)
    text += display.frame(now, size, false)
  }
  return { display, text, now, size }
}

/** A header line: the description right-aligned to one column short of the width. */
const header = (left: string, width = 100) => `${left.padEnd(width - 16)} docker:default`
/** A step's line: the timer right-aligned to one column short of the width. */
const job = (left: string, timer: string, width = 100) => `${left.padEnd(width - 7)}  ${timer}`

describe("BuildkitTty", () => {
  it("ends a build on buildx's final frame: FINISHED, every step with its timer, sub-tasks and warnings", () => {
    const { display, now, size, text } = play("ok.jsonl")
    const final = display.frame(now + 1000, size, true)
    assert.deepStrictEqual(screen(text + final).filter((line) => line !== ""), [
      header("[+] Building 2.9s (6/6) FINISHED", 100),
      job(" => [internal] load remote build context", "0.1s"),
      job(" => copy /context /", "0.0s"),
      job(" => WARN: LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key val", "0.0s"),
      job(" => [base 1/2] COPY busybox /bin/sh", "0.0s"),
      job(" => [base 2/2] RUN echo \"hi from base\" && echo \"to stderr\" >&2", "0.4s"),
      job(" => [final 1/1] RUN echo \"second hi\"", "0.3s"),
      job(" => exporting to image", "0.9s"),
      job(" => => exporting layers", "0.7s"),
      job(" => => exporting manifest sha256:ebd759ec29d79447ffc1741e20f19f55e456c5614bf4fd35c59a6b952d0c", "0.0s"),
      job(" => => exporting config sha256:59f23dfd28930cf78df3bc8146451ec7d1828d624df29b5d94abbe969e400e", "0.0s"),
      job(" => => naming to docker.io/library/h11rec:1", "0.0s"),
      job(" => => unpacking to docker.io/library/h11rec:1", "0.2s")
    ])
    // drawn over the previous frame: up one line more than it had, to column 0, the cursor hidden while drawing
    assert.isTrue(final.startsWith(`${"\x1b[1A".repeat(13)}\x1b[0G\x1b[?25l[+] Building`))
    assert.isTrue(final.endsWith("\x1b[?25h"))
    assert.strictEqual(display.errorLogs(), "")
    assert.strictEqual(display.warnings().length, 1)
  })

  it("the first frame starts where the cursor is; the header times the build from its first step", () => {
    const display = BuildkitTty.make({ desc: "docker:default", colors: noColors })
    const vertex = traces("ok.jsonl")[0]!.vertexes[0]!
    // the client's clock is 5 s ahead of the daemon's: the header and the timers count from when the step arrived
    display.update({ vertexes: [{ ...vertex, started: 1000 }], statuses: [], logs: [], warnings: [] }, 6000)
    const frame = display.frame(7234, { columns: 60, rows: 20 }, false)
    assert.isTrue(frame.startsWith("\x1b[1A\x1b[1B\x1b[0G\x1b[?25l"))
    assert.deepStrictEqual(screen(frame).filter((line) => line !== ""), [
      header("[+] Building 1.2s (0/1)", 60),
      job(" => [internal] load remote build context", "1.2s", 60)
    ])
  })

  it("shows a running step's last output lines, faint, while the screen has room; folds them once it is done", () => {
    const display = BuildkitTty.make({ desc: "docker:default", colors: BuildkitTty.colors(() => undefined) })
    const size = { columns: 80, rows: 30 }
    let now = 0
    const frames: Array<string> = []
    for (const trace of traces("ok.jsonl")) {
      now = Math.max(now, latest(trace))
      display.update(trace, now)
      frames.push(display.frame(now, size, false))
    }
    const withOutput = frames.find((frame) => frame.includes(" => => # "))!
    assert.include(withOutput, `\x1b[2m${" => => # hi from base".padEnd(79)}\n\x1b[0m`)
    assert.include(withOutput, "to stderr")
    const last = screen(frames.join("") + display.frame(now, size, true))
    assert.notInclude(last.join("\n"), " => => # ")
    // finished steps in blue (buildx's default colour), running ones without colour
    assert.include(withOutput, `\x1b[34m${job(" => [base 1/2] COPY busybox /bin/sh", "0.0s", 80)}\n\x1b[0m`)
    assert.match(withOutput, /\n(\x1b\[0m)? => \[base 2\/2\] RUN [^\n\x1b]* 0\.\ds\n/)
  })

  it("marks a failed step ERROR in red and prints its output after the last frame; cache hits are CACHED", () => {
    const fail = play("fail.jsonl", { columns: 100, rows: 40 }, BuildkitTty.colors(() => undefined))
    const final = fail.display.frame(fail.now + 1000, fail.size, true)
    assert.include(
      final,
      `\x1b[31m${job(" => ERROR [2/2] RUN echo line one && echo line two && exit 3", "0.2s")}\n\x1b[0m`
    )
    assert.include(screen(final).join("\n"), " => CACHED copy /context /")
    assert.strictEqual(
      fail.display.errorLogs(),
      "------\n > [2/2] RUN echo line one && echo line two && exit 3:\n0.166 line one\n0.166 line two\n------\n"
    )
    const cached = play("cached.jsonl")
    const lines = screen(cached.text + cached.display.frame(cached.now, cached.size, true))
    assert.include(lines, job(" => CACHED [base 2/2] RUN echo \"hi from base\" && echo \"to stderr\" >&2", "0.0s"))
    assert.include(lines, header("[+] Building 0.2s (6/6) FINISHED"))
  })

  it("ends a build cancelled in the daemon (POST /build/cancel) with the running step CANCELED in yellow", () => {
    const { display, now, size, text } = play(
      "canceled.jsonl",
      { columns: 100, rows: 40 },
      BuildkitTty.colors(() => undefined)
    )
    const final = display.frame(now + 1000, size, true)
    const lines = screen(text + final).filter((line) => line !== "")
    assert.match(lines[0]!, /^\[\+\] Building \d+\.\ds \(4\/4\) FINISHED /)
    assert.include(final, `\x1b[33m${job(" => CANCELED [2/2] RUN echo started && sleep 600 && echo never", "1.3s")}\n`)
    assert.strictEqual(display.errorLogs(), "")
  })

  it("while running, draws only as many steps as the screen has rows, and clears lines a shorter frame leaves", () => {
    const { display, now } = play("ok.jsonl")
    const small = display.frame(now, { columns: 100, rows: 6 }, false)
    const lines = screen(small).filter((line) => line !== "")
    assert.strictEqual(lines.length, 5) // the header and rows - 2 steps
    assert.strictEqual(lines.at(-1), job(" => => unpacking to docker.io/library/h11rec:1", "0.2s"))
    // the previous frame had 12 lines: the 8 left over are blanked, then the cursor goes back up
    assert.isTrue(small.endsWith(`${`${" ".repeat(100)}\n`.repeat(8)}\x1b[8A\x1b[0G\x1b[?25h`))
  })

  it("draws a progress group as one step, a cancelled step in yellow, and output as a small terminal shows it", () => {
    const display = BuildkitTty.make({ desc: "docker:default", colors: BuildkitTty.colors(() => undefined) })
    const group = { id: "g1", name: "pushing layers", weak: false }
    const vertex = (digest: string, name: string, extra: Partial<BuildkitTrace.Vertex>): BuildkitTrace.Vertex => ({
      digest,
      name,
      inputs: [],
      cached: false,
      ...extra
    })
    const empty = { vertexes: [], statuses: [], logs: [], warnings: [] }
    display.update({
      ...empty,
      vertexes: [
        vertex("sha256:a", "push a", { started: 1000, completed: 1500, progressGroup: group }),
        vertex("sha256:b", "push b", { started: 1200, completed: 2000, progressGroup: group }),
        vertex("sha256:c", "[1/1] RUN loop", { started: 1000 })
      ]
    }, 1000)
    // a progress bar redrawn with \r, a line longer than the box, an escape sequence dropped
    const text = "10%\r50%\r99%\n" + "x".repeat(75) + "\n\x1b[1mbold\x1b[0m\n"
    display.update(
      { ...empty, logs: [{ vertex: "sha256:c", stream: 1, timestamp: 1100, data: Buffer.from(text) }] },
      1100
    )
    const running = screen(display.frame(1500, { columns: 80, rows: 30 }, false))
    assert.deepStrictEqual(running.filter((line) => line !== ""), [
      // buildx counts a group once per member and once itself; it lists it after the update's other steps
      header("[+] Building 0.5s (3/4)", 80),
      job(" => [1/1] RUN loop", "0.5s", 80),
      ` => => # 99%`,
      ` => => # ${"x".repeat(70)}`,
      ` => => # xxxxx`,
      ` => => # bold`,
      job(" => pushing layers", "1.0s", 80)
    ])
    display.update({
      ...empty,
      vertexes: [vertex("sha256:c", "[1/1] RUN loop", { started: 1000, completed: 1600, error: "context canceled" })]
    }, 1600)
    const final = display.frame(1700, { columns: 80, rows: 30 }, true)
    assert.include(final, `\x1b[33m${job(" => CANCELED [1/1] RUN loop", "0.6s", 80)}\n\x1b[0m`)
    assert.include(final, `\x1b[34m${job(" => pushing layers", "1.0s", 80)}\n\x1b[0m`)
    assert.strictEqual(display.errorLogs(), "") // a cancelled step's output is not repeated
  })

  it("takes its colours from NO_COLOR and BUILDKIT_COLORS as buildx does", () => {
    assert.deepStrictEqual(BuildkitTty.colors(() => undefined), {
      run: "\x1b[34m",
      cancel: "\x1b[33m",
      warning: "\x1b[33m",
      error: "\x1b[31m"
    })
    const env = (values: Record<string, string>) => (name: string) => values[name]
    assert.deepStrictEqual(BuildkitTty.colors(env({ NO_COLOR: "1", BUILDKIT_COLORS: "run=green" })), {
      run: undefined,
      cancel: undefined,
      warning: undefined,
      error: undefined
    })
    assert.deepStrictEqual(
      BuildkitTty.colors(env({ NO_COLOR: "", BUILDKIT_COLORS: "run=green:ERROR=light-red:cancel=255,165,0:x=red:y" })),
      { run: "\x1b[32m", cancel: "\x1b[38;5;214m", warning: "\x1b[33m", error: "\x1b[91m" }
    )
  })
})
