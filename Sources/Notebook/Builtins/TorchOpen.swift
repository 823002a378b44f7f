import Foundation
import Melody
import NN

extension FileBuiltins {
  /// `open()` of a PyTorch file: the original's checkpoint dict or a bare state_dict (`vocab:` a list of
  /// tokens or a vocabulary). The model records the original's encoding (`events: "music21"`), so
  /// `load(..., events: "music21")` gives datasets it knows.
  static func openTorch(_ call: Call, _ p: (written: String, resolved: String, range: SourceRange)) throws
    -> ModelObject
  {
    var tokens: [String]? = nil
    if let a = call.labelled["vocab"] {
      switch a.value {
      case .list(let items):
        tokens = try items.map {
          guard case .string(let s) = $0 else { throw Diagnostic("vocab: must be a list of token strings", at: a.range) }
          return s
        }
      case .object(let v as VocabObject): tokens = v.vocab.tokens
      default: throw Diagnostic("vocab: must be a list of tokens or a vocabulary, got \(a.value.aTypeName)", at: a.range)
      }
    }
    let (net, _) = try TorchCheckpoint.load(path: p.resolved, vocab: tokens)
    let encoding = EncodingOptions(events: .music21)
    if let json = String(data: try JSONEncoder().encode(encoding), encoding: .utf8) {
      net.metadata[ModelObject.encodingKey] = json
    }
    return try ModelObject(net, showTiming: call.interpreter.environment.timing)
  }
}
