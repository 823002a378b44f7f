import Foundation
import Testing
@testable import NN

@Suite struct HalfWeightsTests {
  /// `w` [rows, k] as a panel-packed `HalfMatrix` (caller deallocates `.w`) and as plain row-major binary16.
  static func matrices(_ w: [Float], rows: Int, k: Int) -> (HalfMatrix, [Float16]) {
    let m = HalfMatrix(w: .allocate(capacity: rows * k), rows: rows, k: k)
    w.withUnsafeBufferPointer { m.pack($0.baseAddress!) }
    return (m, w.map { Float16(min(65504, max(-65504, $0))) })
  }

  static func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

  @Test(arguments: [(1, 1), (3, 7), (4, 8), (5, 13), (11, 16), (12, 24), (7, 37), (9, 256), (13, 40), (8, 3)])
  func panelsGiveTheRowMajorKernelsBits(rows: Int, k: Int) {
    let B = 3
    var w = GradCheck.random(rows * k, seed: UInt64(rows * 1000 + k), scale: 1)
    w[0] = 1e6; w[w.count - 1] = -7e4  // clamped to ±65504
    let x = GradCheck.random(B * k, seed: 31, scale: 2)
    let (m, plain) = Self.matrices(w, rows: rows, k: k)
    defer { m.w.deallocate() }
    var ref = [Float](repeating: 0, count: B * rows), y = ref, split = ref
    HalfKernels.gemvRowMajor(plain, rows: 0..<rows, k: k, x: x, ldx: k, B: B, y: &ref, ldy: rows)
    m.gemv(rows: 0..<rows, x: x, ldx: k, B: B, y: &y, ldy: rows)
    #expect(Self.bits(y) == Self.bits(ref))
    // Row ranges split at multiples of 4, one input at a time: the same bits.
    x.withUnsafeBufferPointer { xb in
      split.withUnsafeMutableBufferPointer { s in
        var lo = 0
        while lo < rows {
          let hi = min(rows, lo + 4 * (1 + lo % 3))
          for b in 0..<B {
            m.gemv(rows: lo..<hi, x: xb.baseAddress! + b * k, ldx: k, B: 1, y: s.baseAddress! + b * rows, ldy: rows)
          }
          lo = hi
        }
      }
    }
    #expect(Self.bits(split) == Self.bits(ref))
  }

  @Test func packingPlacesEveryElementOnce() {
    for (rows, k) in [(9, 37), (4, 16), (6, 8), (5, 5)] {
      let m = HalfMatrix(w: .allocate(capacity: rows * k), rows: rows, k: k)
      defer { m.w.deallocate() }
      var seen = Set<Int>()
      for r in 0..<rows { for p in 0..<k { seen.insert(m.offset(r, p)) } }
      #expect(seen == Set(0..<(rows * k)), "rows \(rows), k \(k)")
    }
  }

  @Test(arguments: [1, 13, 16, 37, 256])
  func halfPrecisionIsAccurate(k: Int) {
    let rows = 11, B = 3
    let w = GradCheck.random(rows * k, seed: 30)
    let x = GradCheck.random(B * k, seed: 31, scale: 2)
    let (m, _) = Self.matrices(w, rows: rows, k: k)
    defer { m.w.deallocate() }
    var y = [Float](repeating: 0, count: B * rows)
    m.gemv(rows: 0..<rows, x: x, ldx: k, B: B, y: &y, ldy: rows)
    for b in 0..<B {
      for r in 0..<rows {
        var exact = 0.0, bound = 0.0
        for p in 0..<k {
          exact += Double(w[r * k + p]) * Double(x[b * k + p])
          bound += abs(Double(w[r * k + p]) * Double(x[b * k + p]))
        }
        // binary16 rounding (2^-11 relative) plus Float accumulation.
        #expect(abs(Double(y[b * rows + r]) - exact) <= bound * 6e-4 + 1e-6)
      }
    }
  }

  @Test func networkWeightsAreSplitByGate() {
    let H = 12, V = 11
    let net = GRUNet(config: GRUConfig(vocabSize: V, hidden: H, layers: 2), vocab: ["<PAD>"] + (1..<V).map { "t\($0)" },
                     seed: 3)
    let half = HalfWeights(net)
    let P = net.params, lay = net.layout
    for l in 0..<2 {
      for g in 0..<3 {
        for r in 0..<H {
          for p in 0..<H {
            let i = (g * H + r) * H + p
            #expect(half.wih[l][g].w[half.wih[l][g].offset(r, p)] == Float16(P[lay.gru[l].wih + i]))
            #expect(half.whh[l][g].w[half.whh[l][g].offset(r, p)] == Float16(P[lay.gru[l].whh + i]))
          }
        }
      }
    }
    for r in 0..<V { for p in 0..<H { #expect(half.cls.w[half.cls.offset(r, p)] == Float16(P[lay.cls + r * H + p])) } }
  }
}
