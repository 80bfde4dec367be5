/**
 * The human-readable units the docker CLI prints: sizes (`github.com/docker/go-units`: `1.98MB`, `1e+03kB`),
 * durations (`About a minute`, `3 weeks`), ages (`2 hours ago`), Go's time formats (`time.Time.String()`,
 * RFC 3339) in a time zone, and short image IDs (`stringid.TruncateID`).
 *
 * @internal
 */

/** go-units' `HumanSize` and `HumanSizeWithPrecision`, owned by the client (its progress bars print sizes too). */
export { humanSize, humanSizeWithPrecision } from "@dockhand/client/HumanSize"

/**
 * go-units' `HumanDuration` of a duration in seconds: `Less than a second`, `1 second`, `N seconds`,
 * `About a minute`, `N minutes`, `About an hour`, `N hours` (up to 47), `N days` (up to 13), `N weeks` (up to 8),
 * `N months` (up to 23), `N years`.
 */
export const humanDuration = (seconds: number): string => {
  const s = Math.trunc(seconds)
  if (s < 1) return "Less than a second"
  if (s === 1) return "1 second"
  if (s < 60) return `${s} seconds`
  const minutes = Math.trunc(seconds / 60)
  if (minutes === 1) return "About a minute"
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.trunc(seconds / 3600 + 0.5)
  if (hours === 1) return "About an hour"
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`
  return `${Math.trunc(Math.trunc(seconds / 3600) / 24 / 365)} years`
}

/** How long ago a Unix time was, as docker's `CreatedSince` prints it: `5 minutes ago`. */
export const timeAgo = (unixSeconds: number, nowMillis: number): string =>
  humanDuration((nowMillis - unixSeconds * 1000) / 1000) + " ago"

/** `stringid.TruncateID`: drops an `algorithm:` prefix and keeps at most 12 characters. */
export const truncateId = (id: string): string => {
  const colon = id.indexOf(":")
  const bare = colon >= 0 ? id.slice(colon + 1) : id
  return bare.length > 12 ? bare.slice(0, 12) : bare
}

// ---------------------------------------------------------------------------------------------------------------
// Time zones and Go's time formats
// ---------------------------------------------------------------------------------------------------------------

/** A time zone: its offset from UTC and its abbreviation (`UTC`, `CET`, `EST`) at a given instant. */
export interface TimeZone {
  readonly at: (unixSeconds: number) => { readonly offsetSeconds: number; readonly abbreviation: string }
}

/** UTC, as Go's `time.UTC` (and the local zone when `TZ` is empty). */
export const utc: TimeZone = { at: () => ({ offsetSeconds: 0, abbreviation: "UTC" }) }

/** A zone with a fixed offset and name, like Go's `time.FixedZone`. */
export const fixedZone = (abbreviation: string, offsetSeconds: number): TimeZone => ({
  at: () => ({ offsetSeconds, abbreviation })
})

const numericAbbreviation = (offsetSeconds: number) => {
  const sign = offsetSeconds < 0 ? "-" : "+"
  const abs = Math.abs(offsetSeconds)
  const h = String(Math.trunc(abs / 3600)).padStart(2, "0")
  const m = Math.trunc((abs % 3600) / 60)
  return sign + h + (m === 0 ? "" : String(m).padStart(2, "0"))
}

// Locales whose short zone names are the usual abbreviations, tried in turn (Japan's `JST` comes only from ja-JP).
const abbreviationLocales = ["en-US", "en-GB", "en-AU", "en-IN", "en-NZ", "en-IE", "en-ZA", "en-CA", "ja-JP", "ko-KR"]

/**
 * A zone of the IANA database (`Europe/Berlin`), through `Intl`. The abbreviation is the one the platform knows
 * (`CET`, `EST`, `IST`, `JST`); otherwise the numeric form Go's zone data uses for such zones (`-03`).
 */
export const ianaZone = (name: string): TimeZone => {
  const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" })
  const nameFormats = abbreviationLocales.map((locale) =>
    new Intl.DateTimeFormat(locale, { timeZone: name, timeZoneName: "short" })
  )
  const part = (format: Intl.DateTimeFormat, date: Date) =>
    format.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? ""
  return {
    at: (unixSeconds) => {
      const date = new Date(unixSeconds * 1000)
      const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part(offsetFormat, date))
      const offsetSeconds = m === null || m[1] === undefined
        ? 0
        : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60)
      if (name === "UTC" || name === "Etc/UTC") return { offsetSeconds, abbreviation: "UTC" }
      for (const format of nameFormats) {
        const abbreviation = part(format, date)
        if (/^[A-Z]{2,5}$/.test(abbreviation) && !(abbreviation === "GMT" && offsetSeconds !== 0)) {
          return { offsetSeconds, abbreviation }
        }
      }
      return { offsetSeconds, abbreviation: numericAbbreviation(offsetSeconds) }
    }
  }
}

/** The process's local zone (from `TZ` or the system), as Go's `time.Local`. */
export const localZone = (): TimeZone => {
  const name = new Intl.DateTimeFormat().resolvedOptions().timeZone
  return name === undefined || name === "" ? utc : ianaZone(name)
}

const two = (n: number) => String(n).padStart(2, "0")

const civil = (unixSeconds: number, zone: TimeZone) => {
  const { offsetSeconds, abbreviation } = zone.at(unixSeconds)
  const d = new Date((unixSeconds + offsetSeconds) * 1000)
  const year = d.getUTCFullYear()
  const date = `${year < 0 ? "-" + String(-year).padStart(4, "0") : String(year).padStart(4, "0")}-` +
    `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  return { date, time, offsetSeconds, abbreviation }
}

const offsetText = (offsetSeconds: number, colon: boolean) => {
  const sign = offsetSeconds < 0 ? "-" : "+"
  const abs = Math.abs(offsetSeconds)
  return sign + two(Math.trunc(abs / 3600)) + (colon ? ":" : "") + two(Math.trunc((abs % 3600) / 60))
}

/**
 * Go's `time.Unix(s, 0).String()` in a zone: `2026-11-26 15:04:05 +0000 UTC` (docker's image `CreatedAt`).
 */
export const goTimeString = (unixSeconds: number, zone: TimeZone): string => {
  const c = civil(unixSeconds, zone)
  return `${c.date} ${c.time} ${offsetText(c.offsetSeconds, false)} ${c.abbreviation}`
}

/** Go's `time.RFC3339` of a Unix time in a zone: `2026-11-26T15:04:05Z` or `…+01:00` (history's `CreatedAt`). */
export const goTimeRFC3339 = (unixSeconds: number, zone: TimeZone): string => {
  const c = civil(unixSeconds, zone)
  return `${c.date}T${c.time}${c.offsetSeconds === 0 ? "Z" : offsetText(c.offsetSeconds, true)}`
}
