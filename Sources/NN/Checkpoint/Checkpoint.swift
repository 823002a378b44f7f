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

  /// Reads a checkpoint. Throws `NNError.checkpoint(path:reason:)` naming what is wrong.
  public static func load(path: String) throws -> GRUNet {
    func fail(_ reason: String) -> Error { NNError.checkpoint(path: path, reason: reason) }
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw fail("cannot read file (\(error.localizedDescription))")
    }
    return try data.withUnsafeBytes { raw -> GRUNet in
      let header = try SafeTensors.parseHeader(raw, fail: fail)
      let meta = header.metadata
      if let f = meta["format"], f != format { throw fail("format is '\(f)', expected '\(format)'") }
      guard let vocabText = meta["vocab"] else { throw fail("__metadata__ has no 'vocab'") }
      guard let vocab = try parseJSON(vocabText, "vocab", fail) as? [String] else {
        throw fail("__metadata__ 'vocab' is not a JSON array of strings")
      }
      guard vocab.first == "<PAD>" else { throw fail("vocab[0] must be \"<PAD>\"") }
      guard let configText = meta["config"] else { throw fail("__metadata__ has no 'config'") }
      guard let cfg = try parseJSON(configText, "config", fail) as? [String: Any] else {
        throw fail("__metadata__ 'config' is not a JSON object")
      }
      guard let hidden = cfg["hidden"] as? Int, hidden > 0, let layers = cfg["layers"] as? Int, layers > 0 else {
        throw fail("config needs positive integers 'hidden' and 'layers'")
      }
      let dropout = (cfg["dropout"] as? Double).map { Float($0) } ?? 0
      guard let emb = header.entries.first(where: { $0.name == "emb.weight" }) else {
        throw fail("missing tensor 'emb.weight'")
      }
      if emb.shape.count == 2 && emb.shape[0] != vocab.count {
        throw fail("vocab has \(vocab.count) tokens but emb.weight has \(emb.shape[0]) rows")
      }
      if let v = cfg["vocab_size"] as? Int, v != vocab.count {
        throw fail("config vocab_size \(v) disagrees with the vocab's \(vocab.count) tokens")
      }
      guard vocab.count >= 2 else { throw fail("vocab needs at least 2 tokens") }
      let config = GRUConfig(vocabSize: vocab.count, hidden: hidden, layers: layers, dropout: dropout)
      let model = GRUNet(config: config, vocab: vocab, seed: 0)
      var seen = Set<String>()
      for e in header.entries {
        guard let t = model.layout.tensor(named: e.name) else {
          throw fail("unknown tensor '\(e.name)' (not in a \(layers)-layer GRUNet)")
        }
        guard e.dtype == "F32" else { throw fail("tensor '\(e.name)' has dtype \(e.dtype); only F32 is supported") }
        guard e.shape == t.shape else {
          throw fail("tensor '\(e.name)' has shape \(e.shape), expected \(t.shape)")
        }
        guard e.end - e.begin == t.count * 4 else {
          throw fail("tensor '\(e.name)': data_offsets span \(e.end - e.begin) bytes, shape needs \(t.count * 4)")
        }
        let src = raw.baseAddress! + header.dataStart + e.begin
        UnsafeMutableRawPointer(model.params + t.offset).copyMemory(from: src, byteCount: t.count * 4)
        seen.insert(e.name)
      }
      let missing = model.layout.tensors.map(\.name).filter { !seen.contains($0) }
      guard missing.isEmpty else { throw fail("missing tensors: \(missing.joined(separator: ", "))") }
      if let h = meta["history"] {
        do { model.history = try JSONDecoder().decode(TrainingHistory.self, from: Data(h.utf8)) } catch {
          throw fail("__metadata__ 'history' is not valid training history JSON")
        }
      }
      for (k, v) in cfg where !reserved.contains(k) {
        if let s = v as? String {
          model.metadata[k] = s
        } else {
          do {
            let d = try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed])
            model.metadata[k] = String(decoding: d, as: UTF8.self)
          } catch {
            throw fail("config entry '\(k)' cannot be re-encoded as JSON")
          }
        }
      }
      return model
    }
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
      let history = try enc.encode(model.history)
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
