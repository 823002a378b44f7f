import Foundation
import Testing
@testable import NN

@Suite struct AdamTests {
  @Test func oneStepEqualsHandComputation() {
    var p: [Float] = [0.5, -1, 2]
    var g: [Float] = [0.1, -0.2, 0]
    var m: [Float] = [0, 0, 0], v: [Float] = [0, 0, 0]
    let h = Adam.Hyper(lr: 0.01, weightDecay: 0.1)
    Adam.step(p: &p, g: &g, m: &m, v: &v, n: 3, step: 1, h)
    // Step 1: g' = g + wd p; m = 0.1 g'; v = 0.001 g'²; mhat = g', vhat = g'²; p -= lr g'/(|g'| + eps)
    let gp: [Double] = [0.1 + 0.05, -0.2 - 0.1, 0 + 0.2]
    let expected = zip([0.5, -1, 2.0], gp).map { $0 - 0.01 * $1 / (abs($1) + 1e-8) }
    for i in 0..<3 {
      #expect(abs(Double(p[i]) - expected[i]) < 1e-6)
      #expect(abs(Double(m[i]) - 0.1 * gp[i]) < 1e-7)
      #expect(abs(Double(v[i]) - 0.001 * gp[i] * gp[i]) <= 1e-4 * 0.001 * gp[i] * gp[i])
    }
    // Step 2 with the same gradient: m = 0.19 g', v = 0.001999 g'²; bias corrections 0.19, 0.001999.
    let p1 = p
    g = [0.1, -0.2, 0]
    Adam.step(p: &p, g: &g, m: &m, v: &v, n: 3, step: 2, h)
    for i in 0..<3 {
      let g2 = [0.1, -0.2, 0.0][i] + 0.1 * Double(p1[i])
      let m2 = 0.9 * 0.1 * gp[i] + 0.1 * g2
      let v2 = 0.999 * 0.001 * gp[i] * gp[i] + 0.001 * g2 * g2
      let step = 0.01 / (1 - 0.81) * m2 / ((v2).squareRoot() / (1 - 0.998001).squareRoot() + 1e-8)
      #expect(abs(Double(p[i]) - (Double(p1[i]) - step)) < 2e-6)
    }
  }

  @Test func clipScalesToMaxNorm() {
    var g: [Float] = [3, 4, 0]  // norm 5
    let n = Adam.clip(&g, 3, maxNorm: 1)
    #expect(abs(n - 5) < 1e-9)
    #expect(abs(Double(g[0]) - 0.6) < 1e-6 && abs(Double(g[1]) - 0.8) < 1e-6)
    var small: [Float] = [0.3, 0.4]
    Adam.clip(&small, 2, maxNorm: 1)
    #expect(small == [0.3, 0.4])
  }

  @Test func normIsThreadIndependent() {
    let n = 100_003
    var r = SeededRNG(seed: 1)
    let g = (0..<n).map { _ in r.normal() }
    let saved = Parallel.threads
    defer { Parallel.threads = saved }
    Parallel.threads = 1
    let a = Adam.norm(g, n)
    Parallel.threads = 2
    let b = Adam.norm(g, n)
    #expect(a == b)
    #expect(abs(a - Double(n).squareRoot()) < 0.02 * Double(n).squareRoot())
  }
}
