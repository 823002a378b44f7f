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
    var scratch = [UInt64](repeating: 0, count: logits.count)
    var probs = [Float](repeating: 0, count: logits.count)
    return logits.withUnsafeBufferPointer { l in
      scratch.withUnsafeMutableBufferPointer { s in
        probs.withUnsafeMutableBufferPointer { pr in
          let k = keep(l.baseAddress!, V: logits.count, temperature: temperature, topP: topP,
                       probs: pr.baseAddress!, keys: s.baseAddress!)
          var total: Float = 0
          for i in 0..<k.count { total += pr[id(k.keys[i])] }
          return (0..<k.count).map { i in
            let j = id(k.keys[i])
            return (j, pr[j] / total)
          }
        }
      }
    }
  }

  /// Draws one id from `logits` (V floats). `probs` (V) and `keys` (V) are scratch.
  static func draw(_ logits: UnsafePointer<Float>, V: Int, temperature: Float, topP: Float,
                   rng: inout SeededRNG, probs: UnsafeMutablePointer<Float>, keys: UnsafeMutablePointer<UInt64>) -> Int {
    if topP <= 0 || V == 2 { return argmax(logits, V: V) }
    let k = keep(logits, V: V, temperature: temperature, topP: topP, probs: probs, keys: keys)
    var total: Float = 0
    for i in 0..<k.count { total += probs[id(k.keys[i])] }
    let u = rng.uniform() * total
    var c: Float = 0
    for i in 0..<k.count {
      c += probs[id(k.keys[i])]
      if u < c { return id(k.keys[i]) }
    }
    return id(k.keys[k.count - 1])
  }

  @inline(__always) static func id(_ key: UInt64) -> Int { Int((key & 0xFFFF_FFFF) ^ 0xFFFF_FFFF) }

  /// Greedy choice among ids 1..<V.
  static func argmax(_ l: UnsafePointer<Float>, V: Int) -> Int {
    var best = 1
    for j in 2..<max(V, 2) where l[j] > l[best] { best = j }
    return best
  }

  /// Fills `probs[1..<V]` with softmax(l/temperature) and `keys` with the kept ids sorted by
  /// probability (descending, ties by id ascending). Key = prob bits << 32 | ~id.
  private static func keep(_ l: UnsafePointer<Float>, V: Int, temperature: Float, topP: Float,
                           probs: UnsafeMutablePointer<Float>, keys: UnsafeMutablePointer<UInt64>)
    -> (keys: UnsafeMutablePointer<UInt64>, count: Int)
  {
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
    for j in 1..<V {
      probs[j] *= inv
      keys[j - 1] = UInt64(probs[j].bitPattern) << 32 | UInt64(UInt32(truncatingIfNeeded: ~j))
    }
    let n = V - 1
    radixSortDescending(keys, n)
    if topP >= 1 { return (keys, n) }
    var c: Float = 0
    for i in 0..<n {
      c += probs[id(keys[i])]
      if c >= topP { return (keys, i + 1) }
    }
    return (keys, n)
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
