/// Music statistics of a set of melodies compared with training songs, so sampled melodies (or
/// held-out songs, as a reference) can be judged without listening to all of them.
///
/// Histograms are compared by total variation distance, `½ Σ |p_i - q_i|`: 0 for the same
/// distribution, 1 for disjoint ones.
/// - pitch classes: every pitch of every event (a chord counts each of its pitches);
/// - intervals: semitones from one event's highest pitch to the next one's, clamped to ±13
///   (±13 stands for "an octave or more and then some");
/// - offsets: quarters between onsets, on a grid of 1/12 quarter, clamped to 0...8.
/// Rates:
/// - note repeat: consecutive events with the same token, of all consecutive pairs;
/// - n-gram copy: positions of the melody's token n-grams that occur verbatim in some training song,
///   of all its n-grams (offsets ignored). A melody shorter than n has no n-grams.
public struct MusicStats: Sendable, Equatable {
  public var melodies: Int
  public var events: Int
  public var pitchClassDistance: Double
  public var intervalDistance: Double
  public var offsetDistance: Double
  public var repeatRate: Double
  public var copyRate: Double
  /// The n of the n-gram copy rate.
  public var n: Int

  /// A melody as the statistics see it: tokens and offsets (quarters since the previous event).
  public struct Piece: Sendable {
    public var tokens: [String]
    public var offsets: [Double]
    public init(tokens: [String], offsets: [Double]) {
      self.tokens = tokens
      self.offsets = offsets
    }
  }

  /// The training side, counted once and reused for every set compared with it.
  public struct Reference: Sendable {
    let pitchClasses: [Double]
    let intervals: [Double]
    let offsets: [Double]
    /// Token ids of the training songs, and their n-grams as id arrays (exact, no hashing).
    let ids: [String: Int32]
    let ngrams: Set<[Int32]>
    public let n: Int
    public let songs: Int

    public init(training: [Piece], n: Int) {
      let c = Counts(training)
      pitchClasses = c.pitchClasses
      intervals = c.intervals
      offsets = c.offsets
      self.n = max(1, n)
      songs = training.count
      var ids: [String: Int32] = [:]
      var grams = Set<[Int32]>()
      for p in training {
        let seq = p.tokens.map { t -> Int32 in
          if let i = ids[t] { return i }
          let i = Int32(ids.count)
          ids[t] = i
          return i
        }
        guard seq.count >= self.n else { continue }
        for i in 0...(seq.count - self.n) { grams.insert(Array(seq[i..<(i + self.n)])) }
      }
      self.ids = ids
      ngrams = grams
    }

    /// Whether `tokens` occurs verbatim in a training song.
    func contains(_ tokens: ArraySlice<String>) -> Bool {
      var gram: [Int32] = []
      gram.reserveCapacity(tokens.count)
      for t in tokens {
        guard let i = ids[t] else { return false }
        gram.append(i)
      }
      return ngrams.contains(gram)
    }
  }

  /// The statistics of `pieces` against `reference`. Tokens that name no pitch (`<PAD>`, unknown
  /// strings) count as events but add no pitch or interval.
  public static func measure(_ pieces: [Piece], against reference: Reference) -> MusicStats {
    let c = Counts(pieces)
    var repeats = 0, pairs = 0, copied = 0, grams = 0
    let n = reference.n
    for p in pieces {
      if p.tokens.count >= 2 {
        for i in 1..<p.tokens.count {
          pairs += 1
          if p.tokens[i] == p.tokens[i - 1] { repeats += 1 }
        }
      }
      if p.tokens.count >= n {
        for i in 0...(p.tokens.count - n) {
          grams += 1
          if reference.contains(p.tokens[i..<(i + n)]) { copied += 1 }
        }
      }
    }
    return MusicStats(
      melodies: pieces.count, events: pieces.reduce(0) { $0 + $1.tokens.count },
      pitchClassDistance: distance(c.pitchClasses, reference.pitchClasses),
      intervalDistance: distance(c.intervals, reference.intervals),
      offsetDistance: distance(c.offsets, reference.offsets),
      repeatRate: pairs > 0 ? Double(repeats) / Double(pairs) : 0,
      copyRate: grams > 0 ? Double(copied) / Double(grams) : 0, n: n)
  }

  /// Total variation distance of two histograms (each normalized; an empty one is all zeros, at
  /// distance 1 from any non-empty one and 0 from another empty one).
  public static func distance(_ a: [Double], _ b: [Double]) -> Double {
    let sa = a.reduce(0, +), sb = b.reduce(0, +)
    if sa == 0 && sb == 0 { return 0 }
    if sa == 0 || sb == 0 { return 1 }
    var d = 0.0
    for i in 0..<min(a.count, b.count) { d += abs(a[i] / sa - b[i] / sb) }
    return d / 2
  }

  /// Histogram counts of a set of pieces.
  struct Counts {
    var pitchClasses = [Double](repeating: 0, count: 12)
    var intervals = [Double](repeating: 0, count: 27)  // -13...13
    var offsets = [Double](repeating: 0, count: 8 * 12 + 1)  // 0...8 quarters by 1/12

    init(_ pieces: [Piece]) {
      for p in pieces {
        var previousTop: Int? = nil
        for (k, token) in p.tokens.enumerated() {
          if k > 0 && k < p.offsets.count {
            let o = p.offsets[k]
            if o.isFinite {
              offsets[Int((min(max(o, 0), 8) * 12).rounded())] += 1
            }
          }
          let pitches: [Int]
          do { pitches = try MelodyCodec.pitches(of: token) } catch { pitches = [] }  // <PAD>: no pitch
          guard let top = pitches.max() else {
            previousTop = nil
            continue
          }
          for q in pitches { pitchClasses[((q % 12) + 12) % 12] += 1 }
          if let prev = previousTop { intervals[min(max(top - prev, -13), 13) + 13] += 1 }
          previousTop = top
        }
      }
    }
  }
}
