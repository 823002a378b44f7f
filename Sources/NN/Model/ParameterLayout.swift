/// Where each named tensor of a `GRUNet` lives inside its single parameter allocation.
///
/// Tensors are laid out back to back in PyTorch `state_dict` order, so the optimizer, gradient
/// clipping and checkpoint code are single loops over one buffer, and `tensors` doubles as the list of
/// checkpoint entries (name, shape, offset).
public struct ParameterLayout: Sendable, Equatable {
  /// One named tensor: element offset into the buffer, shape, element count.
  public struct Tensor: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
  }

  /// Offsets of one GRU layer's tensors (gate order r, z, n as PyTorch).
  public struct GRUOffsets: Sendable, Equatable {
    public let wih: Int, whh: Int, bih: Int, bhh: Int
  }

  public let tensors: [Tensor]
  public let count: Int
  public let emb: Int, offW: Int, offB: Int, normW: Int, normB: Int
  public let gru: [GRUOffsets]
  public let extW: Int, extB: Int, cls: Int, offHead: Int

  public init(_ c: GRUConfig) {
    let V = c.vocabSize, H = c.hidden
    var list: [Tensor] = []
    var next = 0
    func add(_ name: String, _ shape: [Int]) -> Int {
      let t = Tensor(name: name, shape: shape, offset: next)
      list.append(t)
      next += t.count
      return t.offset
    }
    emb = add("emb.weight", [V, H])
    offW = add("off.weight", [H, 1])
    offB = add("off.bias", [H])
    normW = add("norm.weight", [H])
    normB = add("norm.bias", [H])
    var g: [GRUOffsets] = []
    for k in 0..<c.layers {
      let wih = add("gru.weight_ih_l\(k)", [3 * H, H])
      let whh = add("gru.weight_hh_l\(k)", [3 * H, H])
      let bih = add("gru.bias_ih_l\(k)", [3 * H])
      let bhh = add("gru.bias_hh_l\(k)", [3 * H])
      g.append(GRUOffsets(wih: wih, whh: whh, bih: bih, bhh: bhh))
    }
    gru = g
    extW = add("extract.1.weight", [H])
    extB = add("extract.1.bias", [H])
    cls = add("fc_class.weight", [V, H])
    offHead = add("fc_offset.0.weight", [1, H])
    tensors = list
    count = next
  }

  /// The tensor called `name`, if any.
  public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }
}
