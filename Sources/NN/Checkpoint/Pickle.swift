/// A pickle reader that executes nothing: it interprets the opcodes of Python's pickle protocols 0-5
/// that `torch.save` emits for a `state_dict` or a checkpoint dict, and resolves only the globals in
/// `PickleReader.allowed`. Any other global (`posix.system`, `builtins.eval`, a model class) is refused
/// by name before anything could be called; `REDUCE`/`NEWOBJ`/`BUILD` apply only to allowlisted globals
/// and build plain values.
///
/// Mutable containers (lists, dicts) are reference types, so later `APPENDS`/`SETITEMS` on a memoized
/// container are seen everywhere it is referenced, as in Python.
final class PickleList { var items: [PickleValue] = [] }

/// A dict in insertion order (OrderedDict and dict alike). Keys are compared by their `key` string.
final class PickleDict {
  var keys: [PickleValue] = []
  var values: [PickleValue] = []
  var index: [String: Int] = [:]

  func set(_ k: PickleValue, _ v: PickleValue) {
    let s = k.keyString
    if let i = index[s] { values[i] = v; return }
    index[s] = keys.count
    keys.append(k); values.append(v)
  }

  subscript(_ name: String) -> PickleValue? {
    index["s:" + name].map { values[$0] }
  }

  var count: Int { keys.count }
}

/// A tensor as `torch._utils._rebuild_tensor_v2` describes it: a view of a storage.
struct PickleTensor {
  var storage: PickleStorage
  var offset: Int
  var shape: [Int]
  var stride: [Int]
}

/// A storage named by a persistent id: `('storage', torch.FloatStorage, key, location, numel)`.
struct PickleStorage {
  var dtype: TorchDType
  var key: String
  var count: Int
}

/// Element types of the storages a checkpoint may hold.
enum TorchDType: String, CaseIterable {
  case float32 = "FloatStorage", float16 = "HalfStorage", bfloat16 = "BFloat16Storage"
  case float64 = "DoubleStorage", int64 = "LongStorage", int32 = "IntStorage", int16 = "ShortStorage"
  case int8 = "CharStorage", uint8 = "ByteStorage", bool = "BoolStorage"

  var size: Int {
    switch self {
    case .float64, .int64: return 8
    case .float32, .int32: return 4
    case .float16, .bfloat16, .int16: return 2
    case .int8, .uint8, .bool: return 1
    }
  }

  var isFloat: Bool { [.float32, .float16, .bfloat16, .float64].contains(self) }
}

indirect enum PickleValue {
  case none
  case bool(Bool)
  case int(Int)
  /// An integer beyond Int64 (little-endian two's complement bytes), e.g. torch's magic number.
  case bigInt([UInt8])
  case float(Double)
  case string(String)
  case bytes([UInt8])
  case tuple([PickleValue])
  case list(PickleList)
  case dict(PickleDict)
  /// An allowlisted global (`module.name`), not yet called.
  case global(String)
  case storage(PickleStorage)
  case tensor(PickleTensor)

  /// Identity for dict keys: type tag plus value.
  var keyString: String {
    switch self {
    case .string(let s): return "s:" + s
    case .int(let i): return "i:\(i)"
    case .bool(let b): return "b:\(b)"
    case .none: return "n"
    case .float(let d): return "f:\(d)"
    case .tuple(let t): return "t:(" + t.map(\.keyString).joined(separator: ",") + ")"
    default: return "o:\(kind)"
    }
  }

  var kind: String {
    switch self {
    case .none: return "None"
    case .bool: return "bool"
    case .int, .bigInt: return "int"
    case .float: return "float"
    case .string: return "str"
    case .bytes: return "bytes"
    case .tuple: return "tuple"
    case .list: return "list"
    case .dict: return "dict"
    case .global(let g): return g
    case .storage: return "storage"
    case .tensor: return "tensor"
    }
  }
}

struct PickleError: Error, CustomStringConvertible {
  var offset: Int
  var message: String
  var description: String { "pickle byte \(offset): \(message)" }
}

/// Reads one pickle from `bytes[start...]`; `end` is the offset after its STOP opcode.
struct PickleReader {
  /// The globals a state_dict or checkpoint dict needs. Everything else is refused by name.
  static let allowed: Set<String> = Set(
    ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
     "torch._utils._rebuild_parameter_with_state", "builtins.set"]
      + TorchDType.allCases.map { "torch." + $0.rawValue })

  static let maxDepth = 10_000
  static let maxMemo = 1_000_000
  static let maxItems = 50_000_000

  let bytes: UnsafeRawBufferPointer
  var pos: Int
  /// Resolves a persistent id (BINPERSID) to a value, or throws.
  var persistentLoad: (PickleValue) throws -> PickleValue

  init(_ bytes: UnsafeRawBufferPointer, at start: Int = 0,
       persistentLoad: @escaping (PickleValue) throws -> PickleValue = { id in
         throw PickleError(offset: 0, message: "unexpected persistent id \(id.kind)")
       }) {
    self.bytes = bytes
    self.pos = start
    self.persistentLoad = persistentLoad
  }

  private func fail(_ at: Int, _ m: String) -> PickleError { PickleError(offset: at, message: m) }

  private mutating func byte() throws -> UInt8 {
    guard pos < bytes.count else { throw fail(pos, "truncated (no STOP opcode)") }
    defer { pos += 1 }
    return bytes[pos]
  }

  private mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
    guard n >= 0, n <= bytes.count - pos else {
      throw fail(pos, "truncated: needs \(n) bytes, \(bytes.count - pos) left")
    }
    defer { pos += n }
    return UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + n)])
  }

  private mutating func uint(_ n: Int) throws -> UInt64 {
    let b = try take(n)
    var v: UInt64 = 0
    for i in 0..<n { v |= UInt64(b[i]) << (8 * UInt64(i)) }
    return v
  }

  private mutating func length(_ n: Int) throws -> Int {
    let v = try uint(n)
    guard v <= UInt64(bytes.count - pos) else {
      throw fail(pos, "truncated: length \(v) but \(bytes.count - pos) bytes left")
    }
    return Int(v)
  }

  private mutating func line() throws -> String {
    var out: [UInt8] = []
    while true {
      let b = try byte()
      if b == 0x0A { break }
      out.append(b)
      if out.count > 4096 { throw fail(pos, "text line longer than 4096 bytes") }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private func utf8(_ b: UnsafeRawBufferPointer, at: Int) throws -> String {
    guard let s = String(validating: b, as: UTF8.self) else { throw fail(at, "string is not valid UTF-8") }
    return s
  }

  private static func long(_ b: UnsafeRawBufferPointer) -> PickleValue {
    if b.isEmpty { return .int(0) }
    if b.count <= 8 {
      var v: UInt64 = 0
      for i in 0..<b.count { v |= UInt64(b[i]) << (8 * UInt64(i)) }
      if b.count < 8 && b[b.count - 1] & 0x80 != 0 { v |= ~0 << (8 * UInt64(b.count)) }
      return .int(Int(Int64(bitPattern: v)))
    }
    return .bigInt(Array(b))
  }

  /// Runs the pickle to its STOP opcode and returns the value on top of the stack.
  mutating func read() throws -> PickleValue {
    var stack: [PickleValue] = []
    var marks: [Int] = []
    var memo: [Int: PickleValue] = [:]
    var items = 0

    func pop(_ at: Int) throws -> PickleValue {
      guard let v = stack.popLast() else { throw fail(at, "stack underflow") }
      if let m = marks.last, stack.count < m { throw fail(at, "stack underflow past a MARK") }
      return v
    }
    func popMark(_ at: Int) throws -> [PickleValue] {
      guard let m = marks.popLast() else { throw fail(at, "no MARK") }
      guard m <= stack.count else { throw fail(at, "stack underflow") }
      let out = Array(stack[m...])
      stack.removeSubrange(m...)
      return out
    }
    func push(_ v: PickleValue, _ at: Int) throws {
      guard stack.count < Self.maxDepth * 100 else { throw fail(at, "stack too deep") }
      stack.append(v)
    }
    func memoPut(_ i: Int, _ at: Int) throws {
      guard let top = stack.last else { throw fail(at, "memo put on an empty stack") }
      guard i >= 0, i < Self.maxMemo else { throw fail(at, "memo index \(i) out of range") }
      memo[i] = top
    }
    func memoGet(_ i: Int, _ at: Int) throws {
      guard let v = memo[i] else { throw fail(at, "memo index \(i) was never stored") }
      try push(v, at)
    }
    func global(_ module: String, _ name: String, _ at: Int) throws {
      let full = module + "." + name
      guard Self.allowed.contains(full) else {
        throw fail(at, "refused global '\(full)': only tensors and plain values are read; nothing is executed")
      }
      try push(.global(full), at)
    }
    func count(_ n: Int, _ at: Int) throws {
      items += n
      guard items <= Self.maxItems else { throw fail(at, "more than \(Self.maxItems) items") }
    }

    while true {
      let at = pos
      let op = try byte()
      switch op {
      case 0x80:  // PROTO
        let v = try byte()
        guard v <= 5 else { throw fail(at, "unsupported pickle protocol \(v)") }
      case 0x95:  // FRAME (a length hint)
        _ = try uint(8)
      case 0x2E:  // STOP
        guard let v = stack.last else { throw fail(at, "STOP on an empty stack") }
        return v
      case 0x28: marks.append(stack.count)  // MARK
      case 0x30: _ = try pop(at)  // POP
      case 0x31: _ = try popMark(at)  // POP_MARK
      case 0x32:  // DUP
        guard let v = stack.last else { throw fail(at, "DUP on an empty stack") }
        try push(v, at)
      case 0x4E: try push(.none, at)  // NONE
      case 0x88: try push(.bool(true), at)  // NEWTRUE
      case 0x89: try push(.bool(false), at)  // NEWFALSE
      case 0x4B: try push(.int(Int(try uint(1))), at)  // BININT1
      case 0x4D: try push(.int(Int(try uint(2))), at)  // BININT2
      case 0x4A: try push(.int(Int(Int32(bitPattern: UInt32(try uint(4))))), at)  // BININT
      case 0x8A: let n = try length(1); try push(Self.long(try take(n)), at)  // LONG1
      case 0x8B: let n = try length(4); try push(Self.long(try take(n)), at)  // LONG4
      case 0x49:  // INT (text)
        let s = try line()
        if s == "01" { try push(.bool(true), at) } else if s == "00" { try push(.bool(false), at) } else {
          guard let i = Int(s) else { throw fail(at, "bad INT '\(s.prefix(40))'") }
          try push(.int(i), at)
        }
      case 0x4C:  // LONG (text)
        var s = try line()
        if s.hasSuffix("L") { s.removeLast() }
        guard let i = Int(s) else { throw fail(at, "bad LONG '\(s.prefix(40))'") }
        try push(.int(i), at)
      case 0x47:  // BINFLOAT (big-endian)
        let b = try take(8)
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(b[i]) }
        try push(.float(Double(bitPattern: v)), at)
      case 0x46:  // FLOAT (text)
        let s = try line()
        guard let d = Double(s) else { throw fail(at, "bad FLOAT '\(s.prefix(40))'") }
        try push(.float(d), at)
      case 0x58: let n = try length(4); try push(.string(try utf8(try take(n), at: at)), at)  // BINUNICODE
      case 0x8C: let n = try length(1); try push(.string(try utf8(try take(n), at: at)), at)  // SHORT_BINUNICODE
      case 0x8D: let n = try length(8); try push(.string(try utf8(try take(n), at: at)), at)  // BINUNICODE8
      case 0x54: let n = try length(4); try push(.string(String(decoding: try take(n), as: UTF8.self)), at)  // BINSTRING
      case 0x55: let n = try length(1); try push(.string(String(decoding: try take(n), as: UTF8.self)), at)  // SHORT_BINSTRING
      case 0x42: let n = try length(4); try push(.bytes(Array(try take(n))), at)  // BINBYTES
      case 0x43: let n = try length(1); try push(.bytes(Array(try take(n))), at)  // SHORT_BINBYTES
      case 0x8E: let n = try length(8); try push(.bytes(Array(try take(n))), at)  // BINBYTES8
      case 0x56:  // UNICODE (text, raw-unicode-escape; plain ASCII accepted)
        try push(.string(try line()), at)
      case 0x29: try push(.tuple([]), at)  // EMPTY_TUPLE
      case 0x85: try push(.tuple([try pop(at)]), at)  // TUPLE1
      case 0x86: let b = try pop(at); let a = try pop(at); try push(.tuple([a, b]), at)  // TUPLE2
      case 0x87:  // TUPLE3
        let c = try pop(at); let b = try pop(at); let a = try pop(at)
        try push(.tuple([a, b, c]), at)
      case 0x74: try push(.tuple(try popMark(at)), at)  // TUPLE
      case 0x5D: try push(.list(PickleList()), at)  // EMPTY_LIST
      case 0x6C: let l = PickleList(); l.items = try popMark(at); try push(.list(l), at)  // LIST
      case 0x7D: try push(.dict(PickleDict()), at)  // EMPTY_DICT
      case 0x64:  // DICT
        let kv = try popMark(at)
        guard kv.count % 2 == 0 else { throw fail(at, "DICT with an odd number of items") }
        let d = PickleDict()
        for i in stride(from: 0, to: kv.count, by: 2) { d.set(kv[i], kv[i + 1]) }
        try push(.dict(d), at)
      case 0x61:  // APPEND
        let v = try pop(at)
        guard case .list(let l)? = stack.last else { throw fail(at, "APPEND to a non-list") }
        try count(1, at)
        l.items.append(v)
      case 0x65:  // APPENDS
        let vs = try popMark(at)
        guard case .list(let l)? = stack.last else { throw fail(at, "APPENDS to a non-list") }
        try count(vs.count, at)
        l.items += vs
      case 0x73:  // SETITEM
        let v = try pop(at); let k = try pop(at)
        guard case .dict(let d)? = stack.last else { throw fail(at, "SETITEM on a non-dict") }
        try count(1, at)
        d.set(k, v)
      case 0x75:  // SETITEMS
        let kv = try popMark(at)
        guard kv.count % 2 == 0 else { throw fail(at, "SETITEMS with an odd number of items") }
        guard case .dict(let d)? = stack.last else { throw fail(at, "SETITEMS on a non-dict") }
        try count(kv.count / 2, at)
        for i in stride(from: 0, to: kv.count, by: 2) { d.set(kv[i], kv[i + 1]) }
      case 0x8F: try push(.list(PickleList()), at)  // EMPTY_SET (as a list)
      case 0x90:  // ADDITEMS
        let vs = try popMark(at)
        guard case .list(let l)? = stack.last else { throw fail(at, "ADDITEMS to a non-set") }
        try count(vs.count, at)
        l.items += vs
      case 0x91: let l = PickleList(); l.items = try popMark(at); try push(.list(l), at)  // FROZENSET
      case 0x71: try memoPut(Int(try uint(1)), at)  // BINPUT
      case 0x72: try memoPut(Int(try uint(4)), at)  // LONG_BINPUT
      case 0x94: try memoPut(memo.count, at)  // MEMOIZE
      case 0x70:  // PUT (text)
        let s = try line()
        guard let i = Int(s) else { throw fail(at, "bad PUT index") }
        try memoPut(i, at)
      case 0x68: try memoGet(Int(try uint(1)), at)  // BINGET
      case 0x6A: try memoGet(Int(try uint(4)), at)  // LONG_BINGET
      case 0x67:  // GET (text)
        let s = try line()
        guard let i = Int(s) else { throw fail(at, "bad GET index") }
        try memoGet(i, at)
      case 0x63:  // GLOBAL "module\nname\n"
        let module = try line(), name = try line()
        try global(module, name, at)
      case 0x93:  // STACK_GLOBAL
        let n = try pop(at), m = try pop(at)
        guard case .string(let name) = n, case .string(let module) = m else {
          throw fail(at, "STACK_GLOBAL needs two strings")
        }
        try global(module, name, at)
      case 0x51:  // BINPERSID
        let id = try pop(at)
        do { try push(try persistentLoad(id), at) } catch let e as PickleError {
          throw fail(at, e.message)
        }
      case 0x52:  // REDUCE
        let args = try pop(at), callable = try pop(at)
        try push(try call(callable, args, at), at)
      case 0x81:  // NEWOBJ
        let args = try pop(at), cls = try pop(at)
        try push(try call(cls, args, at), at)
      case 0x62:  // BUILD: state for an allowlisted object; a dict's attributes (`_metadata`) are dropped
        _ = try pop(at)
        guard let top = stack.last else { throw fail(at, "BUILD on an empty stack") }
        switch top {
        case .dict, .tensor: break
        default: throw fail(at, "BUILD on \(top.kind) is not supported")
        }
      default:
        throw fail(at, String(format: "unsupported pickle opcode 0x%02x", op))
      }
    }
  }

  /// Applies an allowlisted global to its arguments, building a plain value.
  private func call(_ callable: PickleValue, _ args: PickleValue, _ at: Int) throws -> PickleValue {
    guard case .global(let name) = callable else {
      throw fail(at, "call of a \(callable.kind), not an allowlisted global")
    }
    guard case .tuple(let a) = args else { throw fail(at, "\(name): arguments are not a tuple") }
    switch name {
    case "collections.OrderedDict":
      let d = PickleDict()
      if let first = a.first {
        guard case .list(let l) = first else { throw fail(at, "OrderedDict(...) of a \(first.kind)") }
        for item in l.items {
          guard case .tuple(let kv) = item, kv.count == 2 else { throw fail(at, "OrderedDict item is not a pair") }
          d.set(kv[0], kv[1])
        }
      }
      return .dict(d)
    case "builtins.set":
      let l = PickleList()
      if case .list(let src)? = a.first { l.items = src.items }
      return .list(l)
    case "torch._utils._rebuild_tensor_v2":
      guard a.count >= 4, case .storage(let s) = a[0], case .int(let offset) = a[1],
        case .tuple(let size) = a[2], case .tuple(let stride) = a[3]
      else { throw fail(at, "_rebuild_tensor_v2: expected (storage, offset, size, stride, ...)") }
      let shape = try ints(size, at), strides = try ints(stride, at)
      guard shape.count == strides.count, offset >= 0 else {
        throw fail(at, "_rebuild_tensor_v2: size and stride differ in length")
      }
      guard shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 40 }), strides.allSatisfy({ $0 >= 0 && $0 <= 1 << 40 }) else {
        throw fail(at, "_rebuild_tensor_v2: size or stride out of range")
      }
      // The last element reached must lie inside the storage.
      guard shape.count <= 64 else { throw fail(at, "_rebuild_tensor_v2: \(shape.count) dimensions") }
      if !shape.contains(0) {
        var last = offset  // each term <= 2^80 would overflow: sum in Double, exact enough to compare
        var far = Double(offset)
        for (n, st) in zip(shape, strides) { far += Double(n - 1) * Double(st) }
        guard far < Double(s.count) else {
          throw fail(at, "tensor of shape \(shape) at offset \(offset) overruns its storage of \(s.count) elements")
        }
        for (n, st) in zip(shape, strides) { last += (n - 1) * st }
        guard last < s.count else {
          throw fail(at, "tensor of shape \(shape) at offset \(offset) overruns its storage of \(s.count) elements")
        }
      }
      return .tensor(PickleTensor(storage: s, offset: offset, shape: shape, stride: strides))
    case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
      guard let t = a.first, case .tensor = t else { throw fail(at, "\(name): expected a tensor") }
      return t
    default:
      throw fail(at, "'\(name)' cannot be called")
    }
  }

  private func ints(_ v: [PickleValue], _ at: Int) throws -> [Int] {
    try v.map {
      guard case .int(let i) = $0 else { throw fail(at, "expected an integer, got \($0.kind)") }
      return i
    }
  }
}
