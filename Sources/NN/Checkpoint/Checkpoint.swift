import Files
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// GRUNet checkpoints as safetensors files that PyTorch's `safetensors` reads as the original's
/// `state_dict` (names, shapes, F32 little-endian), with `__metadata__`:
/// `format` = `midigen-gru/1`, `vocab` = JSON array of tokens, `config` = JSON object
/// (`hidden`, `layers`, `dropout`, `vocab_size`, plus `model.metadata` entries — values that are JSON
/// objects/arrays are embedded as JSON, others as strings), `history` = JSON of `TrainingHistory`.
/// Adam moments are not saved.
public enum Checkpoint {
  public static let format = "midigen-gru/1"
  static let reserved: Set<String> = ["hidden", "layers", "dropout", "vocab_size"]

  /// Writes `model` to `path` atomically (temporary file in the same folder, then rename).
  public static func save(_ model: GRUNet, to path: String) throws {
    let meta = try metadata(of: model, path: path)
    let entries = model.layout.tensors.map {
      SafeTensors.Entry(name: $0.name, dtype: "F32", shape: $0.shape, begin: $0.offset * 4,
                        end: ($0.offset + $0.count) * 4)
    }
    let header = SafeTensors.headerBytes(metadata: meta, entries: entries)
    var data = Data(capacity: 8 + header.count + model.parameterCount * 4)
    var n = UInt64(header.count).littleEndian
    withUnsafeBytes(of: &n) { data.append(contentsOf: $0) }
    data.append(contentsOf: header)
    data.append(UnsafeBufferPointer(start: model.params, count: model.parameterCount))
    try writeAtomically(data, to: path)
  }

  /// Reads a checkpoint. Throws `NNError.checkpoint(path:reason:)` naming what is wrong (the key, the
  /// tensor), or `MemoryBudget.Exceeded`. The config is checked against the tensors' shapes and the
  /// memory budget before anything the file sizes is allocated. Weights that are NaN or infinite are
  /// refused (naming the tensor) unless `allowNonFinite`. What can be read past is passed to `warn`
  /// (a missing or unrecognized `history`, which then starts empty).
  public static func load(path: String, allowNonFinite: Bool = false,
                          warn: (String) -> Void = { _ in }) throws -> GRUNet {
    func fail(_ reason: String) -> Error { NNError.checkpoint(path: path, reason: reason) }
    var st = stat()
    guard stat(path, &st) == 0 else { throw fail("cannot read file (\(String(cString: strerror(errno))))") }
    try MemoryBudget.check(MemoryBudget.Size(Int(st.st_size)), for: "reading the checkpoint '\(clip(path))'")
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
      throw fail("cannot read file (\(error.localizedDescription))")
    }
    return try data.withUnsafeBytes { raw -> GRUNet in
      let header = try SafeTensors.parseHeader(raw, fail: fail)
      let meta = header.metadata
      if let f = meta["format"], f != format { throw fail("format is '\(clip(f))', expected '\(format)'") }
      guard let vocabText = meta["vocab"] else { throw fail("__metadata__ has no 'vocab'") }
      guard let vocab = try parseJSON(vocabText, "vocab", fail) as? [String] else {
        throw fail("__metadata__ 'vocab' is not a JSON array of strings")
      }
      guard vocab.first == "<PAD>" else { throw fail("vocab[0] must be \"<PAD>\"") }
      guard vocab.count >= 2 else { throw fail("vocab needs at least 2 tokens") }
      guard let configText = meta["config"] else { throw fail("__metadata__ has no 'config'") }
      guard let cfg = try parseJSON(configText, "config", fail) as? [String: Any] else {
        throw fail("__metadata__ 'config' is not a JSON object")
      }
      let config = try CheckpointConfig.validate(cfg, vocabCount: vocab.count, entries: header.entries,
                                                 fail: fail)
      let model = try GRUNet(checked: config, vocab: vocab, seed: 0)
      var byName: [String: ParameterLayout.Tensor] = [:]
      for t in model.layout.tensors { byName[t.name] = t }
      var seen = Set<String>()
      for e in header.entries {
        guard let t = byName[e.name] else {
          throw fail("unknown tensor '\(clip(e.name))' (not in a \(config.layers)-layer GRUNet)")
        }
        guard e.dtype == "F32" else {
          throw fail("tensor '\(e.name)' has dtype \(clip(e.dtype)); only F32 is supported")
        }
        guard e.shape == t.shape else {
          throw fail("tensor '\(e.name)' has shape \(clip("\(e.shape)")), expected \(t.shape)")
        }
        guard e.end - e.begin == t.count * 4 else {
          throw fail("tensor '\(e.name)': data_offsets span \(e.end - e.begin) bytes, shape needs \(t.count * 4)")
        }
        guard let base = raw.baseAddress else { throw fail("empty file") }
        let dst = model.params + t.offset
        UnsafeMutableRawPointer(dst).copyMemory(from: base + header.dataStart + e.begin, byteCount: t.count * 4)
        if !allowNonFinite, let bad = (0..<t.count).first(where: { !dst[$0].isFinite }) {
          throw fail("tensor '\(e.name)' has a non-finite weight (\(dst[bad]) at element \(bad) of "
            + "\(t.count)); weights must be finite numbers")
        }
        seen.insert(e.name)
      }
      let missing = model.layout.tensors.map(\.name).filter { !seen.contains($0) }
      guard missing.isEmpty else { throw fail("missing tensors: \(listed(missing))") }
      model.history = history(meta["history"], warn: { warn("\(path): \($0)") })
      for (k, v) in cfg where !reserved.contains(k) {
        if let s = v as? String {
          model.metadata[k] = s
        } else {
          do {
            let d = try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed])
            model.metadata[k] = String(decoding: d, as: UTF8.self)
          } catch {
            throw fail("config entry '\(clip(k))' cannot be re-encoded as JSON")
          }
        }
      }
      return model
    }
  }

  /// The training history in `text` (the `history` metadata): PyTorch users write what they like
  /// there, so a missing or unrecognized history is an empty one, with a warning.
  static func history(_ text: String?, warn: (String) -> Void) -> TrainingHistory {
    guard let text else {
      warn("no training history in the metadata; the model starts with an empty history")
      return TrainingHistory()
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      let h = try decoder.decode(TrainingHistory.self, from: Data(text.utf8))
      guard h.steps >= 0, (h.train + h.valid).allSatisfy({ $0.step >= 0 }) else {
        warn("__metadata__ 'history' has negative step counts; the model starts with an empty history")
        return TrainingHistory()
      }
      return h
    } catch {
      warn("__metadata__ 'history' is not midigen training history (steps, train, valid, tokensPerSecond);"
        + " the model starts with an empty history")
      return TrainingHistory()
    }
  }

  /// `s` cut to `limit` characters (file content quoted in an error never runs to megabytes).
  static func clip(_ s: String, _ limit: Int = 80) -> String {
    s.count <= limit ? s : String(s.prefix(limit)) + "… (\(s.count) characters)"
  }

  /// The first few of `names`, then how many more.
  static func listed(_ names: [String], _ most: Int = 5) -> String {
    let shown = names.prefix(most).map { clip($0) }.joined(separator: ", ")
    return names.count > most ? shown + " and \(names.count - most) more" : shown
  }

  /// Parses a metadata JSON value; a syntax error names the metadata key and character.
  static func parseJSON(_ text: String, _ key: String, _ fail: (String) -> Error) throws -> Any {
    do {
      return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    } catch {
      throw fail("__metadata__ '\(key)' is not valid JSON (character \(SafeTensors.jsonErrorIndex(error)))")
    }
  }

  /// Is `v` a JSON object or array (then it is embedded in `config` as JSON, not as a string)?
  static func jsonContainer(_ v: String) -> Any? {
    guard let f = v.first, f == "{" || f == "[" else { return nil }
    do {
      let obj = try JSONSerialization.jsonObject(with: Data(v.utf8))
      return obj is [String: Any] || obj is [Any] ? obj : nil
    } catch { return nil }
  }

  /// The `__metadata__` strings of `model`.
  static func metadata(of model: GRUNet, path: String) throws -> [String: String] {
    let c = model.config
    var cfg: [String: Any] = [
      "hidden": c.hidden, "layers": c.layers, "vocab_size": c.vocabSize,
      "dropout": Double("\(c.dropout)") ?? Double(c.dropout),
    ]
    for (k, v) in model.metadata where !reserved.contains(k) {
      if let obj = jsonContainer(v) {
        cfg[k] = obj
      } else {
        cfg[k] = v
      }
    }
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                              nan: "nan")
    do {
      let config = try JSONSerialization.data(withJSONObject: cfg, options: [.sortedKeys])
      // The training speed is a clock reading, not a result: it is not saved (0), so the same training
      // saves the same bytes and a notebook's `--check` can compare checkpoints byte for byte.
      var saved = model.history
      saved.tokensPerSecond = 0
      let history = try enc.encode(saved)
      return [
        "format": format,
        "vocab": "[" + model.vocab.map(SafeTensors.jsonString).joined(separator: ",") + "]",
        "config": String(decoding: config, as: UTF8.self),
        "history": String(decoding: history, as: UTF8.self),
      ]
    } catch {
      throw NNError.checkpoint(path: path, reason: "cannot encode metadata (\(error))")
    }
  }

  /// Writes to a temporary file beside `path`, then renames it over `path` (`AtomicFile`).
  static func writeAtomically(_ data: Data, to path: String) throws {
    do {
      try AtomicFile.write([UInt8](data), to: path)
    } catch {
      throw NNError.checkpoint(path: path, reason: error.reason)
    }
  }
}
