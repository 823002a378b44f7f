import Melody

/// The `unknown:` option of sample(prime:), evaluate and train(model, dataset): what to do with tokens
/// the model's vocabulary lacks, and the line that says how many were skipped or mapped.
enum UnknownOption {
  static let help = "unknown: \"error\", \"skip\" or \"nearest\" for tokens the model lacks"

  static func policy(_ call: Call) throws -> UnknownTokenPolicy {
    guard let a = call.labelled["unknown"] else { return .error }
    guard case .string(let s) = a.value, let p = UnknownTokenPolicy(rawValue: s) else {
      throw Diagnostic("unknown must be \"error\", \"skip\" or \"nearest\", got \(a.value.display)", at: a.range)
    }
    return p
  }

  /// Writes e.g. `prime: 3 events with unknown tokens mapped to the nearest (4.7 -> 0.4.7, ...)`.
  static func report(_ e: EncodedTokens, call: Call, what: String) {
    guard e.mapped + e.skipped > 0 else { return }
    let shown = e.unknown.prefix(5).joined(separator: ", ") + (e.unknown.count > 5 ? ", …" : "")
    let verb = e.mapped > 0 ? "mapped to the nearest vocabulary token" : "skipped"
    let n = e.mapped + e.skipped
    call.interpreter.emit("\(what): \(n) event\(n == 1 ? "" : "s") with \(e.unknown.count) unknown "
      + "token\(e.unknown.count == 1 ? "" : "s") \(verb) (\(shown))")
  }
}
