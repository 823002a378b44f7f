import Foundation
import Melody
import NN

/// A model value: a GRUNet with its vocabulary, history and metadata. `train(model, dataset)` continues
/// training this same model in place (as the original's training loop), so it is the one mutable value.
public final class ModelObject: PersistableObject {
  public let net: GRUNet
  /// The model's vocabulary (`net.vocab` checked: `<PAD>` first, no duplicates).
  public let vocabulary: Vocabulary
  /// Show tokens/s (only with `--timing`: it varies between runs).
  let showTiming: Bool

  public init(_ net: GRUNet, showTiming: Bool = false) throws {
    self.net = net
    self.vocabulary = try Vocabulary(tokens: net.vocab)
    self.showTiming = showTiming
  }

  /// Metadata keys recording how the model's data was split, so `evaluate` uses the same validation songs.
  static let validKey = "valid"
  static let splitSeedKey = "split_seed"
  static let encodingKey = "encoding"

  public var typeName: String { "model" }

  public var display: String {
    let c = net.config
    var s = "model: GRU \(c.layers) layer\(c.layers == 1 ? "" : "s") × \(c.hidden) hidden, dropout "
      + "\(Format.float(c.dropout)), vocabulary \(c.vocabSize) tokens, "
      + "\(Format.grouped(net.parameterCount)) parameters"
    let h = net.history
    if h.steps == 0 {
      s += "\n  untrained"
    } else {
      s += "\n  trained \(Format.grouped(h.steps)) steps" + (h.stoppedEarly == true ? " (stopped early: patience)" : "")
      let k = h.kept ?? h.steps
      if h.kept != nil { s += "; kept the weights of step \(Format.grouped(k)) (lowest validation loss)" }
      if let t = h.train.last(where: { $0.step <= k }) { s += "\n  at step \(Format.grouped(t.step)): train loss \(Format.fixed(t.loss, 4))" }
      if let v = h.valid.last(where: { $0.step <= k }) {
        s += ", valid loss \(Format.fixed(v.loss, 4)) (objective: cross-entropy + w_off × SmoothL1, fixed windows)"
      }
      if showTiming, h.tokensPerSecond.isFinite, abs(h.tokensPerSecond) < 9e15 {
        s += "; \(Format.grouped(Int(h.tokensPerSecond))) tokens/s"
      }
    }
    return s
  }

  public var memberNames: [String] {
    ["history", "vocab", "hidden", "layers", "dropout", "parameters", "steps", "loss", "valid_loss", "kept"]
  }

  public func member(_ name: String) -> Value? {
    let c = net.config
    switch name {
    case "history": return .object(HistoryObject(net.history))
    case "vocab": return .object(VocabObject(vocabulary))
    case "hidden": return .int(c.hidden)
    case "layers": return .int(c.layers)
    case "dropout": return .float(Double(Format.float(c.dropout)) ?? Double(c.dropout))
    case "parameters": return .int(net.parameterCount)
    case "steps": return .int(net.history.steps)
    case "loss":
      let k = net.history.kept ?? net.history.steps
      return net.history.train.last(where: { $0.step <= k }).map { .float($0.loss) } ?? .nothing
    case "valid_loss":
      let k = net.history.kept ?? net.history.steps
      return net.history.valid.last(where: { $0.step <= k }).map { .float($0.loss) } ?? .nothing
    case "kept": return net.history.kept.map { .int($0) } ?? .nothing
    default: return nil
    }
  }

  public func persist(into dir: String, stem: String) throws -> [String: String] {
    let file = stem + ".safetensors"
    try Checkpoint.save(net, to: dir + "/" + file)
    return ["file": file]
  }

  static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    guard let file = fields["file"] else { throw NotebookError.session("model without a file") }
    return try ModelObject(try Checkpoint.load(path: dir + "/" + file))
  }
}

/// A training history value: loss points of training and validation.
public final class HistoryObject: PersistableObject {
  public let history: TrainingHistory
  public init(_ history: TrainingHistory) { self.history = history }

  public var typeName: String { "history" }

  public var display: String {
    let h = history
    var s = "history: \(Format.grouped(h.steps)) steps, \(h.train.count) train and \(h.valid.count) validation losses"
    if let t = h.train.last { s += "\n  last train loss \(Format.fixed(t.loss, 4)) (step \(t.step))" }
    if let v = h.valid.last { s += "\n  last valid loss \(Format.fixed(v.loss, 4)) (step \(v.step))" }
    if let best = h.valid.min(by: { $0.loss < $1.loss }) {
      s += "\n  best valid loss \(Format.fixed(best.loss, 4)) (step \(best.step))"
    }
    if let k = h.kept { s += "\n  kept the weights of step \(k)" }
    return s
  }

  public var memberNames: [String] { ["steps", "train", "train_steps", "valid", "valid_steps", "kept"] }

  public func member(_ name: String) -> Value? {
    switch name {
    case "steps": return .int(history.steps)
    case "train": return .list(history.train.map { .float($0.loss) })
    case "train_steps": return .list(history.train.map { .int($0.step) })
    case "valid": return .list(history.valid.map { .float($0.loss) })
    case "valid_steps": return .list(history.valid.map { .int($0.step) })
    case "kept": return history.kept.map { .int($0) } ?? .nothing
    default: return nil
    }
  }
}

extension HistoryObject {
  public func persist(into dir: String, stem: String) throws -> [String: String] {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return ["json": String(decoding: try encoder.encode(history), as: UTF8.self)]
  }

  static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    guard let json = fields["json"] else { throw NotebookError.session("history without data") }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let h: TrainingHistory
    do { h = try decoder.decode(TrainingHistory.self, from: Data(json.utf8)) } catch {
      throw NotebookError.session("history is not training history JSON")
    }
    guard h.steps >= 0, (h.train + h.valid).allSatisfy({ $0.step >= 0 }) else {
      throw NotebookError.session("history has negative step counts")
    }
    return HistoryObject(h)
  }
}
