/// SplitMix64: the small seeded generator of built-ins that draw random values themselves
/// (`random_notes`). Deterministic across platforms.
struct NotebookRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// Uniform in 0..<n (n > 0), by rejection (no modulo bias).
  mutating func int(below n: Int) -> Int {
    let bound = UInt64(n)
    let limit = UInt64.max - UInt64.max % bound
    while true {
      let x = next()
      if x < limit { return Int(x % bound) }
    }
  }
}
