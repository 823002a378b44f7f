import Foundation
import Synchronization

/// The network run one time step at a time for B sequences, carrying the GRU states, on the
/// members of a `Team` (one member: the caller alone).
///
/// Each member owns fixed blocks of hidden units (whole groups of 8) and of output rows (groups
/// of 4) for the whole run. Member 0 (the lead) also chooses the inputs (it draws the next events)
/// and embeds them, so it owns fewer units of layer 0 than the others. A step, for member m:
///
///     gh_l[m's units of layer l] = W_hh_l h_l     (all layers: they need only the old states)
///     lead: x = LayerNorm(emb[tok] + off·w_off + b_off), published; others wait for it
///     gi_0[m's units] = W_ih0 x;  layer 0 gate math -> h_0'[m's units]               barrier
///     gi_l[m's units] = W_ih_l h_{l-1}';  gate math -> h_l'[m's units]                barrier (l ≥ 1)
///     y = LayerNorm(ReLU(h_{L-1}'))  (every member);  logits[m's rows] = W_cls y       barrier
///
/// so a step costs `L + 1` barriers, and each member streams only its rows of the binary16
/// weights (`HalfWeights`) while the lead's draw overlaps the others' recurrent products. Every
/// output's arithmetic is fixed by `H` (not by the split, the number of members or B), so results
/// do not depend on the thread count, and melody b does not depend on how many are sampled together.
final class StepState {
  let m: GRUNet
  let B: Int, H: Int, V: Int, L: Int
  let members: Int
  let half: HalfWeights
  /// Per-layer input (`gi`) and recurrent (`gh`) pre-activations, [L, B, 3H] each (rows owned by units).
  let gi: UnsafeMutablePointer<Float>, gh: UnsafeMutablePointer<Float>
  /// Gate scratch `W_hn h + b_hn` [H] (columns owned by units).
  let hn: UnsafeMutablePointer<Float>
  /// GRU states, two buffers per layer [B, H]: step s reads buffer `s % 2` and writes `(s + 1) % 2`.
  let hBuf: [[UnsafeMutablePointer<Float>]]
  /// The current step's normalized input [B, H] (written by the lead) and the logits [B, V] of the
  /// last step (rows owned by members).
  let xn: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>
  /// The lead's inputs of the next step (set by the caller) [B], embedding scratch, and the
  /// predicted offsets [B] of the last step.
  let tok: UnsafeMutablePointer<Int32>, off: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>
  let pred: UnsafeMutablePointer<Float>
  /// How a team of `c` members shares a step: `splits[c - 1]` (c = 1 ... members).
  let splits: [Split]
  /// In a team of two: the lead's layer-0 units are `0..<leadCut`, the other's `leadCut..<H`
  /// (initially `splits[1].units0`; the caller may move it between steps to balance the team).
  var leadCut: Int
  /// Each member's scratch.
  let lanes: [Lane]
  /// Steps whose input the lead has published in `xn`.
  private let published = Atomic<Int>(0)
  private var mem: [UnsafeMutablePointer<Float>] = []

  /// Member `i`'s units of layer 0, of layers 1..<L, and rows of the logits.
  struct Split {
    let units0: [Range<Int>], units: [Range<Int>], rows: [Range<Int>]
  }

  /// One member's private part of the state.
  final class Lane {
    let a: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>
    /// Nanoseconds spent waiting at the layer-0 barrier (for balancing the team; reset by the caller).
    var waited: UInt64 = 0

    init(B: Int, H: Int) {
      a = .allocate(capacity: B * H); a.initialize(repeating: 0, count: B * H)
      y = .allocate(capacity: B * H); y.initialize(repeating: 0, count: B * H)
      mean = .allocate(capacity: B); mean.initialize(repeating: 0, count: B)
      rstd = .allocate(capacity: B); rstd.initialize(repeating: 0, count: B)
    }

    deinit { for p in [a, y, mean, rstd] { p.deallocate() } }
  }

  init(_ m: GRUNet, B: Int, members: Int = 1) {
    self.m = m; self.B = B
    let members = max(1, members)
    self.members = members
    H = m.config.hidden; V = m.config.vocabSize; L = m.config.layers
    half = HalfWeights(m, packNow: false)
    var list: [UnsafeMutablePointer<Float>] = []
    func f(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
      list.append(p); return p
    }
    let H = self.H, V = self.V, L = self.L
    gi = f(L * B * 3 * H); gh = f(L * B * 3 * H); hn = f(H); logits = f(B * V)
    hBuf = (0..<L).map { _ in [f(B * H), f(B * H)] }
    xn = f(B * H); x = f(B * H); off = f(B); pred = f(B)
    mem = list
    tok = .allocate(capacity: B); tok.initialize(repeating: 0, count: B)
    lanes = (0..<members).map { _ in Lane(B: B, H: H) }
    splits = (1...members).map { Self.split(H: H, V: V, members: $0) }
    leadCut = splits[min(1, members - 1)].units0[0].upperBound
  }

  deinit { for p in mem { p.deallocate() }; tok.deallocate() }

  /// Moves `leadCut` after `steps` steps on a team of two, toward equal waits at the layer-0
  /// barrier (the lead's draws cost more or less than `split` assumed), and resets the waits.
  func balance(steps: Int) {
    guard lanes.count == 2, steps > 0 else { return }
    let d = (Double(lanes[1].waited) - Double(lanes[0].waited)) / Double(steps)  // ns per step
    lanes[0].waited = 0; lanes[1].waited = 0
    // Moving one unit shifts ~6 rows of H weights (~0.05 ns each) per melody from one member to
    // the other, changing the difference of the waits by twice that; correct half of it.
    let units = d / (2 * 6 * 0.05 * Double(H * B)) / 2
    let move = max(-32, min(32, Int((units / 8).rounded()) * 8))
    leadCut = max(0, min(H & ~7, leadCut - move))
  }

  /// The shares of `members` members. The lead's extra work per step and melody (a draw, ~10 ns
  /// per logit; the embedding, ~4 ns per unit) is balanced by giving the others more layer-0 units
  /// (each costs 6 rows of W_ih0 and W_hh0, ~0.05 ns per weight).
  static func split(H: Int, V: Int, members: Int) -> Split {
    let even = Array(repeating: 1.0, count: members)
    let extra = members > 1 ? Double(10 * V + 4 * H) / (6 * 0.05 * Double(H)) : 0
    let lead = max(0, Double(H) / Double(members) - extra * Double(members - 1) / Double(members))
    let others = Array(repeating: (Double(H) - lead) / Double(max(1, members - 1)), count: members - 1)
    return Split(units0: split(H, group: 8, weights: [lead] + others), units: split(H, group: 8, weights: even),
                 rows: split(V, group: 4, weights: even))
  }

  /// `0..<n` cut into consecutive ranges proportional to `weights`, at multiples of `group`.
  static func split(_ n: Int, group: Int, weights: [Double]) -> [Range<Int>] {
    let total = weights.reduce(0, +)
    var acc = 0.0, lo = 0
    return weights.enumerated().map { i, w in
      acc += w
      let cut = Int((acc / total * Double(n) / Double(group)).rounded()) * group
      let hi = i == weights.count - 1 ? n : min(n, max(lo, cut))
      defer { lo = hi }
      return lo..<hi
    }
  }

  /// Member `member.index`'s share of the preparation: packs its rows of the binary16 weights (in
  /// parallel, into the caches of the core that will read them), then waits for the others. Call
  /// once, in the team of the first step.
  func prepare(_ member: Team.Member) {
    let sp = splits[member.count - 1]
    half.pack(units: sp.units[member.index], rows: sp.rows[member.index])
    member.barrier()
  }

  /// Step `s` (0, 1, 2, ...) on one thread: feeds `tok`, `off` (B each); afterwards `logits`
  /// [B,V] and `pred` [B] predict the next event.
  func step(_ s: Int, _ tok: [Int32], _ off: [Float]) {
    for b in 0..<B { self.tok[b] = tok[b]; self.off[b] = off[b] }
    Team.shared.run(members: 1) { member in
      if s == 0 { prepare(member) }
      input(member, step: s)
      step(member, step: s)
    }
  }

  /// The lead's part of step `s` before `step`: embeds `tok`, `off` into `xn` and publishes it.
  func input(_ member: Team.Member, step s: Int) {
    precondition(member.index == 0)
    let lay = m.layout, P = m.params, H = self.H, lane = lanes[0]
    for b in 0..<B {
      EmbeddingLayer.forward(out: x + b * H, tok: tok + b, offset: off + b, emb: P + lay.emb,
                             offW: P + lay.offW, offB: P + lay.offB, N: 1, H: H)
      LayerNormLayer.forward(out: xn + b * H, mean: lane.mean + b, rstd: lane.rstd + b, x: x + b * H,
                             w: P + lay.normW, b: P + lay.normB, N: 1, H: H)
    }
    published.store(s + 1, ordering: .releasing)
  }

  /// Member `member.index`'s share of step `s` (the lead calls `input` first). Steps are numbered
  /// from 0 whatever team runs them; consecutive steps may run on teams of different sizes.
  func step(_ member: Team.Member, step s: Int) {
    let lay = m.layout, P = m.params, H = self.H, G = 3 * H, L = self.L, V = self.V, B = self.B
    let lane = lanes[member.index], sp = splits[member.count - 1]
    let started = s > 0, cur = s & 1
    let plain = GateMath.Layout(gate: H, panel: 16)
    let own0 = member.count != 2 ? sp.units0[member.index] : member.index == 0 ? 0..<leadCut : leadCut..<H
    for l in 0..<L {
      let own = l == 0 ? own0 : sp.units[member.index]
      for g in 0..<3 {
        let out = gh + l * B * G + g * H
        if started {
          half.whh[l][g].gemv(rows: own, x: hBuf[l][cur], ldx: H, B: B, y: out, ldy: G)
        } else {
          for b in 0..<B { (out + b * G + own.lowerBound).update(repeating: 0, count: own.count) }
        }
      }
    }
    if member.index > 0 {
      var spins = 0
      while published.load(ordering: .acquiring) <= s {
        spins += 1
        if spins & 1023 == 0 { sched_yield() }
      }
    }
    for l in 0..<L {
      let own = l == 0 ? own0 : sp.units[member.index]
      let x = l == 0 ? UnsafePointer(xn) : UnsafePointer(hBuf[l - 1][cur ^ 1])
      for g in 0..<3 { half.wih[l][g].gemv(rows: own, x: x, ldx: H, B: B, y: gi + l * B * G + g * H, ldy: G) }
      let gr = lay.gru[l], hOld = hBuf[l][cur], hNew = hBuf[l][cur ^ 1], u0 = own.lowerBound
      let bih = UnsafePointer(P + gr.bih + u0), bhh = UnsafePointer(P + gr.bhh + u0), hnu = hn + u0
      for b in 0..<B {
        let row: Int = (l * B + b) * G + u0, at: Int = b * H + u0
        let hprev: UnsafePointer<Float>? = started ? UnsafePointer(hOld + at) : nil
        let g: UnsafeMutablePointer<Float> = gi + row, h: UnsafeMutablePointer<Float> = hNew + at
        let s = UnsafePointer(gh + row)
        GateMath.forward(gi: g, giLayout: plain, g: g, gStride: H, s: s, sLayout: plain, bih: bih, bhh: bhh,
                         hprev: hprev, hn: hnu, h: h, count: own.count)
      }
      if l == 0 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        member.barrier()
        lane.waited &+= DispatchTime.now().uptimeNanoseconds &- t0
      } else {
        member.barrier()
      }
    }
    let top = hBuf[L - 1][cur ^ 1]
    for b in 0..<B {
      ReLULayer.forward(out: lane.a + b * H, x: top + b * H, n: H)
      LayerNormLayer.forward(out: lane.y + b * H, mean: lane.mean + b, rstd: lane.rstd + b, x: lane.a + b * H,
                             w: P + lay.extW, b: P + lay.extB, N: 1, H: H)
    }
    half.cls.gemv(rows: sp.rows[member.index], x: lane.y, ldx: H, B: B, y: logits, ldy: V)
    if member.index == 0 {
      for b in 0..<B { pred[b] = max(0, VectorMath.dot(lane.y + b * H, P + lay.offHead, count: H)) }
    }
    member.barrier()
  }
}
