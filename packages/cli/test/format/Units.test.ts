import { assert, describe, it } from "@effect/vitest"
import * as Units from "../../src/internal/format/Units.ts"

describe("sizes", () => {
  it("humanSizeWithPrecision(…, 3), docker's image SIZE column", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [0, "0B"],
      [999, "999B"],
      [1000, "1kB"],
      [1125, "1.12kB"], // exact tie, rounded to even (recorded from docker)
      [1135, "1.14kB"],
      [1982256, "1.98MB"], // busybox (recorded)
      [999999, "1e+03kB"], // 999.999 kB rounds to 1000 and Go's %g switches to e-notation (recorded)
      [1235567, "1.24MB"],
      [123456794, "123MB"], // recorded
      [1073741824, "1.07GB"],
      [1e21, "1ZB"],
      [1.234e24, "1.23YB"],
      [1.234e27, "1.23e+03YB"],
      [1.234e30, "1.23e+06YB"],
      [-1, "-1B"]
    ]
    for (const [size, text] of cases) assert.strictEqual(Units.humanSizeWithPrecision(size, 3), text, String(size))
  })
  it("humanSize: 4 significant digits (SHARED SIZE, UNIQUE SIZE, VirtualSize)", () => {
    assert.strictEqual(Units.humanSize(999999), "1000kB") // recorded
    assert.strictEqual(Units.humanSize(1125), "1.125kB") // recorded
    assert.strictEqual(Units.humanSize(123456794), "123.5MB") // recorded
    assert.strictEqual(Units.humanSize(1235567), "1.236MB") // recorded
    assert.strictEqual(Units.humanSize(125693485), "125.7MB") // recorded (system df)
    assert.strictEqual(Units.humanSize(99999999), "100MB")
    assert.strictEqual(Units.humanSize(9999999), "10MB")
  })
})

describe("durations", () => {
  it("humanDuration at every boundary", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [-5, "Less than a second"],
      [0.999, "Less than a second"],
      [1, "1 second"],
      [1.9, "1 second"],
      [2, "2 seconds"],
      [59.99, "59 seconds"],
      [60, "About a minute"],
      [119, "About a minute"],
      [120, "2 minutes"],
      [3599, "59 minutes"],
      [3600, "About an hour"],
      [5399, "About an hour"],
      [5400, "2 hours"],
      [47 * 3600 + 1799, "47 hours"],
      [47 * 3600 + 1800, "2 days"],
      [14 * 86400 - 1801, "13 days"],
      [14 * 86400, "2 weeks"],
      [60 * 86400 - 1801, "8 weeks"],
      [60 * 86400, "2 months"],
      [730 * 86400 - 1801, "24 months"],
      [730 * 86400, "2 years"],
      [3 * 365 * 86400 + 86400, "3 years"]
    ]
    for (const [seconds, text] of cases) assert.strictEqual(Units.humanDuration(seconds), text, String(seconds))
  })
  it("timeAgo", () => {
    assert.strictEqual(Units.timeAgo(1795707237, (1795707237 + 100) * 1000), "About a minute ago")
    assert.strictEqual(Units.timeAgo(1709287200, 1795708102098), "2 years ago")
    assert.strictEqual(Units.timeAgo(1907755200, 1795708102098), "Less than a second ago")
  })
})

describe("ids", () => {
  it("truncateId", () => {
    assert.strictEqual(
      Units.truncateId("sha256:87f03eaf3ad8034b4cc6c953a4e52ad3e35fb523dd2972c0be65067927a7b3ee"),
      "87f03eaf3ad8"
    )
    assert.strictEqual(Units.truncateId("87f03eaf3ad8034b"), "87f03eaf3ad8")
    assert.strictEqual(Units.truncateId("<missing>"), "<missing>")
    assert.strictEqual(Units.truncateId("short"), "short")
  })
})

describe("Go time formats", () => {
  // Recorded: `TZ=<zone> docker image ls --format '{{.CreatedAt}}'` and `docker history -H=false --format
  // '{{.CreatedAt}}'` for an image created 2024-03-01T10:00:00Z.
  const created = 1709287200
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["UTC", "2024-03-01 10:00:00 +0000 UTC", "2024-03-01T10:00:00Z"],
    ["Europe/Berlin", "2024-03-01 11:00:00 +0100 CET", "2024-03-01T11:00:00+01:00"],
    ["America/New_York", "2024-03-01 05:00:00 -0500 EST", "2024-03-01T05:00:00-05:00"],
    ["Asia/Tokyo", "2024-03-01 19:00:00 +0900 JST", "2024-03-01T19:00:00+09:00"],
    ["Asia/Kolkata", "2024-03-01 15:30:00 +0530 IST", "2024-03-01T15:30:00+05:30"],
    ["America/Sao_Paulo", "2024-03-01 07:00:00 -0300 -03", "2024-03-01T07:00:00-03:00"],
    ["Australia/Sydney", "2024-03-01 21:00:00 +1100 AEDT", "2024-03-01T21:00:00+11:00"],
    ["Europe/London", "2024-03-01 10:00:00 +0000 GMT", "2024-03-01T10:00:00Z"]
  ]
  for (const [zone, text, rfc3339] of cases) {
    it(zone, () => {
      const tz = Units.ianaZone(zone)
      assert.strictEqual(Units.goTimeString(created, tz), text)
      assert.strictEqual(Units.goTimeRFC3339(created, tz), rfc3339)
    })
  }
  it("UTC and fixed zones", () => {
    assert.strictEqual(Units.goTimeString(created, Units.utc), "2024-03-01 10:00:00 +0000 UTC")
    assert.strictEqual(
      Units.goTimeString(created, Units.fixedZone("XYZ", -(3 * 3600 + 1800))),
      "2024-03-01 06:30:00 -0330 XYZ"
    )
    assert.strictEqual(
      Units.goTimeRFC3339(created, Units.fixedZone("XYZ", -(3 * 3600 + 1800))),
      "2024-03-01T06:30:00-03:30"
    )
  })
  it("Go's zero time (recorded: docker image ls of an image created 0001-01-01)", () => {
    assert.strictEqual(Units.goTimeString(-62135596800, Units.utc), "0001-01-01 00:00:00 +0000 UTC")
    assert.strictEqual(Units.goTimeRFC3339(-62135596800, Units.utc), "0001-01-01T00:00:00Z")
  })
  it("localZone follows the process's zone", () => {
    assert.isDefined(Units.localZone().at(created).abbreviation)
  })
})
