/// What to do with tokens a model's vocabulary lacks (`unknown:` of sample, evaluate and train).
public enum UnknownTokenPolicy: String, Sendable {
  /// Stop with an error naming the first unknown token.
  case error
  /// Leave the event out (its offset is added to the next kept event's, so the timing stays).
  case skip
  /// A chord becomes the vocabulary's chord of greatest pitch-class overlap (ties: fewest classes
  /// differing, then vocabulary order); a note becomes the vocabulary's nearest note by pitch (ties: the
  /// lower). Without any chord (or note) in the vocabulary, the other kind is used.
  case nearest
}

/// The result of encoding with a policy: ids and offsets of the events kept, and counts.
public struct EncodedTokens: Sendable, Equatable {
  public var ids: [Int]
  public var offsets: [Double]
  /// Events whose token was replaced by a vocabulary token (`nearest`).
  public var mapped: Int
  /// Events left out (`skip`).
  public var skipped: Int
  /// Distinct unknown tokens met, in order of first appearance.
  public var unknown: [String]

  public init(ids: [Int], offsets: [Double], mapped: Int, skipped: Int, unknown: [String]) {
    self.ids = ids; self.offsets = offsets; self.mapped = mapped; self.skipped = skipped; self.unknown = unknown
  }
}

extension Vocabulary {
  /// Ids and offsets for `tokens` at `offsets` under `policy`. Throws `MelodyError.unknownToken` for
  /// `.error` (or when nothing in the vocabulary can stand in).
  public func encode(_ tokens: [String], offsets: [Double], unknown policy: UnknownTokenPolicy) throws
    -> EncodedTokens
  {
    var out = EncodedTokens(ids: [], offsets: [], mapped: 0, skipped: 0, unknown: [])
    out.ids.reserveCapacity(tokens.count)
    var seen = Set<String>()
    var carry = 0.0
    var cache: [String: Int] = [:]
    for (t, off) in zip(tokens, offsets) {
      if let i = index(of: t), i != 0 {
        out.ids.append(i); out.offsets.append(off + carry); carry = 0
        continue
      }
      if seen.insert(t).inserted { out.unknown.append(t) }
      switch policy {
      case .error:
        throw MelodyError.unknownToken(t)
      case .skip:
        out.skipped += 1
        carry += off
      case .nearest:
        let id: Int
        if let c = cache[t] { id = c } else {
          guard let n = nearest(to: t) else { throw MelodyError.unknownToken(t) }
          cache[t] = n
          id = n
        }
        out.ids.append(id); out.offsets.append(off + carry); carry = 0
        out.mapped += 1
      }
    }
    return out
  }

  /// Pitch-class mask of a chord token, or the MIDI pitch of a note token.
  static func shape(_ token: String) -> (mask: Int, pitch: Int?)? {
    let pitches: [Int]
    do { pitches = try MelodyCodec.pitches(of: token) } catch { return nil }  // not a note or chord: no stand-in
    guard !pitches.isEmpty else { return nil }
    let isNote = PitchNames.parse(token[...]) != nil
    var mask = 0
    for p in pitches { mask |= 1 << (p % 12) }
    return (mask, isNote ? pitches[0] : nil)
  }

  /// The vocabulary id standing in for `token` (see `UnknownTokenPolicy.nearest`).
  func nearest(to token: String) -> Int? {
    guard let s = Self.shape(token) else { return nil }
    var notes: [(id: Int, pitch: Int)] = [], chords: [(id: Int, mask: Int)] = []
    for (i, t) in tokens.enumerated() where i > 0 {
      guard let v = Self.shape(t) else { continue }
      if let p = v.pitch { notes.append((i, p)) } else { chords.append((i, v.mask)) }
    }
    if let p = s.pitch, !notes.isEmpty {
      return notes.min { (abs($0.pitch - p), $0.pitch) < (abs($1.pitch - p), $1.pitch) }?.id
    }
    let candidates = chords.isEmpty ? notes.map { ($0.id, 1 << ($0.pitch % 12)) } : chords.map { ($0.id, $0.mask) }
    func key(_ c: (Int, Int)) -> (Int, Int, Int) {
      (-(c.1 & s.mask).nonzeroBitCount, (c.1 ^ s.mask).nonzeroBitCount, c.0)
    }
    return candidates.min { key($0) < key($1) }?.0
  }
}
