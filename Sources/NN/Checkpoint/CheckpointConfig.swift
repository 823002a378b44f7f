import Foundation

/// Checks a checkpoint's `config` (the `__metadata__` JSON object) before anything is allocated:
/// every size must be an integer that agrees with the tensors the file actually holds (so a 3 KB file
/// cannot ask for 2^62 hidden units or a billion layers), and the keys midigen reads back (`dropout`,
/// `valid`, `split_seed`, `vocab_size`) must be in range. Errors name the key; the caller's `fail` adds
/// the file.
enum CheckpointConfig {
  static func validate(_ cfg: [String: Any], vocabCount: Int, entries: [SafeTensors.Entry],
                       fail: (String) -> Error) throws -> GRUConfig {
    func number(_ key: String) -> Double? {
      guard let v = cfg[key] else { return nil }
      if let n = v as? NSNumber { return n.doubleValue }
      if let s = v as? String { return Double(s) }
      return nil
    }
    func shown(_ key: String) -> String {
      guard let v = cfg[key] else { return "missing" }
      if let s = v as? String { return "\"" + Checkpoint.clip(s, 40) + "\"" }
      return Checkpoint.clip("\(v)", 40)
    }
    /// A positive integer (as JSON number) under `key`.
    func size(_ key: String) throws -> Double {
      guard let v = cfg[key], v is NSNumber, !(v is String), let d = number(key), d.isFinite,
        d.rounded() == d, d >= 1
      else { throw fail("config '\(key)' is \(shown(key)); expected a positive integer") }
      return d
    }
    let hiddenD = try size("hidden"), layersD = try size("layers")
    guard let emb = entries.first(where: { $0.name == "emb.weight" }) else {
      throw fail("missing tensor 'emb.weight'")
    }
    guard emb.shape.count == 2 else {
      throw fail("tensor 'emb.weight' has shape \(Checkpoint.clip("\(emb.shape)")), expected [vocab, hidden]")
    }
    guard hiddenD == Double(emb.shape[1]) else {
      throw fail("config 'hidden' is \(shown("hidden")) but tensor 'emb.weight' has \(emb.shape[1]) columns")
    }
    guard emb.shape[0] == vocabCount else {
      throw fail("vocab has \(vocabCount) tokens but emb.weight has \(emb.shape[0]) rows")
    }
    // Each GRU layer has 4 tensors beside the 9 others: a config with another number of layers than the
    // file has tensors for is refused before its layout is built.
    let gruTensors = entries.filter { $0.name.hasPrefix("gru.") }.count
    guard layersD * 4 == Double(gruTensors) else {
      throw fail("config 'layers' is \(shown("layers")) but the file has GRU tensors for \(gruTensors / 4) "
        + "layer\(gruTensors / 4 == 1 ? "" : "s")")
    }
    let hidden = Int(hiddenD), layers = Int(layersD)
    if cfg["vocab_size"] != nil {
      guard let v = number("vocab_size"), cfg["vocab_size"] is NSNumber, v == Double(vocabCount) else {
        throw fail("config 'vocab_size' is \(shown("vocab_size")); the vocab has \(vocabCount) tokens")
      }
    }
    var dropout: Float = 0
    if cfg["dropout"] != nil {
      guard let d = number("dropout"), d >= 0 && d < 1 else {
        throw fail("config 'dropout' is \(shown("dropout")); expected a number in [0, 1)")
      }
      dropout = Float(d)
    }
    if cfg["valid"] != nil {
      guard let v = number("valid"), v >= 0 && v < 1 else {
        throw fail("config 'valid' (fraction of songs held out) is \(shown("valid")); expected a number in [0, 1)")
      }
    }
    if let s = cfg["split_seed"] {
      let text = (s as? String) ?? "\(s)"
      guard UInt64(text) != nil else {
        throw fail("config 'split_seed' is \(shown("split_seed")); expected an integer in 0...\(UInt64.max)")
      }
    }
    return GRUConfig(vocabSize: vocabCount, hidden: hidden, layers: layers, dropout: dropout)
  }

}
