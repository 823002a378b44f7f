import Foundation

/// A file written by `torch.save`: its unpickled root value and its storages' bytes.
///
/// Two formats:
/// - legacy (`_use_new_zipfile_serialization=False`, as the original's `.ch` files): five pickles
///   (magic number 0x1950a86a20f9469cfc6c, protocol version 1001, sys info, the object, the storage keys)
///   followed by each storage as a little-endian u64 element count and its raw bytes;
/// - zip (PyTorch >= 1.6): `PREFIX/data.pkl` plus one stored entry `PREFIX/data/KEY` per storage.
/// Storages are named in the object's pickle by persistent ids `('storage', torch.XStorage, key, location,
/// numel, ...)`.
struct TorchFile {
  var root: PickleValue
  /// Byte range of each storage's data in the file.
  var storageData: [String: Range<Int>]

  static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

  static func isZip(_ b: UnsafeRawBufferPointer) -> Bool {
    b.count >= 4 && b[0] == 0x50 && b[1] == 0x4B && b[2] == 3 && b[3] == 4
  }

  init(_ b: UnsafeRawBufferPointer) throws {
    if Self.isZip(b) { try self.init(zip: b) } else { try self.init(legacy: b) }
  }

  /// Parses a persistent id into a storage descriptor.
  static func storage(_ id: PickleValue) throws -> PickleStorage {
    guard case .tuple(let t) = id, t.count >= 5, case .string("storage") = t[0] else {
      throw PickleError(offset: 0, message: "persistent id is not a ('storage', ...) tuple")
    }
    guard case .global(let g) = t[1], g.hasPrefix("torch."),
      let dtype = TorchDType(rawValue: String(g.dropFirst(6)))
    else { throw PickleError(offset: 0, message: "storage type \(t[1].kind) is not a torch storage") }
    guard case .string(let key) = t[2] else { throw PickleError(offset: 0, message: "storage key is not a string") }
    guard case .int(let n) = t[4], n >= 0, n <= 1 << 40 else {
      throw PickleError(offset: 0, message: "storage '\(key)': bad element count")
    }
    return PickleStorage(dtype: dtype, key: key, count: n)
  }

  private init(legacy b: UnsafeRawBufferPointer) throws {
    func fail(_ at: Int, _ m: String) -> PickleError { PickleError(offset: at, message: m) }
    guard b.count >= 2, b[0] == 0x80 else {
      throw fail(0, "not a PyTorch file (neither a zip archive nor a pickle)")
    }
    var r = PickleReader(b)
    let magic = try r.read()
    guard case .bigInt(let m) = magic, m == Self.magic else {
      throw fail(0, "not a torch.save file: first pickle is not torch's magic number")
    }
    let versionAt = r.pos
    guard case .int(1001) = try r.read() else { throw fail(versionAt, "unsupported torch.save protocol version") }
    let infoAt = r.pos
    if case .dict(let info) = try r.read(), case .bool(false)? = info["little_endian"] {
      throw fail(infoAt, "big-endian checkpoints are not supported")
    }
    var described: [String: PickleStorage] = [:]
    r.persistentLoad = { id in
      let s = try TorchFile.storage(id)
      if let old = described[s.key], old.dtype != s.dtype {
        throw PickleError(offset: 0, message: "storage '\(s.key)' appears with two types")
      }
      described[s.key] = s
      return .storage(s)
    }
    root = try r.read()
    let keysAt = r.pos
    guard case .list(let keys) = try r.read() else { throw fail(keysAt, "storage key list is missing") }
    var data: [String: Range<Int>] = [:]
    var p = r.pos
    for k in keys.items {
      guard case .string(let key) = k else { throw fail(p, "storage key is not a string") }
      guard let s = described[key] else { throw fail(p, "storage '\(key)' is not used by the object") }
      guard p <= b.count - 8 else { throw fail(p, "truncated: storage '\(key)' is missing") }
      let n = (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[p + $1]) << (8 * UInt64($1)) }
      guard n == UInt64(s.count) else {
        throw fail(p, "storage '\(key)' holds \(n) elements, the object says \(s.count)")
      }
      p += 8
      let bytes = s.count * s.dtype.size
      guard bytes <= b.count - p else {
        throw fail(p, "truncated: storage '\(key)' needs \(bytes) bytes, \(b.count - p) left")
      }
      data[key] = p..<(p + bytes)
      p += bytes
    }
    for key in described.keys where data[key] == nil {
      throw fail(p, "storage '\(key)' has no data")
    }
    storageData = data
  }

  private init(zip b: UnsafeRawBufferPointer) throws {
    func fail(_ at: Int, _ m: String) -> PickleError { PickleError(offset: at, message: m) }
    let zip = try ZipReader(b)
    guard let pkl = zip.entry(endingWith: "data.pkl") else { throw fail(0, "zip has no data.pkl (not torch.save?)") }
    guard pkl.method == 0 else { throw fail(pkl.data.lowerBound, "data.pkl is compressed (method \(pkl.method))") }
    let prefix = String(pkl.name.dropLast("data.pkl".count))
    if let order = zip.entry(endingWith: "byteorder") {
      let text = String(decoding: UnsafeRawBufferPointer(rebasing: b[order.data]), as: UTF8.self)
      guard text == "little" else { throw fail(order.data.lowerBound, "byte order '\(text.prefix(20))' is not supported") }
    }
    var byName: [String: ZipReader.Entry] = [:]
    for e in zip.entries { byName[e.name] = e }
    var data: [String: Range<Int>] = [:]
    var r = PickleReader(UnsafeRawBufferPointer(rebasing: b[pkl.data]))
    r.persistentLoad = { id in
      let s = try TorchFile.storage(id)
      guard let e = byName[prefix + "data/" + s.key] else {
        throw PickleError(offset: 0, message: "storage '\(s.key)' has no entry \(prefix)data/\(s.key)")
      }
      guard e.method == 0 else { throw PickleError(offset: 0, message: "storage '\(s.key)' is compressed") }
      guard s.count * s.dtype.size <= e.data.count else {
        throw PickleError(offset: 0, message: "storage '\(s.key)' needs \(s.count * s.dtype.size) bytes, "
          + "its entry has \(e.data.count)")
      }
      data[s.key] = e.data.lowerBound..<(e.data.lowerBound + s.count * s.dtype.size)
      return .storage(s)
    }
    do { root = try r.read() } catch let e as PickleError {
      throw fail(pkl.data.lowerBound + e.offset, e.message)
    }
    storageData = data
  }

  /// A tensor's elements as Float, in row-major order of its shape (any strides; float16, bfloat16
  /// and float64 converted).
  func floats(_ t: PickleTensor, _ b: UnsafeRawBufferPointer) throws -> [Float] {
    guard t.storage.dtype.isFloat else {
      throw PickleError(offset: 0, message: "tensor of \(t.storage.dtype.rawValue) is not floating point")
    }
    guard let range = storageData[t.storage.key] else {
      throw PickleError(offset: 0, message: "storage '\(t.storage.key)' has no data")
    }
    let n = t.shape.reduce(1, *)
    let base = range.lowerBound, size = t.storage.dtype.size, dtype = t.storage.dtype
    func element(_ i: Int) -> Float {
      let o = base + i * size
      switch dtype {
      case .float32:
        let u = UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        return Float(bitPattern: u)
      case .float16:
        return Float(Float16(bitPattern: UInt16(b[o]) | UInt16(b[o + 1]) << 8))
      case .bfloat16:
        return Float(bitPattern: (UInt32(b[o]) | UInt32(b[o + 1]) << 8) << 16)
      default:
        let u = (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) }
        return Float(Double(bitPattern: u))
      }
    }
    var out = [Float](repeating: 0, count: n)
    guard n > 0 else { return out }
    // Walk the index odometer; the bounds were checked when the tensor was rebuilt.
    var idx = [Int](repeating: 0, count: t.shape.count)
    var at = t.offset
    for i in 0..<n {
      out[i] = element(at)
      var d = t.shape.count - 1
      while d >= 0 {
        idx[d] += 1
        at += t.stride[d]
        if idx[d] < t.shape[d] { break }
        at -= t.stride[d] * t.shape[d]
        idx[d] = 0
        d -= 1
      }
    }
    return out
  }
}
