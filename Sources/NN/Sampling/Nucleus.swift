import Foundation

/// Temperature + nucleus (top-p) sampling over one logit vector.
///
/// `<PAD>` (index 0) is never drawn. `topP == 0` is greedy (argmax; ties go to the lowest id).
/// Otherwise: `p = softmax(logits / temperature)` over ids 1..<V; keep the smallest set of most
/// likely ids whose cumulative probability reaches `topP` (ties ordered by id), renormalise, draw.
public enum Nucleus {
  /// The kept (id, renormalised probability) pairs, most likely first (`topP == 0`: the argmax
  /// alone, with probability 1).
  public static func distribution(logits: [Float], temperature: Float, topP: Float) -> [(id: Int, p: Float)] {
    let scratch = Scratch(V: logits.count)
    return logits.withUnsafeBufferPointer { l in
      let k = keep(l.baseAddress!, V: logits.count, temperature: temperature, topP: topP, scratch: scratch)
      var total: Float = 0
      for i in 0..<k.count { total += prob(k.keys[i]) }
      return (0..<k.count).map { i in (id(k.keys[i]), prob(k.keys[i]) / total) }
    }
  }

  /// Reusable buffers for `draw` over up to `V` logits (one per thread).
  final class Scratch {
    let V: Int
    /// Softmax probabilities [V] (index 0, `<PAD>`, is 0).
    let probs: UnsafeMutablePointer<Float>
    /// Keys as built [V] and sorted [V].
    let src: UnsafeMutablePointer<UInt64>, keys: UnsafeMutablePointer<UInt64>
    /// Bucket starts [maxBuckets + 1] and fill positions [maxBuckets] for `bucketedKeys`.
    let start: UnsafeMutablePointer<Int32>, fill: UnsafeMutablePointer<Int32>

    init(V: Int) {
      self.V = V
      probs = .allocate(capacity: V); probs.initialize(repeating: 0, count: V)
      src = .allocate(capacity: V); src.initialize(repeating: 0, count: V)
      keys = .allocate(capacity: V); keys.initialize(repeating: 0, count: V)
      start = .allocate(capacity: maxBuckets + 1); start.initialize(repeating: 0, count: maxBuckets + 1)
      fill = .allocate(capacity: maxBuckets); fill.initialize(repeating: 0, count: maxBuckets)
    }

    deinit { probs.deallocate(); src.deallocate(); keys.deallocate(); start.deallocate(); fill.deallocate() }
  }

  /// Draws one id from `logits` (V floats, `V <= scratch.V`).
  static func draw(_ logits: UnsafePointer<Float>, V: Int, temperature: Float, topP: Float,
                   rng: inout SeededRNG, scratch: Scratch) -> Int {
    if topP <= 0 || V == 2 { return argmax(logits, V: V) }
    let k = keep(logits, V: V, temperature: temperature, topP: topP, scratch: scratch)
    var total: Float = 0
    for i in 0..<k.count { total += prob(k.keys[i]) }
    let u = rng.uniform() * total
    var c: Float = 0
    for i in 0..<k.count {
      c += prob(k.keys[i])
      if u < c { return id(k.keys[i]) }
    }
    return id(k.keys[k.count - 1])
  }

  @inline(__always) static func id(_ key: UInt64) -> Int { Int((key & 0xFFFF_FFFF) ^ 0xFFFF_FFFF) }

  /// The probability a key carries (the same bits as `probs[id(key)]`).
  @inline(__always) static func prob(_ key: UInt64) -> Float {
    Float(bitPattern: UInt32(truncatingIfNeeded: key >> 32))
  }

  /// Greedy choice among ids 1..<V.
  static func argmax(_ l: UnsafePointer<Float>, V: Int) -> Int {
    var best = 1
    for j in 2..<max(V, 2) where l[j] > l[best] { best = j }
    return best
  }

  /// Fills `probs[1..<V]` with softmax(l/temperature) and `keys` with the kept ids sorted by
  /// probability (descending, ties by id ascending). Key = prob bits << 32 | ~id.
  ///
  /// Only the kept prefix is sorted: the keys are distributed into buckets of probability bit
  /// patterns (descending ranges, `bucketedKeys`), and buckets are sorted one at a time while the
  /// cumulative probability, summed in sorted order, has not reached `topP`. The kept ids and the
  /// order of that sum are exactly those of a full sort.
  private static func keep(_ l: UnsafePointer<Float>, V: Int, temperature: Float, topP: Float, scratch: Scratch)
    -> (keys: UnsafeMutablePointer<UInt64>, count: Int)
  {
    let probs = scratch.probs, keys = scratch.keys, src = scratch.src
    if topP <= 0 {
      let a = argmax(l, V: V)
      probs[a] = 1
      keys[0] = UInt64(Float(1).bitPattern) << 32 | UInt64(UInt32(truncatingIfNeeded: ~a))
      return (keys, 1)
    }
    let invT = 1 / max(temperature, 1e-6)
    var mx = l[1]
    for j in 2..<V where l[j] > mx { mx = l[j] }
    probs[0] = 0
    VectorMath.map(l + 1, probs + 1, V - 1) { VectorMath.exp(($0 - mx) * invT) }
    let inv = 1 / VectorMath.sum(probs + 1, count: V - 1)
    var hiMax: UInt32 = 0, hiMin = UInt32.max, top = 0
    for j in 1..<V {
      probs[j] *= inv
      let bits = probs[j].bitPattern
      if bits > hiMax { hiMax = bits; top = j }
      hiMin = min(hiMin, bits)
      src[j - 1] = UInt64(bits) << 32 | UInt64(UInt32(truncatingIfNeeded: ~j))
    }
    // topP >= 1 keeps everything (even if rounding lets the running sum reach 1 early).
    let all = topP >= 1
    // The most likely id alone (the first of the sorted order: ties go to the lowest id) often
    // reaches topP: then nothing needs sorting.
    if !all && Float(bitPattern: hiMax) >= topP {
      keys[0] = src[max(top, 1) - 1]
      return (keys, 1)
    }
    return bucketedKeys(src, V - 1, hiMax: hiMax, hiMin: hiMin, into: keys, start: scratch.start,
                        fill: scratch.fill) { c, key in
      c += prob(key)
      return !all && c >= topP
    }
  }

  /// Buckets of `bucketedKeys`: at most this many.
  static let maxBuckets = 512

  /// Writes `src[0..<n]` sorted descending (by the whole key) into the front of `out`, but only
  /// as far as needed: buckets of the upper 32 bits (descending ranges of `2^shift` patterns
  /// between `hiMax` and `hiMin`, which must bound them) are filled by a counting pass, then
  /// sorted one by one in order, calling `stop(&acc, key)` on each key in sorted order until it
  /// returns true. Returns `(out, count)`: `out[0..<count]` equal the first `count` keys of the
  /// full descending sort; `count` is where `stop` first returned true (inclusive), else `n`.
  /// `start` (`maxBuckets + 1`) and `fill` (`maxBuckets`) are scratch.
  @inline(__always)
  static func bucketedKeys(
    _ src: UnsafePointer<UInt64>, _ n: Int, hiMax: UInt32, hiMin: UInt32,
    into out: UnsafeMutablePointer<UInt64>,
    start: UnsafeMutablePointer<Int32>, fill: UnsafeMutablePointer<Int32>, stop: (inout Float, UInt64) -> Bool
  ) -> (keys: UnsafeMutablePointer<UInt64>, count: Int) {
    if n == 0 { return (out, 0) }
    let range = hiMax &- hiMin
    var shift: UInt32 = 0
    while range >> shift >= UInt32(maxBuckets) { shift += 1 }
    let nb = Int(range >> shift) + 1
    @inline(__always) func bucket(_ key: UInt64) -> Int {
      Int((hiMax &- UInt32(truncatingIfNeeded: key >> 32)) >> shift)
    }
    start.update(repeating: 0, count: nb + 1)
    for i in 0..<n { start[bucket(src[i]) + 1] += 1 }
    for b in 0..<nb { start[b + 1] += start[b] }
    // Scatter (stable); afterwards bucket b is out[start[b] ..< start[b + 1]].
    fill.update(from: start, count: nb)
    for i in 0..<n {
      let b = bucket(src[i])
      out[Int(fill[b])] = src[i]
      fill[b] += 1
    }
    var acc: Float = 0
    for b in 0..<nb {
      let lo = Int(start[b]), hi = Int(start[b + 1])
      if hi - lo > 1 { sortDescending(out + lo, hi - lo) }
      for i in lo..<hi where stop(&acc, out[i]) { return (out, i + 1) }
    }
    return (out, n)
  }

  /// Sorts `keys[0..<n]` descending: insertion sort for short runs, else `radixSortDescending`.
  static func sortDescending(_ keys: UnsafeMutablePointer<UInt64>, _ n: Int) {
    if n > 32 { radixSortDescending(keys, n); return }
    for i in 1..<max(n, 1) {
      let k = keys[i]
      var j = i
      while j > 0 && keys[j - 1] < k { keys[j] = keys[j - 1]; j -= 1 }
      keys[j] = k
    }
  }

  /// Sorts `keys[0..<n]` in descending order (LSD radix sort on the upper 32 bits, 4 passes of 8
  /// bits; stable, so equal probabilities keep their input order, i.e. ascending id). The lower 32
  /// bits (the id) are payload. Uses a small internal buffer; no allocation for n <= 4096.
  static func radixSortDescending(_ keys: UnsafeMutablePointer<UInt64>, _ n: Int) {
    if n <= 1 { return }
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { tmpBuf in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { countBuf in
        let tmp = tmpBuf.baseAddress!, count = countBuf.baseAddress!
        var src = keys, dst = tmp
        for pass in 0..<4 {
          let shift = UInt64(32 + 8 * pass)
          count.update(repeating: 0, count: 256)
          // Descending: sort by the complemented digit.
          for i in 0..<n { count[Int(~(src[i] >> shift) & 0xFF)] += 1 }
          var total = 0
          for d in 0..<256 { let c = count[d]; count[d] = total; total += c }
          for i in 0..<n {
            let d = Int(~(src[i] >> shift) & 0xFF)
            dst[count[d]] = src[i]
            count[d] += 1
          }
          swap(&src, &dst)
        }
        // After 4 passes the sorted data is back in `keys`.
      }
    }
  }
}
