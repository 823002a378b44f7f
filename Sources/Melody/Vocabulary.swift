/// Token <-> id mapping. `tokens[0]` is `<PAD>`; the others are distinct.
public struct Vocabulary: Sendable, Equatable {
  public static let pad = "<PAD>"

  public let tokens: [String]
  private let ids: [String: Int]

  /// A vocabulary from a saved token list; it must start with `<PAD>` and have no duplicates.
  public init(tokens: [String]) throws {
    guard tokens.first == Self.pad else {
      throw MelodyError.badVocabulary(
        "the first token must be \(Self.pad), found '\(tokens.first ?? "nothing")'")
    }
    var ids: [String: Int] = [:]
    ids.reserveCapacity(tokens.count)
    for (i, t) in tokens.enumerated() {
      if ids[t] != nil { throw MelodyError.badVocabulary("token '\(t)' appears twice") }
      ids[t] = i
    }
    self.tokens = tokens
    self.ids = ids
  }

  /// `<PAD>` then the distinct tokens of `songs`, sorted (byte order, as Python's `sorted`).
  public init(songs: [Song]) {
    var set = Set<String>()
    for s in songs { for e in s.events { set.insert(e.token) } }
    set.remove(Self.pad)
    let sorted = [Self.pad] + set.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    var ids: [String: Int] = [:]
    for (i, t) in sorted.enumerated() { ids[t] = i }
    self.tokens = sorted
    self.ids = ids
  }

  public var count: Int { tokens.count }

  public func index(of token: String) -> Int? { ids[token] }

  /// The token of `id`; `id` must be in 0..<count (use `token(id:)` for checked access).
  public subscript(id: Int) -> String { tokens[id] }

  /// Checked lookup.
  public func token(id: Int) throws -> String {
    guard id >= 0 && id < tokens.count else { throw MelodyError.badID(id, count: tokens.count) }
    return tokens[id]
  }

  /// Ids of `tokens`. A token not in the vocabulary is an error naming it, or, with
  /// `skipUnknown`, is left out and counted in `skipped`.
  public func encode(_ tokens: [String], skipUnknown: Bool) throws -> (ids: [Int], skipped: Int) {
    var out: [Int] = []
    out.reserveCapacity(tokens.count)
    var skipped = 0
    for t in tokens {
      if let i = ids[t] {
        out.append(i)
      } else if skipUnknown {
        skipped += 1
      } else {
        throw MelodyError.unknownToken(t)
      }
    }
    return (out, skipped)
  }

  /// Tokens of `ids` (checked).
  public func decode(_ ids: [Int]) throws -> [String] {
    try ids.map { try token(id: $0) }
  }

  public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.tokens == b.tokens }
}
