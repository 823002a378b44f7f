import Foundation

/// Minimal safetensors container: `u64 LE header length`, JSON header, raw little-endian data.
///
/// The header maps tensor names to `{"dtype","shape","data_offsets":[begin,end]}` (offsets relative
/// to the data section) plus an optional `"__metadata__"` object of string values.
enum SafeTensors {
  struct Entry: Equatable {
    var name: String
    var dtype: String
    var shape: [Int]
    var begin: Int
    var end: Int
  }

  struct Header {
    var metadata: [String: String]
    var entries: [Entry]
    /// Byte offset of the data section in the file.
    var dataStart: Int
  }

  /// Encodes a header (metadata keys sorted, tensors in the given order) padded with spaces to a
  /// multiple of 8 bytes.
  static func headerBytes(metadata: [String: String], entries: [Entry]) -> [UInt8] {
    var s = "{\"__metadata__\":{"
    s += metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",")
    s += "}"
    for e in entries {
      let shape = e.shape.map(String.init).joined(separator: ",")
      s += ",\(jsonString(e.name)):{\"dtype\":\(jsonString(e.dtype)),\"shape\":[\(shape)],"
      s += "\"data_offsets\":[\(e.begin),\(e.end)]}"
    }
    s += "}"
    var bytes = Array(s.utf8)
    while bytes.count % 8 != 0 { bytes.append(0x20) }
    return bytes
  }

  /// JSON string literal with the required escapes.
  static func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          out += String(format: "\\u%04x", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  /// Parses and validates the container structure of `bytes` (not the model-specific names).
  /// `fail(reason)` builds the error to throw.
  static func parseHeader(_ bytes: UnsafeRawBufferPointer, fail: (String) -> Error) throws -> Header {
    let size = bytes.count
    guard size >= 8 else { throw fail("truncated: \(size) bytes, too short for a safetensors header") }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard n <= UInt64(size - 8) else {
      throw fail("truncated: header length \(n) but only \(size - 8) bytes follow")
    }
    let headerLen = Int(n)
    let json = Data(bytes[8..<(8 + headerLen)])
    let obj: Any
    do {
      obj = try JSONSerialization.jsonObject(with: json)
    } catch {
      throw fail("bad header JSON at byte \(8 + jsonErrorIndex(error))")
    }
    guard let dict = obj as? [String: Any] else { throw fail("bad header JSON at byte 8: not an object") }
    var metadata: [String: String] = [:]
    var entries: [Entry] = []
    for (key, value) in dict {
      if key == "__metadata__" {
        guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
        for (k, v) in m {
          guard let s = v as? String else { throw fail("__metadata__ value '\(k)' is not a string") }
          metadata[k] = s
        }
        continue
      }
      guard let t = value as? [String: Any], let dtype = t["dtype"] as? String,
        let shapeAny = t["shape"] as? [Any], let offAny = t["data_offsets"] as? [Any], offAny.count == 2
      else { throw fail("tensor '\(key)': entry needs dtype, shape and data_offsets") }
      let shape = shapeAny.compactMap { ($0 as? NSNumber).flatMap(exactInt) }
      let offs = offAny.compactMap { ($0 as? NSNumber).flatMap(exactInt) }
      guard shape.count == shapeAny.count, shape.allSatisfy({ $0 >= 0 }) else {
        throw fail("tensor '\(key)': shape is not a list of non-negative integers")
      }
      guard offs.count == 2, offs[0] >= 0, offs[1] >= offs[0] else {
        throw fail("tensor '\(key)': bad data_offsets")
      }
      entries.append(Entry(name: key, dtype: dtype, shape: shape, begin: offs[0], end: offs[1]))
    }
    let dataStart = 8 + headerLen
    for e in entries where e.end > size - dataStart {
      throw fail("truncated: tensor '\(e.name)' needs data bytes \(e.begin)..<\(e.end) "
        + "but the data section has \(size - dataStart) bytes")
    }
    entries.sort { $0.begin < $1.begin || ($0.begin == $1.begin && $0.name < $1.name) }
    return Header(metadata: metadata, entries: entries, dataStart: dataStart)
  }

  private static func exactInt(_ n: NSNumber) -> Int? {
    let d = n.doubleValue
    guard d.rounded() == d, abs(d) < 9e15 else { return nil }
    return Int(d)
  }

  /// Character index from a Foundation JSON error ("... around character 11."), else 0.
  static func jsonErrorIndex(_ error: Error) -> Int {
    let ns = error as NSError
    if let i = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int { return i }
    let text = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
    guard let r = text.range(of: "character ") else { return 0 }
    let digits = text[r.upperBound...].prefix { $0.isNumber }
    return Int(digits) ?? 0
  }
}
