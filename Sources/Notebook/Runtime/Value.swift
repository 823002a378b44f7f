/// A value of the midigen language.
public enum Value {
  /// The result of statements run for their effect (`print`, `save`, `seed`); never shown.
  case nothing
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list([Value])
  /// `lower ..< upper` (a closed range `a...b` is stored as `a ..< b+1`).
  case range(Int, Int)
  /// A built-in function, by name (so `help(train)` works).
  case function(String)
  /// A dataset, model, melody, vocabulary, chart or record.
  case object(any NotebookObject)

  /// The type name used in messages: "integer", "dataset", ...
  public var typeName: String {
    switch self {
    case .nothing: return "nothing"
    case .bool: return "bool"
    case .int: return "integer"
    case .float: return "number"
    case .string: return "string"
    case .list: return "list"
    case .range: return "range"
    case .function: return "function"
    case .object(let o): return o.typeName
    }
  }

  /// How an expression statement shows the value (strings quoted, as a literal).
  public var display: String {
    switch self {
    case .string(let s): return Value.quote(s)
    case .object(let o): return o.display
    default: return printed
    }
  }

  /// How `print` shows the value (strings raw).
  public var printed: String {
    switch self {
    case .nothing: return "none"
    case .bool(let b): return b ? "true" : "false"
    case .int(let n): return String(n)
    case .float(let x): return Value.format(x)
    case .string(let s): return s
    case .list(let items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
    case .range(let lo, let hi): return "\(lo)..<\(hi)"
    case .function(let name): return "<built-in \(name)>"
    case .object(let o): return o.display
    }
  }

  /// Shortest round-trip text of a number ("0.1", "2.0", "1e-05"), locale-independent.
  public static func format(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    return x.description
  }

  /// A string as a literal, with the language's escapes.
  public static func quote(_ s: String) -> String {
    var r = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": r += "\\\""
      case "\\": r += "\\\\"
      case "\n": r += "\\n"
      case "\t": r += "\\t"
      case "\r": r += "\\r"
      case "\0": r += "\\0"
      default:
        if u.value < 0x20 || u.value == 0x7f {
          r += "\\u{" + String(u.value, radix: 16) + "}"
        } else {
          r.unicodeScalars.append(u)
        }
      }
    }
    return r + "\""
  }
}

/// A value with members, shown by `display`: datasets, models, melodies, charts, records.
/// Objects are immutable once made (operations return new objects), so sharing them is safe — except
/// models, which `train(model, ...)` continues training in place, as the original's training loop does.
public protocol NotebookObject: AnyObject {
  /// "dataset", "model", "melody", "vocabulary", "chart", or a record's kind.
  var typeName: String { get }
  /// The deterministic printed form (may span lines).
  var display: String { get }
  /// Member names, for `help`, completion and "did you mean".
  var memberNames: [String] { get }
  /// The member `name`, or nil when there is none. Throws when the member cannot be computed.
  func member(_ name: String) throws -> Value?
}

/// Objects that support `x[i]`, `x[a..<b]` and `x.count`.
public protocol IndexableObject: NotebookObject {
  var count: Int { get }
  /// Element `i` (0 <= i < count; the caller checks). Throws when the element cannot be made.
  func element(at i: Int) throws -> Value
  /// Elements `lower..<upper` (within bounds; the caller checks).
  func slice(_ lower: Int, _ upper: Int) throws -> Value
}

/// A named bag of fields, e.g. an evaluation or a training history; shown as `kind: a 1, b 2`.
public final class Record: NotebookObject {
  public let typeName: String
  public let fields: [(name: String, value: Value)]
  let customDisplay: String?

  public init(_ typeName: String, _ fields: [(String, Value)], display: String? = nil) {
    self.typeName = typeName
    self.fields = fields.map { (name: $0.0, value: $0.1) }
    self.customDisplay = display
  }

  public var display: String {
    if let customDisplay { return customDisplay }
    return typeName + "(" + fields.map { "\($0.name): \($0.value.display)" }.joined(separator: ", ") + ")"
  }
  public var memberNames: [String] { fields.map(\.name) }
  public func member(_ name: String) -> Value? { fields.first(where: { $0.name == name })?.value }
}

/// "a string", "an integer": type names with their article, for messages.
func withArticle(_ noun: String) -> String {
  (noun.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + noun
}

extension Value {
  public var aTypeName: String { withArticle(typeName) }
}

extension NotebookObject {
  public var aTypeName: String { withArticle(typeName) }
}
