/// The network run one time step at a time for B sequences, carrying the GRU states, on the
/// members of a `Team` (one member: the caller alone).
///
/// Each member owns a fixed block of hidden units (whole groups of 8) and of output rows (groups
/// of 4) for the whole run. A step, for member m:
///
///     x = LayerNorm(emb[tok] + off·w_off + b_off)       (every member, privately; tiny)
///     gh_l[m's units] = W_hh_l h_l  (all layers),  gi_0[m's units] = W_ih0 x
///     layer 0 gate math for m's units -> h_0'[m's units]                     barrier
///     gi_l[m's units] = W_ih_l h_{l-1}';  gate math -> h_l'[m's units]        barrier  (l = 1..<L)
///     y = LayerNorm(ReLU(h_{L-1}'))  (privately);  logits[m's rows] = W_cls y;  pred (privately)
///                                                                             barrier
///
/// so a step costs `L + 1` barriers, and each member streams only its rows of the binary16
/// weights (`HalfWeights`). Every output's arithmetic is fixed by `H` (not by the split, the
/// number of members or B), so results do not depend on the thread count, and melody b does not
/// depend on how many melodies are sampled together.
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
  /// Logits [B, V] of the last step (rows owned by members).
  let logits: UnsafeMutablePointer<Float>
  /// Each member's private inputs, scratch and step counter.
  let lanes: [Lane]
  private var mem: [UnsafeMutablePointer<Float>] = []

  /// One member's private part of the state.
  final class Lane {
    /// Input of the next step (set by the caller) [B].
    let tok: UnsafeMutablePointer<Int32>, off: UnsafeMutablePointer<Float>
    let x: UnsafeMutablePointer<Float>, xn: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>
    let y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>
    /// Predicted offsets [B] of the last step.
    let pred: UnsafeMutablePointer<Float>
    /// Scratch for `Nucleus.draw`.
    let nucleus: Nucleus.Scratch
    /// Steps done.
    var steps = 0

    init(B: Int, H: Int, V: Int) {
      tok = .allocate(capacity: B); tok.initialize(repeating: 0, count: B)
      nucleus = Nucleus.Scratch(V: V)
      func f(_ n: Int) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
        return p
      }
      off = f(B); x = f(B * H); xn = f(B * H); a = f(B * H); y = f(B * H); mean = f(B); rstd = f(B)
      pred = f(B)
    }

    deinit {
      tok.deallocate()
      for p in [off, x, xn, a, y, mean, rstd, pred] { p.deallocate() }
    }
  }

  init(_ m: GRUNet, B: Int, members: Int = 1) {
    self.m = m; self.B = B; self.members = max(1, members)
    H = m.config.hidden; V = m.config.vocabSize; L = m.config.layers
    half = HalfWeights(m)
    var list: [UnsafeMutablePointer<Float>] = []
    func f(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n)
      list.append(p); return p
    }
    let H = self.H, V = self.V, L = self.L
    gi = f(L * B * 3 * H); gh = f(L * B * 3 * H); hn = f(H); logits = f(B * V)
    hBuf = (0..<L).map { _ in [f(B * H), f(B * H)] }
    mem = list
    lanes = (0..<self.members).map { _ in Lane(B: B, H: H, V: V) }
  }

  deinit { for p in mem { p.deallocate() } }

  /// Member 0's predicted offsets [B] of the last step (every member computes the same).
  var pred: UnsafeMutablePointer<Float> { lanes[0].pred }

  /// Rows `0..<rows` split into `parts` ranges at multiples of `group`.
  @inline(__always)
  static func part(_ p: Int, of parts: Int, rows: Int, group: Int) -> Range<Int> {
    let groups = (rows + group - 1) / group
    return min(rows, groups * p / parts * group)..<min(rows, groups * (p + 1) / parts * group)
  }

  /// One step on one thread (member 0 alone): feeds `tok`, `off` (B each); afterwards `logits`
  /// [B,V] and `pred` [B] predict the next event. Only for a state made with one member.
  func step(_ tok: [Int32], _ off: [Float]) {
    precondition(members == 1)
    for b in 0..<B { lanes[0].tok[b] = tok[b]; lanes[0].off[b] = off[b] }
    Team.shared.run(members: 1) { step($0) }
  }

  /// Member `member.index`'s share of one step on its lane's `tok`, `off` (every member of the
  /// team must call this with the same inputs).
  func step(_ member: Team.Member) {
    let lay = m.layout, P = m.params, H = self.H, G = 3 * H, L = self.L, V = self.V, B = self.B
    let lane = lanes[member.index]
    let units = Self.part(member.index, of: member.count, rows: H, group: 8)
    let vrows = Self.part(member.index, of: member.count, rows: V, group: 4)
    let u0 = units.lowerBound, nu = units.count
    let started = lane.steps > 0, cur = lane.steps & 1
    let plain = GateMath.Layout(gate: H, panel: 16)
    for b in 0..<B {
      EmbeddingLayer.forward(out: lane.x + b * H, tok: lane.tok + b, offset: lane.off + b, emb: P + lay.emb,
                             offW: P + lay.offW, offB: P + lay.offB, N: 1, H: H)
      LayerNormLayer.forward(out: lane.xn + b * H, mean: lane.mean + b, rstd: lane.rstd + b, x: lane.x + b * H,
                             w: P + lay.normW, b: P + lay.normB, N: 1, H: H)
    }
    for g in 0..<3 {
      half.wih[0][g].gemv(rows: units, x: lane.xn, ldx: H, B: B, y: gi + g * H, ldy: G)
      for l in 0..<L {
        let out = gh + l * B * G + g * H
        if started {
          half.whh[l][g].gemv(rows: units, x: hBuf[l][cur], ldx: H, B: B, y: out, ldy: G)
        } else {
          for b in 0..<B { (out + b * G + u0).update(repeating: 0, count: nu) }
        }
      }
    }
    for l in 0..<L {
      let gr = lay.gru[l], hOld = hBuf[l][cur], hNew = hBuf[l][cur ^ 1]
      if l > 0 {
        for g in 0..<3 {
          half.wih[l][g].gemv(rows: units, x: hBuf[l - 1][cur ^ 1], ldx: H, B: B, y: gi + l * B * G + g * H, ldy: G)
        }
      }
      let bih = UnsafePointer(P + gr.bih + u0), bhh = UnsafePointer(P + gr.bhh + u0), hnu = hn + u0
      for b in 0..<B {
        let row: Int = (l * B + b) * G + u0, at: Int = b * H + u0
        let hprev: UnsafePointer<Float>? = started ? UnsafePointer(hOld + at) : nil
        let g: UnsafeMutablePointer<Float> = gi + row, s = UnsafePointer(gh + row), h: UnsafeMutablePointer<Float> = hNew + at
        GateMath.forward(gi: g, giLayout: plain, g: g, gStride: H, s: s, sLayout: plain, bih: bih, bhh: bhh,
                         hprev: hprev, hn: hnu, h: h, count: nu)
      }
      member.barrier()
    }
    let top = hBuf[L - 1][cur ^ 1]
    for b in 0..<B {
      ReLULayer.forward(out: lane.a + b * H, x: top + b * H, n: H)
      LayerNormLayer.forward(out: lane.y + b * H, mean: lane.mean + b, rstd: lane.rstd + b, x: lane.a + b * H,
                             w: P + lay.extW, b: P + lay.extB, N: 1, H: H)
    }
    half.cls.gemv(rows: vrows, x: lane.y, ldx: H, B: B, y: logits, ldy: V)
    for b in 0..<B { lane.pred[b] = max(0, VectorMath.dot(lane.y + b * H, P + lay.offHead, count: H)) }
    lane.steps += 1
    member.barrier()
  }
}
