/**
 * Writing keys that come from callers or the wire into plain objects. A plain assignment of the key
 * `__proto__` would change the object's prototype instead of adding a key; defining the property never does.
 *
 * @internal
 */

/** Sets `record[key] = value` as an own, enumerable property, whatever the key. */
export const setOwn = <V>(record: Record<string, V>, key: string, value: V): void => {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
}
