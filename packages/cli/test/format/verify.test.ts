import { it } from "@effect/vitest"
import * as fs from "node:fs"
import * as ImageFormat from "../../src/internal/format/ImageFormat.ts"
import * as Table from "../../src/internal/format/Table.ts"

const file = process.env.CAPTURE ?? "/tmp/fmtwork/capture1.json"
type Cmd = { args: Array<string>; stdout: string; stderr: string; rc: number; t: number; t2: number }
// Orders images as docker printed them (ties in Created come back in random order from the daemon).
const reorder = (images: Array<any>, out: string) => {
  const pos = (img: any) => { const i = out.indexOf(img.Id.slice(7, 19)); return i < 0 ? Infinity : i }
  return [...images].sort((a, b) => pos(a) - pos(b))
}

const lsOptions = (args: Array<string>, now: number): ImageFormat.ImageListOptions => {
  const o: { -readonly [K in keyof ImageFormat.ImageListOptions]: ImageFormat.ImageListOptions[K] } = { now }
  for (let i = 2; i < args.length; i++) {
    const a = args[i]!
    if (a === "--digests") o.digests = true
    else if (a === "--no-trunc") o.noTrunc = true
    else if (a === "-q") o.quiet = true
    else if (a === "-a") continue
    else if (a === "--format") o.format = args[++i]!
  }
  return o
}
const histOptions = (args: Array<string>, now: number) => {
  const o: { -readonly [K in keyof ImageFormat.HistoryOptions]: ImageFormat.HistoryOptions[K] } = { now }
  for (let i = 1; i < args.length - 1; i++) {
    const a = args[i]!
    if (a === "--no-trunc") o.noTrunc = true
    else if (a === "-q") o.quiet = true
    else if (a === "-H=false") o.human = false
    else if (a === "--format") o.format = args[++i]!
  }
  return o
}

it("verify against captured docker output", () => {
  if (!fs.existsSync(file)) return
  const cap = JSON.parse(fs.readFileSync(file, "utf8"))
  const now = cap.now * 1000
  let ok = 0
  let bad = 0
  const check = (c: Cmd & { t?: number }, mine: string) => {
    const theirs = c.stdout + c.stderr
    if (mine === theirs) ok++
    else {
      bad++
      const sameLines = [...mine.split("\n")].sort().join("\n") === [...theirs.split("\n")].sort().join("\n")
      console.log(`MISMATCH ${JSON.stringify(c.args)} ${sameLines ? "(order only)" : ""}\n--- docker\n${theirs}--- mine\n${mine}`)
    }
  }
  const render = (r: any) => r._tag === "Success" ? r.success : r.failure.message + "\n"
  for (const c of cap.ls as Array<Cmd>) check(c, render(ImageFormat.formatImageList(cap.images, lsOptions(c.args, c.t * 1000))))
  for (const c of cap.lsa as Array<Cmd>) check(c, render(ImageFormat.formatImageList(reorder(cap.imagesAll, c.stdout), lsOptions(c.args, c.t * 1000))))
  for (const c of cap.hist as Array<Cmd>) {
    const ref = c.args[c.args.length - 1]!
    check(c, render(ImageFormat.formatHistory(cap.history[ref], histOptions(c.args, c.t * 1000))))
  }
  const df = cap.df
  const dfImages = render(Table.render({ format: ImageFormat.defaultDiskUsageTableFormat, header: ImageFormat.diskUsageHeader, rows: [ImageFormat.diskUsageImagesContext(df.LayersSize, df.Images)] }))
  console.log("df summary (mine, images only):\n" + dfImages)
  console.log("df -v images (mine):\n" + render(ImageFormat.formatDiskUsageImagesVerbose(df.Images, { now })))
  console.log(`ok=${ok} bad=${bad}`)
})

it("export goldens", () => {
  const files = (process.env.GOLDEN_CAPTURES ?? "").split(",").filter((f) => f !== "")
  if (files.length === 0) return
  const goldens = new Map<string, { kind: string; args: Array<string>; expected: string; now: number }>()
  const render = (r: any) => r._tag === "Success" ? r.success : r.failure.message + "\n"
  let base: any
  for (const f of files) {
    const cap = JSON.parse(fs.readFileSync(f, "utf8"))
    base ??= cap
    const consider = (kind: string, c: Cmd, mine: string) => {
      const key = kind + JSON.stringify(c.args)
      if (!goldens.has(key) && mine === c.stdout + c.stderr) goldens.set(key, { kind, args: c.args, expected: mine, now: c.t * 1000 })
    }
    for (const c of cap.ls as Array<Cmd>) consider("ls", c, render(ImageFormat.formatImageList(cap.images, lsOptions(c.args, c.t * 1000))))
    for (const c of cap.hist as Array<Cmd>) {
      const ref = c.args[c.args.length - 1]!
      consider("hist", c, render(ImageFormat.formatHistory(cap.history[ref], histOptions(c.args, c.t * 1000))))
    }
  }
  fs.writeFileSync("/tmp/fmtwork/goldens.json", JSON.stringify({ images: base.images, history: base.history, df: base.df, dfcmd: base.dfcmd, goldens: [...goldens.values()] }, null, 1))
  console.log("goldens", goldens.size)
})
