import { assert, describe, it } from "@effect/vitest"
import * as DockerfileExcerpt from "../src/internal/build/DockerfileExcerpt.ts"

const file = (...lines: Array<string>) => lines.join("\n") + "\n"

describe("DockerfileExcerpt.instructions", () => {
  it("splits a Dockerfile as BuildKit's parser does: continuations, comments and empty lines in them, heredocs", () => {
    const text = file(
      "# syntax=docker/dockerfile:1",
      "",
      "ARG V=1",
      "FROM scratch AS base",
      "  # an indented comment",
      "RUN echo one && \\",
      "  # a comment inside",
      "",
      "  echo two",
      "COPY <<EOF /a",
      "content <<NOT",
      "EOF",
      "RUN <<-'ONE' cat - && cat <<TWO",
      "\t\tfirst",
      "\tONE",
      "second",
      "TWO",
      "RUN [\"sh\", \"-c\", \"cat <<EOF\"]",
      "RUN echo \"<<EOF\" 'x <<EOF'",
      "LABEL a=b"
    )
    assert.deepStrictEqual(
      DockerfileExcerpt.instructions(text)!.map((i) => [i.keyword, i.start, i.end]),
      [["ARG", 3, 3], ["FROM", 4, 4], ["RUN", 6, 9], ["COPY", 10, 12], ["RUN", 13, 17], ["RUN", 18, 18], [
        "RUN",
        19,
        19
      ], ["LABEL", 20, 20]]
    )
  })

  it("follows the escape directive (a backtick continues lines) and only at the top", () => {
    const text = file("# escape=`", "FROM scratch", "RUN echo `", "  two \\", "RUN x")
    assert.deepStrictEqual(DockerfileExcerpt.instructions(text)!.map((i) => [i.keyword, i.start, i.end]), [
      ["FROM", 2, 2],
      ["RUN", 3, 4],
      ["RUN", 5, 5]
    ])
    const late = file("FROM scratch", "# escape=`", "RUN echo `", "RUN x")
    assert.deepStrictEqual(DockerfileExcerpt.instructions(late)!.map((i) => [i.keyword, i.start, i.end]), [
      ["FROM", 1, 1],
      ["RUN", 3, 3],
      ["RUN", 4, 4]
    ])
  })

  it("gives up on what BuildKit would refuse: a repeated or invalid directive, an unterminated heredoc", () => {
    assert.isUndefined(DockerfileExcerpt.instructions(file("# escape=\\", "# escape=`", "FROM scratch")))
    assert.isUndefined(DockerfileExcerpt.instructions(file("# escape=x", "FROM scratch")))
    assert.isUndefined(DockerfileExcerpt.instructions(file("FROM scratch", "RUN <<EOF", "echo")))
  })
})

describe("DockerfileExcerpt.locate", () => {
  const multi = file(
    "FROM scratch",
    "COPY busybox /bin/sh",
    "RUN exit 6",
    "",
    "FROM alpine AS Two",
    "WORKDIR /",
    "WORKDIR /app",
    "COPY --from=0 /bin/sh /bin/sh",
    "RUN echo ok && \\",
    "  exit 1"
  )

  it("finds a step by its stage (AS name or stage-N) and number, counting an image's FROM and WORKDIR as BuildKit", () => {
    assert.deepStrictEqual(DockerfileExcerpt.locate(multi, "[stage-0 2/2] RUN exit 6"), { start: 3, end: 3 })
    assert.deepStrictEqual(DockerfileExcerpt.locate(multi, "[two 1/5] FROM docker.io/library/alpine:latest"), {
      start: 5,
      end: 5
    })
    // WORKDIR / makes no step but counts in the total
    assert.deepStrictEqual(DockerfileExcerpt.locate(multi, "[two 2/5] WORKDIR /app"), { start: 7, end: 7 })
    assert.deepStrictEqual(DockerfileExcerpt.locate(multi, "[two 4/5] RUN echo ok &&   exit 1"), { start: 9, end: 10 })
  })

  it("a single stage's steps have no stage name; totals of ten and more are padded", () => {
    const runs = Array.from({ length: 10 }, (_, i) => `RUN echo ${i}`)
    const text = file("FROM scratch AS Only", ...runs)
    assert.deepStrictEqual(DockerfileExcerpt.locate(text, "[ 3/10] RUN echo 2"), { start: 4, end: 4 })
    assert.deepStrictEqual(DockerfileExcerpt.locate(text, "[10/10] RUN echo 9"), { start: 11, end: 11 })
  })

  it("finds nothing when it cannot be sure", () => {
    // the total does not match the Dockerfile (an image's ONBUILD triggers add steps)
    assert.isUndefined(DockerfileExcerpt.locate(multi, "[two 4/7] RUN echo ok &&   exit 1"))
    // the step is not the instruction the number points at
    assert.isUndefined(DockerfileExcerpt.locate(multi, "[stage-0 2/2] COPY busybox /bin/sh"))
    // no such stage; a stage name where there is one stage; no name where there are two
    assert.isUndefined(DockerfileExcerpt.locate(multi, "[three 1/1] RUN x"))
    assert.isUndefined(DockerfileExcerpt.locate(multi, "[2/2] RUN exit 6"))
    // a WORKDIR that may or may not be / before the step
    const variable = file("FROM scratch", "WORKDIR $DIR", "RUN exit 1")
    assert.isUndefined(DockerfileExcerpt.locate(variable, "[2/2] RUN exit 1"))
    assert.isUndefined(DockerfileExcerpt.locate(variable, "[1/2] RUN exit 1"))
    // a platform prefix, an internal step
    assert.isUndefined(DockerfileExcerpt.locate(multi, "[linux/amd64 stage-0 2/2] RUN exit 6"))
    assert.isUndefined(DockerfileExcerpt.locate(multi, "[internal] load build context"))
  })

  it("takes COPY --link's merge step (LINK COPY) as its COPY", () => {
    const text = file("FROM scratch", "COPY --link a /a")
    assert.deepStrictEqual(DockerfileExcerpt.locate(text, "[1/1] LINK COPY a /a"), { start: 2, end: 2 })
  })
})

describe("DockerfileExcerpt.excerpt", () => {
  it("draws the box as buildx does (recorded from docker build on Engine 28.5)", () => {
    const text = file("FROM scratch", "COPY busybox /bin/sh", "RUN echo hi && \\", "  exit 3")
    assert.strictEqual(
      DockerfileExcerpt.excerpt("Dockerfile", text, "[2/2] RUN echo hi &&   exit 3"),
      [
        "Dockerfile:3",
        "--------------------",
        "   2 |     COPY busybox /bin/sh",
        "   3 | >>> RUN echo hi && \\",
        "   4 | >>>   exit 3",
        "   5 |     ",
        "--------------------",
        ""
      ].join("\n")
    )
    const escaped = file(
      "# escape=`",
      "FROM scratch AS Base",
      "COPY busybox /bin/sh",
      "# a comment",
      "RUN echo one && `",
      "  # comment inside",
      "",
      "  exit 4",
      "LABEL a=b"
    )
    assert.strictEqual(
      DockerfileExcerpt.excerpt("A.Dockerfile", escaped, "[2/2] RUN echo one &&   exit 4"),
      [
        "A.Dockerfile:5",
        "--------------------",
        "   4 |     # a comment",
        "   5 | >>> RUN echo one && `",
        "   6 | >>>   # comment inside",
        "   7 | >>> ",
        "   8 | >>>   exit 4",
        "   9 |     LABEL a=b",
        "--------------------",
        ""
      ].join("\n")
    )
    const heredoc = file(
      "FROM scratch",
      "COPY busybox /bin/sh",
      "WORKDIR /w",
      "RUN <<EOF",
      "echo in heredoc",
      "exit 5",
      "EOF",
      "LABEL x=y"
    )
    assert.strictEqual(
      DockerfileExcerpt.excerpt("B.Dockerfile", heredoc, "[3/3] RUN <<EOF (echo in heredoc...)"),
      [
        "B.Dockerfile:4",
        "--------------------",
        "   3 |     WORKDIR /w",
        "   4 | >>> RUN <<EOF",
        "   5 | >>> echo in heredoc",
        "   6 | >>> exit 5",
        "   7 | >>> EOF",
        "   8 |     LABEL x=y",
        "--------------------",
        ""
      ].join("\n")
    )
    const stages = file("FROM scratch", "COPY busybox /bin/sh", "RUN exit 6", "", "FROM scratch AS two", "RUN echo ok")
    assert.strictEqual(
      DockerfileExcerpt.excerpt("C.Dockerfile", stages, "[stage-0 2/2] RUN exit 6"),
      [
        "C.Dockerfile:3",
        "--------------------",
        "   1 |     FROM scratch",
        "   2 |     COPY busybox /bin/sh",
        "   3 | >>> RUN exit 6",
        "   4 |     ",
        "   5 |     FROM scratch AS two",
        "--------------------",
        ""
      ].join("\n")
    )
  })

  it("takes fewer lines at the file's ends, and nothing for a step it cannot place", () => {
    assert.strictEqual(
      DockerfileExcerpt.render("Dockerfile", "FROM a", { start: 1, end: 1 }),
      "Dockerfile:1\n--------------------\n   1 | >>> FROM a\n--------------------\n"
    )
    assert.strictEqual(DockerfileExcerpt.render("Dockerfile", "FROM a", { start: 3, end: 3 }), "")
    assert.strictEqual(DockerfileExcerpt.excerpt("Dockerfile", "FROM scratch\nRUN x\n", "[1/1] COPY a b"), "")
  })
})
