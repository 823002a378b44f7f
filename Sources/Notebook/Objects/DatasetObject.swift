import Foundation
import Melody

/// A dataset value: songs encoded from MIDI files, with the path as the notebook wrote it.
public final class DatasetObject: IndexableObject, PersistableObject {
  public let dataset: Dataset
  /// The path as written in the notebook (shown instead of the resolved one, so output does not depend
  /// on the working directory).
  public let path: String

  public init(_ dataset: Dataset, path: String) {
    self.dataset = dataset
    self.path = path
  }

  public var typeName: String { "dataset" }

  public var display: String {
    let d = dataset
    let o = d.options
    var s = "dataset \(path): \(d.songs.count) songs, \(Format.grouped(d.eventCount)) events, vocabulary "
      + "\(d.vocab.count) tokens ("
      + (o.events == .music21 ? "music21 events" : "chords \(o.chords.rawValue), quantize \(o.quantize)\(o.drums ? ", drums" : "")")
      + ")"
    if !d.failures.isEmpty {
      s += "\n  skipped \(d.failures.count) file\(d.failures.count == 1 ? "" : "s"):"
      for f in d.failures.prefix(3) { s += "\n    \(relative(f.file)): \(f.reason)" }
      if d.failures.count > 3 { s += "\n    …" }
    }
    return s
  }

  /// A failing file's path relative to the dataset's resolved root when possible.
  func relative(_ file: String) -> String {
    (file as NSString).lastPathComponent
  }

  public var memberNames: [String] { ["count", "songs", "names", "vocab", "events", "path", "skipped"] }

  public func member(_ name: String) throws -> Value? {
    switch name {
    case "count": return .int(dataset.songs.count)
    case "songs": return .list(try dataset.songs.indices.map { try element(at: $0) })
    case "names": return .list(dataset.songs.map { .string($0.name) })
    case "vocab": return .object(VocabObject(dataset.vocab))
    case "events": return .int(dataset.eventCount)
    case "path": return .string(path)
    case "skipped": return .list(dataset.failures.map { .string("\(relative($0.file)): \($0.reason)") })
    default: return nil
    }
  }

  public var count: Int { dataset.songs.count }

  /// Song `i` as a melody (its events' own durations and velocities).
  public func melody(_ i: Int) throws -> MelodyObject {
    let s = dataset.songs[i]
    return try MelodyObject(name: s.name, events: s.events, tempo: s.tempo)
  }

  public func element(at i: Int) throws -> Value { .object(try melody(i)) }

  public func slice(_ lower: Int, _ upper: Int) -> Value {
    var d = dataset
    d.songs = Array(d.songs[lower..<upper])
    d.vocab = Vocabulary(songs: d.songs)
    d.failures = []
    return .object(DatasetObject(d, path: "\(path)[\(lower)..<\(upper)]"))
  }

  // MARK: - Session

  struct StoredSong: Codable {
    var name: String
    var tempo: Double
    var tokens: [String]
    var offsets: [Double]
    var durations: [Double]
    var velocities: [Int]
  }

  struct Stored: Codable {
    var path: String
    var source: String
    var options: EncodingOptions
    var songs: [StoredSong]
    var failures: [[String]]
  }

  public func persist(into dir: String, stem: String) throws -> [String: String] {
    let stored = Stored(
      path: path, source: dataset.source, options: dataset.options,
      songs: dataset.songs.map {
        StoredSong(name: $0.name, tempo: $0.tempo, tokens: $0.tokens, offsets: $0.offsets,
                   durations: $0.events.map(\.duration), velocities: $0.events.map(\.velocity))
      },
      failures: dataset.failures.map { [$0.file, $0.reason] })
    let file = stem + ".dataset.json"
    try NotebookFile.write(Array(try JSONEncoder().encode(stored)), to: dir + "/" + file)
    return ["file": file]
  }

  static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    guard let file = fields["file"],
          let data = FileManager.default.contents(atPath: dir + "/" + file) else {
      throw NotebookError.session("missing dataset file")
    }
    let s: Stored
    do { s = try JSONDecoder().decode(Stored.self, from: data) } catch {
      throw NotebookError.session("dataset file '\(file)' is not a stored dataset")
    }
    try validate(s, file: file)
    let songs = s.songs.map { st in
      Song(name: st.name,
           events: st.tokens.indices.map {
             Event(token: st.tokens[$0], offset: st.offsets[$0], duration: st.durations[$0], velocity: st.velocities[$0])
           },
           tempo: st.tempo)
    }
    let failures = s.failures.filter { $0.count == 2 }.map { LoadFailure(file: $0[0], reason: $0[1]) }
    return DatasetObject(Dataset(source: s.source, options: s.options, songs: songs, failures: failures), path: s.path)
  }
}

extension DatasetObject {
  /// A stored dataset is checked as strictly as a melody file: per song, equal numbers of tokens,
  /// offsets, durations and velocities, each within `MelodyLimits`; tokens that name pitches; the
  /// encoding options in range.
  static func validate(_ s: Stored, file: String) throws {
    guard (1...960).contains(s.options.quantize) else {
      throw NotebookError.session("dataset file '\(file)': quantize \(s.options.quantize) is outside 1...960")
    }
    for (i, song) in s.songs.enumerated() {
      let n = song.tokens.count
      guard song.offsets.count == n, song.durations.count == n, song.velocities.count == n else {
        throw NotebookError.session("dataset file '\(file)', song \(i): \(n) tokens but \(song.offsets.count) "
          + "offsets, \(song.durations.count) durations and \(song.velocities.count) velocities")
      }
      let melody = MelodyObject.Stored(name: song.name, tempo: song.tempo, tokens: song.tokens, offsets: song.offsets,
                                       durations: song.durations, velocities: song.velocities, notes: nil)
      do {
        try MelodyLimits.check(melody, file: file)
        for t in song.tokens where t != Vocabulary.pad { _ = try MelodyCodec.pitches(of: t) }
      } catch {
        throw NotebookError.session("dataset file '\(file)', song \(i): \(error)")
      }
    }
  }
}

/// A vocabulary value: the tokens of a dataset or model, `<PAD>` first.
public final class VocabObject: IndexableObject, PersistableObject {
  public let vocab: Vocabulary
  public init(_ vocab: Vocabulary) { self.vocab = vocab }

  public var typeName: String { "vocabulary" }

  public var display: String {
    let shown = vocab.tokens.prefix(16).joined(separator: " ")
    return "vocabulary: \(vocab.count) tokens\n  " + shown + (vocab.count > 16 ? " …" : "")
  }

  public var memberNames: [String] { ["count", "tokens"] }

  public func member(_ name: String) -> Value? {
    switch name {
    case "count": return .int(vocab.count)
    case "tokens": return .list(vocab.tokens.map { .string($0) })
    default: return nil
    }
  }

  public var count: Int { vocab.count }
  public func element(at i: Int) -> Value { .string(vocab.tokens[i]) }
  public func slice(_ lower: Int, _ upper: Int) -> Value { .list(vocab.tokens[lower..<upper].map { .string($0) }) }
}

extension VocabObject {
  public func persist(into dir: String, stem: String) throws -> [String: String] {
    ["tokens": String(decoding: try JSONEncoder().encode(vocab.tokens), as: UTF8.self)]
  }

  static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    guard let json = fields["tokens"] else { throw NotebookError.session("vocabulary without tokens") }
    return VocabObject(try Vocabulary(tokens: try JSONDecoder().decode([String].self, from: Data(json.utf8))))
  }
}
