/**
 * What `dockhand` answers before its program loads (`internal/Instant.ts`) is exactly what the program would print,
 * and only for the command lines where that is sure.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Instant from "../src/internal/Instant.ts"
import * as Fake from "./commands/FakeClient.ts"

describe("answered before the program loads", () => {
  it("--version and -v alone: the program's own output", async () => {
    for (const argv of [["--version"], ["-v"]]) {
      const answer = Instant.answer(argv)
      expect(answer).toBeDefined()
      const out = await Fake.run(argv)
      expect([out.code, out.stdout, out.stderr]).toEqual([0, answer, ""])
    }
  })
  it("anything else goes to the program", () => {
    const others = [
      [],
      ["--help"],
      ["version"],
      ["-D", "--version"],
      ["--version", "images"],
      ["--version", "--bogus"],
      ["-v", "-v"],
      ["--version=true"],
      ["images"]
    ]
    for (const argv of others) expect(Instant.answer(argv), argv.join(" ")).toBeUndefined()
  })
})
