import Foundation

/// Options of `Sampler.sample`.
public struct SampleOptions: Sendable {
  /// Events to generate per melody.
  public var length = 128
  /// Nucleus mass; 0 = greedy.
  public var topP: Float = 0.6
  public var temperature: Float = 1
  public var seed: UInt64 = 0
  /// Run through the network first (not part of the output). Nil: start from a random token.
  public var prime: TokenSequence? = nil
  /// Use this offset for every generated event instead of the model's predicted offset.
  public var constantOffset: Float? = nil
  /// Independent melodies generated in one batched call.
  public var count = 1
  public init() {}
}

/// Generates melodies from a trained `GRUNet`, one step at a time for `count` melodies at once.
public enum Sampler {
  /// Returns `count` sequences of `length` events each. Without a primer the first event is a
  /// uniformly random non-PAD token (as the original) with offset 0 (or `constantOffset`), and the
  /// rest are generated; with a primer all `length` events are generated after it. Melody `b` uses
  /// its own generator seeded by (`seed`, `b`), so it does not depend on `count`.
  ///
  /// Steps run on `Team.shared` (up to two threads, at most `Parallel.threads`) or on the caller
  /// alone, whichever is faster at the moment; the results are the same either way. Not to be
  /// called from inside a `Team` job.
  ///
  /// `onSegment(done, total)` is called after each segment of steps (and once at the start); returning
  /// false stops sampling with `SamplingStopped` (the results of a finished call do not depend on it).
  public static func sample(_ model: GRUNet, options o: SampleOptions,
                            onSegment: ((Int, Int) -> Bool)? = nil) throws -> [TokenSequence] {
    try sample(model, options: o, members: members(for: model), onSegment: onSegment)
  }

  /// Threads that share a step: two when two threads are allowed, the machine has two cores
  /// (spinning members must not wait for each other's time slices) and the step's binary16
  /// weights are large enough that halving them outweighs `L + 1` barriers per step (~1 µs each).
  static func members(for model: GRUNet) -> Int {
    let c = model.config
    let halfs = 6 * c.layers * c.hidden * c.hidden + c.vocabSize * c.hidden
    let cores = ProcessInfo.processInfo.activeProcessorCount
    return Parallel.threads > 1 && cores > 1 && halfs >= 1 << 16 ? 2 : 1
  }

  /// `sample` with teams of at most `members` threads (the results do not depend on `members`):
  /// each segment of `segment` steps runs on the team or on the caller alone as `TeamSchedule`
  /// chooses, or (tests) with `plan[i % plan.count]` members for segment `i`.
  static func sample(_ model: GRUNet, options o: SampleOptions, members: Int, plan: [Int]? = nil,
                     segment: Int = TeamSchedule.segment, onSegment: ((Int, Int) -> Bool)? = nil) throws
    -> [TokenSequence]
  {
    let V = model.config.vocabSize
    guard o.count >= 1 else { throw NNError.invalidInput("count must be at least 1") }
    guard o.length >= 0 else { throw NNError.invalidInput("length must be >= 0") }
    guard o.topP >= 0 && o.topP <= 1 else { throw NNError.invalidInput("top_p must be in [0, 1]") }
    guard o.temperature > 0 && o.temperature.isFinite else {
      throw NNError.invalidInput("temperature must be > 0")
    }
    if let c = o.constantOffset, !(c.isFinite && c >= 0) {
      throw NNError.invalidInput("constant offset must be a finite number >= 0")
    }
    if let p = o.prime { try Trainer.validate([p], vocabSize: V) }
    try MemoryBudget.checkSampling(model.config, length: o.length + (o.prime?.count ?? 0), count: o.count)
    let B = o.count, N = o.length
    if N == 0 { return [TokenSequence](repeating: TokenSequence(ids: [], offsets: []), count: B) }
    var rngs = (0..<B).map { b -> SeededRNG in
      var s = o.seed ^ (UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
      return SeededRNG(seed: splitMix64(&s))
    }
    let state = StepState(model, B: B, members: members)
    let scratch = Nucleus.Scratch(V: V)
    // Event t of melody b at [b * N + t].
    let ids = UnsafeMutablePointer<Int32>.allocate(capacity: B * N)
    let offs = UnsafeMutablePointer<Float>.allocate(capacity: B * N)
    defer { ids.deallocate(); offs.deallocate() }
    var t = 0  // events recorded
    func draw() {
      for b in 0..<B {
        let id = Nucleus.draw(state.logits + b * V, V: V, temperature: o.temperature, topP: o.topP,
                              rng: &rngs[b], scratch: scratch)
        state.tok[b] = Int32(id)
        state.off[b] = o.constantOffset ?? state.pred[b]
        ids[b * N + t] = state.tok[b]; offs[b * N + t] = state.off[b]
      }
      t += 1
    }
    // Steps: the primer's events, then every generated event but the last; without a primer the
    // first event is drawn uniformly and is already the first step's input.
    let prime = o.prime.flatMap { $0.count > 0 ? $0 : nil }
    let P = prime?.count ?? 0, steps = P + N - 1
    var pending = P == 0
    if pending {
      for b in 0..<B {
        state.tok[b] = Int32(1 + rngs[b].int(below: V - 1))
        state.off[b] = o.constantOffset ?? 0
        ids[b * N] = state.tok[b]; offs[b * N] = state.off[b]
      }
      t = 1
    }
    /// The lead's choice of step `s`'s input (drawn while the others compute their recurrent
    /// products), published to the team.
    func lead(_ member: Team.Member, _ s: Int) {
      if let p = prime, s < P {
        for b in 0..<B { state.tok[b] = Int32(p.ids[s]); state.off[b] = p.offsets[s] }
      } else if pending {
        pending = false
      } else {
        draw()
      }
      state.input(member, step: s)
    }
    let key = [model.config.hidden, model.config.layers, V, B]
    var schedule = TeamSchedule.load(key, most: members)
    if plan == nil, let cut = schedule.leadCut { state.leadCut = cut }
    var s = 0, segments = 0
    while s < steps {
      if let onSegment, !onSegment(s, steps) { throw SamplingStopped(steps: s, total: steps) }
      // The first segment also packs the weights: it runs the faster way and is not timed.
      let n = min(segment, steps - s)
      let k: Int
      if let plan { k = min(members, plan[segments % plan.count]) } else {
        k = s == 0 ? schedule.best ?? members : schedule.next()
      }
      let first = s, start = DispatchTime.now().uptimeNanoseconds
      Team.shared.run(members: k) { member in
        if first == 0 { state.prepare(member) }
        for i in first..<(first + n) {
          if member.index == 0 { lead(member, i) }
          state.step(member, step: i)
        }
      }
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
      if first > 0 && plan == nil { schedule.record(members: k, perStep: elapsed / Double(n)) }
      if k == 2 { state.balance(steps: n) }
      s += n; segments += 1
    }
    if plan == nil {
      schedule.leadCut = state.leadCut
      TeamSchedule.save(key, schedule)
    }
    while t < N { draw() }
    return (0..<B).map { b in
      TokenSequence(ids: (0..<N).map { Int(ids[b * N + $0]) },
                    offsets: Array(UnsafeBufferPointer(start: offs + b * N, count: N)))
    }
  }
}

/// Thrown by `Sampler.sample` when its `onSegment` callback asked it to stop after `steps` of `total`.
public struct SamplingStopped: Error, Sendable {
  public var steps: Int
  public var total: Int
}
