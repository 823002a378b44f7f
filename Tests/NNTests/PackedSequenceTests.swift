import Testing
@testable import NN

/// Sequences of different lengths in one batch (`StepRows`): only real positions are computed, and
/// they get exactly what a padded batch gives them.
@Suite struct PackedSequenceTests {
  @Test func stepRowsLayout() {
    let u = StepRows.uniform(T: 3, B: 4)
    #expect(u.counts == [4, 4, 4] && u.starts == [0, 4, 8, 12] && u.isUniform && u.rows == 12 && u.widest == 4)
    let p = StepRows.lengths([4, 2, 2, 1, 0])
    #expect(p.counts == [4, 3, 1, 1] && p.starts == [0, 4, 7, 8, 9] && !p.isUniform && p.rows == 9)
    #expect(StepRows.lengths([]).steps == 0 && StepRows.lengths([0, 0]).rows == 0)
    #expect(StepRows.uniform(T: 5, B: 0).steps == 0)
  }

  /// Windows of lengths `lengths` (sorted, longest first) in a padded [T, B] batch and packed.
  struct Case {
    let lengths: [Int], H: Int
    var T: Int { lengths[0] }
    var B: Int { lengths.count }
    var steps: StepRows { .lengths(lengths) }
    /// Packed row of padded row `t·B + b`, or nil for padding.
    func packed(_ t: Int, _ b: Int) -> Int? { t < lengths[b] ? steps.starts[t] + b : nil }
  }

  struct Outputs { var h, gates, hn, dx, dG, dwih, dwhh, dbih, dbhh: [Float] }

  static func run(_ c: Case, steps: StepRows, rows: (Int, Int) -> Int?, threads: Int) -> Outputs {
    let H = c.H, G = 3 * H, N = steps.rows
    let saved = Parallel.threads
    Parallel.threads = threads
    defer { Parallel.threads = saved }
    let xFull = GradCheck.random(c.T * c.B * H, seed: 31), dFull = GradCheck.random(c.T * c.B * H, seed: 32)
    let wih = GradCheck.random(G * H, seed: 33, scale: 0.4), whh = GradCheck.random(G * H, seed: 34, scale: 0.4)
    let bih = GradCheck.random(G, seed: 35), bhh = GradCheck.random(G, seed: 36)
    // Inputs and upstream gradients of the real positions; padding rows get x = anything, dh = 0.
    var x = [Float](repeating: 0.5, count: N * H), dh = [Float](repeating: 0, count: N * H)
    for t in 0..<c.T {
      for b in 0..<c.B {
        guard c.packed(t, b) != nil, let r = rows(t, b) else { continue }
        for u in 0..<H { x[r * H + u] = xFull[(t * c.B + b) * H + u]; dh[r * H + u] = dFull[(t * c.B + b) * H + u] }
      }
    }
    var o = Outputs(h: .init(repeating: 0, count: N * H), gates: .init(repeating: 0, count: N * G),
                    hn: .init(repeating: 0, count: N * H), dx: .init(repeating: 0, count: N * H),
                    dG: .init(repeating: 0, count: N * G), dwih: .init(repeating: 0, count: G * H),
                    dwhh: .init(repeating: 0, count: G * H), dbih: .init(repeating: 0, count: G),
                    dbhh: .init(repeating: 0, count: G))
    GRULayer.forward(hout: &o.h, gates: &o.gates, hn: &o.hn, x: x, h0: nil, wih: wih, whh: whh, bih: bih, bhh: bhh,
                     steps: steps, H: H)
    var dHN = [Float](repeating: 0, count: N * H)
    GRULayer.backward(dx: &o.dx, dwih: &o.dwih, dwhh: &o.dwhh, dbih: &o.dbih, dbhh: &o.dbhh, dhout: &dh, x: x,
                      hout: o.h, gates: o.gates, hn: o.hn, wih: wih, whh: whh, dG: &o.dG, dHN: &dHN, steps: steps,
                      H: H)
    return o
  }

  /// H 20: two unit panels (one ragged) for two members; B 13: ragged 6-row panels in every step.
  @Test(arguments: [[5, 3, 3, 1], [7, 7, 6, 4, 4, 4, 3, 2, 2, 2, 1, 1, 1], [2]])
  func packedEqualsPadded(lengths: [Int]) {
    let c = Case(lengths: lengths, H: 20)
    let H = c.H, G = 3 * H
    let padded = Self.run(c, steps: .uniform(T: c.T, B: c.B), rows: { t, b in t * c.B + b }, threads: 2)
    let packed = Self.run(c, steps: c.steps, rows: c.packed, threads: 2)
    // Per-position results: the same bits.
    var same = true
    for t in 0..<c.T {
      for b in 0..<c.B {
        guard let r = c.packed(t, b) else { continue }
        let q = t * c.B + b
        same = same && Array(packed.h[(r * H)..<(r * H + H)]) == Array(padded.h[(q * H)..<(q * H + H)])
        same = same && Array(packed.gates[(r * G)..<(r * G + G)]) == Array(padded.gates[(q * G)..<(q * G + G)])
        same = same && Array(packed.dG[(r * G)..<(r * G + G)]) == Array(padded.dG[(q * G)..<(q * G + G)])
        same = same && Array(packed.dx[(r * H)..<(r * H + H)]) == Array(padded.dx[(q * H)..<(q * H + H)])
      }
    }
    #expect(same)
    // Sums over positions: the same up to rounding (the padding terms are exact zeros, the order differs).
    for (name, a, b) in [("dwih", packed.dwih, padded.dwih), ("dwhh", packed.dwhh, padded.dwhh),
                         ("dbih", packed.dbih, padded.dbih), ("dbhh", packed.dbhh, padded.dbhh)] {
      let scale = b.map { abs($0) }.max()!
      #expect(scale > 0)
      #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "\(name)")
    }
    // Any number of team members: the same bits.
    for threads in [1, 3] {
      let other = Self.run(c, steps: c.steps, rows: c.packed, threads: threads)
      #expect(other.h == packed.h && other.dx == packed.dx && other.dwih == packed.dwih
        && other.dwhh == packed.dwhh && other.dbih == packed.dbih && other.dbhh == packed.dbhh)
    }
  }

  /// A workspace computes only the real positions of its windows, and a batch's loss does not
  /// depend on the order of its windows (it is a sum over positions).
  @Test func workspaceSkipsPaddingAndOrderDoesNotMatter() {
    let m = GRUNet(config: GRUConfig(vocabSize: 9, hidden: 12, layers: 2, dropout: 0),
                   vocab: ["<PAD>"] + (1..<9).map { "t\($0)" }, seed: 5)
    let seqs = [
      TokenSequence(ids: [1, 2], offsets: [0, 0.5]),
      TokenSequence(ids: [3, 4, 5, 6, 7, 8, 1, 2, 3], offsets: [0.5, 0.5, 1, 0.25, 0.5, 2, 0.5, 0.5, 1]),
      TokenSequence(ids: [8, 7, 6, 5], offsets: [1, 1, 0.5, 0.5]),
    ]
    let ws = Workspace(config: m.config, T: 6, maxB: 3, training: false)
    func loss(_ perm: [Int]) -> Double {
      for (b, s) in perm.enumerated() { ws.setWindow(b, of: 3, seq: seqs[s], start: 0) }
      ws.forward(m, B: 3, dropout: false, seed: 0)
      return ws.loss(smoothing: 0, wCls: 1, wOff: 10, grad: false).loss(wCls: 1, wOff: 10)
    }
    let a = loss([0, 1, 2])
    #expect(ws.N == 2 + 6 + 4 && ws.steps.counts == [3, 3, 2, 2, 1, 1] && ws.order == [1, 2, 0])
    #expect(ws.row(t: 2, b: 0) == nil && ws.row(t: 1, b: 0) == 5 && ws.row(t: 5, b: 1) == 11)
    let b = loss([2, 0, 1])
    #expect(abs(a - b) <= 1e-6 * abs(a))
  }

  /// A window that starts at or past its song's end is all padding: it gets no row, and a batch of
  /// only such windows computes nothing (zero loss, zero gradients) instead of failing.
  @Test func emptyWindows() {
    let m = GRUNet(config: GRUConfig(vocabSize: 5, hidden: 8, layers: 2, dropout: 0.3),
                   vocab: ["<PAD>"] + (1..<5).map { "t\($0)" }, seed: 6)
    m.ensureTrainingState()
    let song = TokenSequence(ids: [1, 2, 3], offsets: [0, 0.5, 0.5])
    let ws = Workspace(config: m.config, T: 4, maxB: 2, training: true)
    ws.setWindow(0, of: 2, seq: song, start: 3)
    ws.setWindow(1, of: 2, seq: song, start: 1)
    ws.forward(m, B: 2, dropout: true, seed: 1)
    #expect(ws.N == 2 && ws.row(t: 0, b: 0) == nil && ws.row(t: 1, b: 1) == 1)
    #expect(ws.loss(smoothing: 0, wCls: 1, wOff: 10, grad: true).ceCount == 1)
    ws.setWindow(0, of: 2, seq: song, start: 3)
    ws.setWindow(1, of: 2, seq: song, start: 5)
    ws.forward(m, B: 2, dropout: true, seed: 2)
    #expect(ws.N == 0 && ws.steps.steps == 0)
    let sums = ws.loss(smoothing: 0.1, wCls: 1, wOff: 10, grad: true)
    #expect(sums.loss(wCls: 1, wOff: 10) == 0 && sums.positions == 8)
    m.grads!.update(repeating: 0, count: m.parameterCount)
    ws.backward(m)
    #expect((0..<m.parameterCount).allSatisfy { m.grads![$0] == 0 })
  }
}
