import Foundation

/// The one place that decides whether an allocation asked for by input (a checkpoint's config, a
/// `train`/`sample` call, a WAV's length, a piano roll) fits the machine.
///
/// Sizes are computed with overflow-checked arithmetic (`Size`: a product or sum that overflows is
/// "more than Int.max bytes", never a wrapped small number) and compared with the limit: the machine's
/// physical memory, or `MIDIGEN_MEMORY_LIMIT` (bytes, with an optional K/M/G suffix) when set. The
/// error says how much is needed, for what, and what the limit is.
public enum MemoryBudget {
  /// A byte count that may have overflowed (`nil` = more than `Int.max`).
  public struct Size: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int?
    public init(_ bytes: Int?) { self.bytes = bytes }
    public static let zero = Size(0)

    /// `a · b · …` elements of `elementSize` bytes, checked.
    public static func of(_ factors: [Int], elementSize: Int = 1) -> Size {
      var n: Int? = elementSize
      for f in factors {
        guard let m = n, f >= 0 else { return Size(nil) }
        let (p, o) = m.multipliedReportingOverflow(by: f)
        n = o ? nil : p
      }
      return Size(n)
    }

    public static func + (a: Size, b: Size) -> Size {
      guard let x = a.bytes, let y = b.bytes else { return Size(nil) }
      let (s, o) = x.addingReportingOverflow(y)
      return Size(o ? nil : s)
    }

    public static func * (a: Size, k: Int) -> Size {
      guard let x = a.bytes, k >= 0 else { return Size(nil) }
      let (p, o) = x.multipliedReportingOverflow(by: k)
      return Size(o ? nil : p)
    }

    public var description: String { bytes.map(MemoryBudget.format) ?? "more than 9 EB" }
  }

  /// An allocation that does not fit: what it is for, how much it needs, the limit.
  public struct Exceeded: Error, Sendable, CustomStringConvertible, Equatable {
    public var what: String
    public var needed: Size
    public var limit: Int
    public var description: String {
      "\(what) needs \(needed) of memory, more than this machine's \(MemoryBudget.format(limit))"
        + (MemoryBudget.fromEnvironment ? " (MIDIGEN_MEMORY_LIMIT)" : "")
    }
  }

  /// Tests set this to check the refusals without a machine-sized allocation.
  nonisolated(unsafe) public static var limitOverride: Int? = nil

  /// The limit in bytes: `limitOverride`, else `MIDIGEN_MEMORY_LIMIT`, else physical memory.
  public static var limit: Int {
    if let l = limitOverride { return l }
    if let l = environmentLimit { return l }
    let p = ProcessInfo.processInfo.physicalMemory
    return p > UInt64(Int.max) ? Int.max : Int(p)
  }

  static var fromEnvironment: Bool { limitOverride == nil && environmentLimit != nil }

  static var environmentLimit: Int? {
    guard let s = ProcessInfo.processInfo.environment["MIDIGEN_MEMORY_LIMIT"] else { return nil }
    return parse(s)
  }

  /// "2G", "512M", "1048576" -> bytes (nil if not a positive size).
  static func parse(_ s: String) -> Int? {
    let t = s.trimmingCharacters(in: .whitespaces).uppercased()
    let scale: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var digits = Substring(t), k = 1
    if let last = t.last, let m = scale[last] { digits = t.dropLast(); k = m }
    guard let n = Int(digits), n > 0 else { return nil }
    return Size.of([n, k]).bytes
  }

  /// Throws `Exceeded` when `size` is more than the limit.
  public static func check(_ size: Size, for what: @autoclosure () -> String) throws(Exceeded) {
    let l = limit
    guard let b = size.bytes, b <= l else { throw Exceeded(what: what(), needed: size, limit: l) }
  }

  /// "1.5 GB", "103 GB", "512 bytes" (powers of 1000, as the issue's figures).
  public static func format(_ bytes: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var x = Double(bytes), u = 0
    while x >= 1000 && u < units.count - 1 { x /= 1000; u += 1 }
    if u == 0 { return "\(bytes) bytes" }
    return (x < 10 ? String(format: "%.1f", x) : String(format: "%.0f", x)) + " " + units[u]
  }

  // MARK: - The model's own sizes

  /// Number of parameters of a GRUNet with `config` (nil on overflow).
  public static func parameterCount(_ c: GRUConfig) -> Int? {
    let V = c.vocabSize, H = c.hidden, L = c.layers
    guard V >= 0, H >= 0, L >= 0 else { return nil }
    // emb + cls: 2·V·H; off.weight, off.bias, norm, extract (2 each): 6·H; fc_offset: H;
    // per layer: 2·3H·H + 2·3H.
    let perLayer = Size.of([6, H, H]) + Size.of([6, H])
    return (Size.of([2, V, H]) + Size.of([7, H]) + perLayer * L).bytes
  }

  /// Bytes of a model's parameters, plus gradients and two Adam moments when `training`.
  public static func model(_ c: GRUConfig, training: Bool) -> Size {
    Size.of([parameterCount(c) ?? -1, 4, training ? 4 : 1])
  }

  /// Throws unless a model with `config` (and, with `training`, its gradients and Adam moments) fits.
  public static func checkModel(_ c: GRUConfig, training: Bool) throws(Exceeded) {
    try check(model(c, training: training),
              for: "a model of \(c.layers) layers × \(c.hidden) hidden, vocabulary \(c.vocabSize)"
                + (training ? " (with gradients and Adam moments)" : ""))
  }

  /// Bytes of a training (or evaluation) workspace for `B` windows of `T` steps (see `Workspace`):
  /// per row of `N = T·B`, about `(4 + 5L)·H` floats forward (plus up to `(L + 1)·H` for the dropouts between layers,
  /// on the input and on the heads' features), `6H` more
  /// for backward, `V` logits and a few scalars; plus each layer's packed `W_hh`.
  public static func workspace(_ c: GRUConfig, T: Int, B: Int, training: Bool) -> Size {
    let H = c.hidden, L = c.layers, V = c.vocabSize
    let forward = Size.of([4, H]) + Size.of([5, L, H]) + Size.of([V]) + Size(8)
    let extra = training ? Size.of([max(L - 1, 0) + 2, H]) + Size.of([6, H]) + Size(1) : .zero
    let perRow = (forward + extra) * 4 + Size(3 * 8 + 1)
    let packed = Size.of([L, 3, H, H, 4]) + (training ? Size.of([L + 1, 3, H, H, 4]) : .zero)  // + weight drop
    return Size.of([T, B]) * (perRow.bytes ?? -1) + packed
  }

  /// Throws unless training a model with `c` on batches of `B` windows of `T` events fits: the model with
  /// its gradients and Adam moments, and the workspace.
  public static func checkTraining(_ c: GRUConfig, T: Int, B: Int) throws(Exceeded) {
    try check(workspace(c, T: T, B: B, training: true) + model(c, training: true),
              for: "training with batch \(B) × seq \(T) on \(c.layers) layers × \(c.hidden) hidden")
  }

  /// Bytes of sampling `count` melodies of `length` events: the output (ids and offsets), the step state
  /// (hidden states and logits per melody) and the result sequences.
  public static func sampling(_ c: GRUConfig, length: Int, count: Int) -> Size {
    let output = Size.of([count, length, 4 + 4 + 8 + 4])
    let state = Size.of([count, c.layers + 4, c.hidden, 4]) + Size.of([count, c.vocabSize, 4 * 3])
    return output + state
  }

  public static func checkSampling(_ c: GRUConfig, length: Int, count: Int) throws(Exceeded) {
    try check(sampling(c, length: length, count: count),
              for: "sampling \(count) melod\(count == 1 ? "y" : "ies") of \(length) events")
  }
}
