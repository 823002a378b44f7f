import Foundation
import Testing
@testable import NN

@Suite struct KernelVectorMathTests {
  /// A dense sweep of [-100, 100] (step 2⁻¹⁰) plus tiny, subnormal and huge inputs.
  static let sweep: [Float] = {
    var xs: [Float] = stride(from: -100.0, through: 100.0, by: 1.0 / 1024).map { Float($0) }
    for s: Float in [1, -1] {
      xs += [0, 1e-30, 1e-40, 1e-7, 0.6249999, 0.625, 0.6250001, 9.1, 44, 87.3, 88.7, 88.72, 104, 200,
             1e10, 1e30, Float.greatestFiniteMagnitude, Float.leastNonzeroMagnitude].map { s * $0 }
    }
    return xs
  }()

  /// Applies a SIMD8 function over `xs` through the buffer API (exercising the padded tail too).
  static func apply(
    _ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ xs: [Float]
  ) -> [Float] {
    var ys = [Float](repeating: .nan, count: xs.count)
    xs.withUnsafeBufferPointer { x in
      ys.withUnsafeMutableBufferPointer { y in f(x.baseAddress!, y.baseAddress!, xs.count) }
    }
    return ys
  }

  /// Worst relative error against a Double reference where the reference is a normal float;
  /// elsewhere the absolute error must stay within 2 subnormal steps.
  static func worstError(_ ys: [Float], _ xs: [Float], _ ref: (Double) -> Double) -> (Double, Float) {
    var worst = 0.0, at: Float = 0
    for (x, y) in zip(xs, ys) {
      let r = ref(Double(x))
      let err: Double
      if Float(r).isInfinite {
        err = y == Float(r) ? 0 : .infinity
      } else if abs(r) >= Double(Float.leastNormalMagnitude) {
        err = abs(Double(y) - r) / abs(r)
      } else {
        err = abs(Double(y) - r) <= 2 * Double(Float.leastNonzeroMagnitude) ? 0 : .infinity
      }
      if !(err <= worst) { worst = err; at = x }
    }
    return (worst, at)
  }

  @Test func expAccuracy() {
    let xs = Self.sweep
    let ys = Self.apply({ VectorMath.exp($0, $1, count: $2) }, xs)
    let (e, at) = Self.worstError(ys, xs) { Foundation.exp($0) }
    #expect(e <= 2e-7, "exp: relative error \(e) at x = \(at)")
    let (en, atn) = Self.worstError(xs.map(VectorMathNaive.exp), xs) { Foundation.exp($0) }
    #expect(en <= 2e-7, "naive exp: relative error \(en) at x = \(atn)")
    for (x, y) in zip(xs, ys) where x > 88.73 { #expect(y == .infinity) }
    for (x, y) in zip(xs, ys) where x <= -104 { #expect(y == 0) }
  }

  @Test func tanhAccuracy() {
    let xs = Self.sweep
    let ys = Self.apply({ VectorMath.tanh($0, $1, count: $2) }, xs)
    let (e, at) = Self.worstError(ys, xs) { Foundation.tanh($0) }
    #expect(e <= 2e-7, "tanh: relative error \(e) at x = \(at)")
    #expect(ys.allSatisfy { $0.isFinite && abs($0) <= 1 })
    // Odd: tanh(-x) == -tanh(x) bit for bit.
    let neg = Self.apply({ VectorMath.tanh($0, $1, count: $2) }, xs.map { -$0 })
    #expect(zip(ys, neg).allSatisfy { $0.bitPattern == (-$1).bitPattern })
  }

  @Test func sigmoidAccuracy() {
    let xs = Self.sweep
    let ys = Self.apply({ VectorMath.sigmoid($0, $1, count: $2) }, xs)
    let (e, at) = Self.worstError(ys, xs) { 1 / (1 + Foundation.exp(-$0)) }
    #expect(e <= 2e-7, "sigmoid: relative error \(e) at x = \(at)")
    #expect(ys.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    let (en, atn) = Self.worstError(xs.map(VectorMathNaive.sigmoid), xs) { 1 / (1 + Foundation.exp(-$0)) }
    #expect(en <= 2e-7, "naive sigmoid: relative error \(en) at x = \(atn)")
  }

  @Test func nanPropagates() {
    let v = SIMD8<Float>(.nan, 0, 1, -1, .nan, 2, 3, 4)
    for f in [VectorMath.exp, VectorMath.tanh, VectorMath.sigmoid] as [(SIMD8<Float>) -> SIMD8<Float>] {
      let r = f(v)
      #expect(r[0].isNaN && r[4].isNaN && !r[1].isNaN)
    }
  }

  /// An element's result does not depend on its position (full vector or padded tail) or the count.
  @Test func positionIndependent() {
    let xs: [Float] = (0..<37).map { Float($0) * 0.731 - 13 }
    let all = Self.apply({ VectorMath.tanh($0, $1, count: $2) }, xs)
    for start in [0, 1, 5, 30] {
      let part = Self.apply({ VectorMath.tanh($0, $1, count: $2) }, Array(xs[start...]))
      #expect(part.map(\.bitPattern) == all[start...].map(\.bitPattern))
    }
    let lanes = VectorMath.tanh(SIMD8<Float>(xs[0..<8]))
    #expect((0..<8).allSatisfy { lanes[$0].bitPattern == all[$0].bitPattern })
  }

  @Test(arguments: [0, 1, 7, 8, 31, 32, 33, 100, 1000])
  func dotSumAxpy(count: Int) {
    var rng = KernelRNG(UInt64(count) + 1)
    let a = rng.floats(count), b = rng.floats(count)
    var y = rng.floats(count)
    let y0 = y
    let tol = Float(count + 1) * 1.2e-7 * Float(max(count, 1))
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        let d = VectorMath.dot(pa.baseAddress!, pb.baseAddress!, count: count)
        let dn = VectorMathNaive.dot(pa.baseAddress!, pb.baseAddress!, count: count)
        #expect(abs(d - dn) <= tol, "dot \(d) vs \(dn)")
        let s = VectorMath.sum(pa.baseAddress!, count: count)
        #expect(abs(s - a.reduce(0, +)) <= tol, "sum")
      }
      y.withUnsafeMutableBufferPointer { py in
        VectorMath.axpy(-0.5, pa.baseAddress!, py.baseAddress!, count: count)
      }
    }
    for i in 0..<count { #expect(abs(y[i] - (y0[i] - 0.5 * a[i])) <= 1.2e-7 * 2) }
  }

  /// Equal bit for bit to the plain double loop (running sum per column, then one add), on ragged
  /// widths and a large matrix that is split across threads.
  @Test(arguments: [(1, 1), (5, 7), (33, 64), (17, 75), (300, 300)])
  func addColumnSumsMatchesPlainLoop(rows: Int, cols: Int) {
    var rng = KernelRNG(UInt64(rows * 1000 + cols))
    let ld = cols + 3
    let x = rng.floats(rows * ld)
    let start = rng.floats(cols)
    var fast = start, plain = start
    for j in 0..<cols {
      var acc: Float = 0
      for i in 0..<rows { acc += x[i * ld + j] }
      plain[j] += acc
    }
    x.withUnsafeBufferPointer { px in
      fast.withUnsafeMutableBufferPointer { po in
        VectorMath.addColumnSums(px.baseAddress!, rows: rows, cols: cols, ld: ld, into: po.baseAddress!)
      }
    }
    #expect(fast.map(\.bitPattern) == plain.map(\.bitPattern))
  }
}
