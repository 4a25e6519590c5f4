// Fills the one gap between Node 20 and what the js-libp2p 3.x stack expects.
// Import this module before anything from libp2p: ES module imports are evaluated in order.
//
// Promise.withResolvers arrived in Node 22 (ES2024). libp2p, its muxers and helpers
// (it-queue, mortice, ...) call it directly.

if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    }
  })
}
