/// Errors of the Melody layer; each names the token, file or value at fault.
public enum MelodyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A token that is not a note name or a chord (`why` explains).
  case badToken(String, why: String)
  /// A token missing from a vocabulary.
  case unknownToken(String)
  /// A vocabulary id out of range.
  case badID(Int, count: Int)
  /// A vocabulary token list that is not valid (`why` explains).
  case badVocabulary(String)
  /// Mismatched lengths of parallel arrays (e.g. tokens and offsets).
  case lengthMismatch(String)
  /// A dataset path that names no file.
  case noFiles(String)
  /// An I/O problem with a path.
  case io(path: String, message: String)
  case badOptions(String)

  public var description: String {
    switch self {
    case .badToken(let t, let why): return "bad token '\(t)': \(why)"
    case .unknownToken(let t): return "token '\(t)' is not in the vocabulary"
    case .badID(let i, let n): return "token id \(i) is out of range 0..<\(n)"
    case .badVocabulary(let why): return "bad vocabulary: \(why)"
    case .lengthMismatch(let what): return what
    case .noFiles(let p): return "\(p): no MIDI files found"
    case .io(let p, let m): return "\(p): \(m)"
    case .badOptions(let m): return "bad encoding options: \(m)"
    }
  }
}
