import Foundation

/// Scalar twins of `VectorMath` on Foundation's libm: the oracles for its tests, and a reference
/// path for gradient checks.
public enum VectorMathNaive {
  public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
  public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
  /// 1 / (1 + e^-x), computed without overflow for large |x|.
  public static func sigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let t = Foundation.exp(x)
    return t / (1 + t)
  }
  public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var s: Float = 0
    for i in 0..<count { s += a[i] * b[i] }
    return s
  }
}
