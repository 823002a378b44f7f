/// ReLU and inverted dropout, element-wise over `n` floats.
enum ReLULayer {
  /// `out = max(0, x)`.
  static func forward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, n: Int) {
    Chunks.rows(n, size: 1 << 16) { r in for i in r { out[i] = max(0, x[i]) } }
  }
  /// `d *= (x > 0)` in place.
  static func backward(d: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, n: Int) {
    Chunks.rows(n, size: 1 << 16) { r in for i in r where !(x[i] > 0) { d[i] = 0 } }
  }
}

/// Inverted dropout with a counter-based mask: element `i` is dropped when
/// `hashUniform(seed, i) < p`, kept ones are scaled by `1/(1-p)`. The mask is a pure function of
/// (seed, i), so backward recomputes it and any thread count gives the same result.
enum DropoutLayer {
  static func forward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, n: Int, p: Float, seed: UInt64) {
    let scale = 1 / (1 - p)
    Chunks.rows(n, size: 1 << 16) { r in
      for i in r { out[i] = hashUniform(seed: seed, index: i) < p ? 0 : x[i] * scale }
    }
  }
  /// `d = mask * d / (1-p)` in place.
  static func backward(d: UnsafeMutablePointer<Float>, n: Int, p: Float, seed: UInt64) {
    let scale = 1 / (1 - p)
    Chunks.rows(n, size: 1 << 16) { r in
      for i in r { d[i] = hashUniform(seed: seed, index: i) < p ? 0 : d[i] * scale }
    }
  }
}
