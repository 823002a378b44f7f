import Foundation

/// GRUNet models from files written by the PyTorch original's `torch.save` (legacy `.ch` files and the
/// zip format of PyTorch >= 1.6), read without running any Python code (see `PickleReader`).
///
/// The file holds either the original's checkpoint dict — `model` (the state_dict), `unique_notes`
/// (its tokens, in its own order), `model_repr` (`str(model)`), `global_step` — or a bare state_dict
/// (then the vocabulary is given). The vocabulary is `<PAD>` followed by `unique_notes` in stored order,
/// as the original builds it. The architecture comes from the tensor shapes (V and H from `emb.weight`,
/// layers from the `gru.weight_ih_l{k}` present) and is cross-checked with `model_repr`, which also
/// gives the dropout (default 0.2, the original's). `global_step` becomes `history.steps`. Tensors may be
/// float32, float16, bfloat16 or float64 (converted to float32); a `module.` prefix (DataParallel) is dropped.
public enum TorchCheckpoint {
  /// File extensions `open()` treats as PyTorch files.
  public static let extensions: Set<String> = ["pt", "pth", "ch", "ckpt", "bin", "tar"]

  /// What was found besides the weights.
  public struct Info: Sendable {
    /// "legacy" or "zip".
    public var format: String
    /// "checkpoint" (the original's dict) or "state_dict".
    public var kind: String
    public var modelRepr: String?
    public var globalStep: Int?
  }

  /// Reads `path`. `vocab` (with or without a leading `<PAD>`) is required for a bare state_dict and
  /// replaces `unique_notes` otherwise. Errors are `NNError.checkpoint` naming the path and, for
  /// malformed files, the byte offset.
  public static func load(path: String, vocab: [String]? = nil) throws -> (GRUNet, Info) {
    func fail(_ reason: String) -> Error { NNError.checkpoint(path: path, reason: reason) }
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw fail("cannot read file (\(error.localizedDescription))")
    }
    return try data.withUnsafeBytes { raw in
      do {
        return try load(raw, vocab: vocab, fail: fail)
      } catch let e as PickleError {
        throw fail(e.description)
      }
    }
  }

  static func load(_ raw: UnsafeRawBufferPointer, vocab given: [String]?, fail: (String) -> Error) throws
    -> (GRUNet, Info)
  {
    let file = try TorchFile(raw)
    guard case .dict(let root) = file.root else {
      throw fail("the file holds a \(file.root.kind), not a checkpoint dict or a state_dict")
    }
    var info = Info(format: TorchFile.isZip(raw) ? "zip" : "legacy", kind: "state_dict")
    var state = root
    var vocab: [String]? = nil
    for key in ["model", "state_dict", "model_state_dict"] {
      if case .dict(let d)? = root[key] { state = d; info.kind = "checkpoint"; break }
    }
    if info.kind == "checkpoint" {
      if let u = root["unique_notes"] {
        guard case .list(let l) = u else { throw fail("'unique_notes' is a \(u.kind), not a list of tokens") }
        vocab = try l.items.map {
          guard case .string(let s) = $0 else { throw fail("'unique_notes' holds a \($0.kind), not a token string") }
          return s
        }
      }
      if case .string(let r)? = root["model_repr"] { info.modelRepr = r }
      if case .int(let s)? = root["global_step"], s >= 0 { info.globalStep = s }
    }
    if let given { vocab = given }
    guard var tokens = vocab else {
      throw fail("a bare state_dict has no vocabulary: give it with vocab: (a list of tokens, <PAD> first or not)")
    }
    if tokens.first != "<PAD>" { tokens.insert("<PAD>", at: 0) }
    var seen = Set<String>()
    for t in tokens where !seen.insert(t).inserted { throw fail("token '\(t)' appears twice in the vocabulary") }

    // Tensors by name.
    var tensors: [String: PickleTensor] = [:]
    for (k, v) in zip(state.keys, state.values) {
      guard case .string(var name) = k else { throw fail("state_dict key is a \(k.kind), not a name") }
      if name.hasPrefix("module.") { name.removeFirst(7) }
      guard case .tensor(let t) = v else { throw fail("state_dict entry '\(name)' is a \(v.kind), not a tensor") }
      tensors[name] = t
    }
    guard let emb = tensors["emb.weight"], emb.shape.count == 2 else {
      throw fail("no 2-D tensor 'emb.weight' (is this the original's GRUNet?)")
    }
    let V = emb.shape[0], H = emb.shape[1]
    var L = 0
    while tensors["gru.weight_ih_l\(L)"] != nil { L += 1 }
    guard V == tokens.count else {
      throw fail("the vocabulary has \(tokens.count) tokens (<PAD> + \(tokens.count - 1)) but emb.weight has \(V) rows")
    }
    guard V >= 2, (1...8192).contains(H), (1...64).contains(L) else {
      throw fail("unsupported architecture: vocab \(V), hidden \(H), \(L) GRU layers")
    }
    var dropout: Float = 0.2
    if let r = info.modelRepr {
      let arch = parseRepr(r)
      if let (v, h) = arch.embedding, v != V || h != H {
        throw fail("model_repr says Embedding(\(v), \(h)) but emb.weight is [\(V), \(H)]")
      }
      if let l = arch.layers, l != L { throw fail("model_repr says \(l) GRU layers but the state_dict has \(L)") }
      if let h = arch.gruHidden, h != H { throw fail("model_repr says GRU hidden \(h) but emb.weight has \(H)") }
      if let d = arch.dropout { dropout = d }
    }
    let config = GRUConfig(vocabSize: V, hidden: H, layers: L, dropout: dropout)
    let layout = ParameterLayout(config)
    for t in layout.tensors {
      guard let src = tensors[t.name] else { throw fail("missing tensor '\(t.name)'") }
      guard src.shape == t.shape else { throw fail("tensor '\(t.name)' has shape \(src.shape), expected \(t.shape)") }
    }
    let known = Set(layout.tensors.map(\.name))
    if let extra = tensors.keys.sorted().first(where: { !known.contains($0) }) {
      throw fail("unexpected tensor '\(extra)' (not in a \(L)-layer GRUNet)")
    }
    let model = GRUNet(config: config, vocab: tokens, seed: 0)
    for t in layout.tensors {
      // Present and shaped as checked above.
      guard let src = tensors[t.name] else { continue }
      let values = try file.floats(src, raw)
      guard model.setTensor(t.name, values) else { throw fail("tensor '\(t.name)' could not be set") }
    }
    if let s = info.globalStep { model.history.steps = s }
    return (model, info)
  }

  struct Architecture {
    var embedding: (Int, Int)?
    var gruHidden: Int?
    var layers: Int?
    var dropout: Float?
  }

  /// Reads `Embedding(V, H)` and `GRU(H, H, num_layers=L, batch_first=True, dropout=D)` out of
  /// `str(model)`; absent parts stay nil (`num_layers` defaults to 1, `dropout` to 0 in a GRU line).
  static func parseRepr(_ r: String) -> Architecture {
    var a = Architecture()
    func args(after marker: String) -> [String]? {
      guard let start = r.range(of: marker) else { return nil }
      guard let end = r[start.upperBound...].firstIndex(of: ")") else { return nil }
      return r[start.upperBound..<end].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    if let e = args(after: "Embedding("), e.count >= 2, let v = Int(e[0]), let h = Int(e[1]) { a.embedding = (v, h) }
    if let g = args(after: "GRU(") {
      if g.count >= 2, let h = Int(g[1]) { a.gruHidden = h }
      a.layers = 1
      a.dropout = 0
      for part in g {
        if part.hasPrefix("num_layers="), let l = Int(part.dropFirst(11)) { a.layers = l }
        if part.hasPrefix("dropout="), let d = Float(part.dropFirst(8)) { a.dropout = d }
      }
      if g.count >= 3, let l = Int(g[2]) { a.layers = l }
    }
    return a
  }
}
