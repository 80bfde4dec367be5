// vitest 5 calls these ES2024 helpers; Node 20 lacks them (its reporter crashes on a failing test without them).
if (typeof Map.groupBy !== "function") {
  Map.groupBy = (items, key) => {
    const map = new Map()
    let i = 0
    for (const item of items) {
      const k = key(item, i++)
      const group = map.get(k)
      if (group) group.push(item)
      else map.set(k, [item])
    }
    return map
  }
}
if (typeof Object.groupBy !== "function") {
  Object.groupBy = (items, key) => {
    const out = Object.create(null)
    let i = 0
    for (const item of items) (out[key(item, i++)] ??= []).push(item)
    return out
  }
}
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function() {
    let resolve, reject
    const promise = new this((a, b) => {
      resolve = a
      reject = b
    })
    return { promise, resolve, reject }
  }
}
