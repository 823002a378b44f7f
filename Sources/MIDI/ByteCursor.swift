/// A read position in a byte array bounded by `end`, whose failures are `MIDIError`s carrying the
/// file name and the absolute byte offset. Every read advances or throws.
struct ByteCursor {
  let bytes: [UInt8]
  let file: String
  var pos: Int
  /// One past the last byte this cursor may read.
  var end: Int
  /// Set when a read failed because the data ended (as opposed to bad content).
  var ranOut = false

  init(_ bytes: [UInt8], file: String, pos: Int = 0, end: Int? = nil) {
    self.bytes = bytes
    self.file = file
    self.pos = pos
    self.end = min(end ?? bytes.count, bytes.count)
  }

  var remaining: Int { end - pos }
  var atEnd: Bool { pos >= end }

  func error(_ message: String, at offset: Int? = nil) -> MIDIError {
    MIDIError(file: file, offset: offset ?? pos, message: message)
  }

  /// An error for data that ends too early; marks the cursor `ranOut`.
  mutating func outOfData(_ message: String, at offset: Int? = nil) -> MIDIError {
    ranOut = true
    return error(message, at: offset)
  }

  @inline(__always)
  mutating func u8(_ what: @autoclosure () -> String) throws(MIDIError) -> UInt8 {
    guard pos < end else { throw outOfData("unexpected end of data reading \(what())") }
    let b = bytes[pos]
    pos += 1
    return b
  }

  /// Big-endian unsigned integer of `n` bytes (n <= 4).
  mutating func be(_ n: Int, _ what: @autoclosure () -> String) throws(MIDIError) -> Int {
    guard remaining >= n else { throw outOfData("unexpected end of data reading \(what()) (\(n) bytes)") }
    var v = 0
    for i in 0..<n { v = v << 8 | Int(bytes[pos + i]) }
    pos += n
    return v
  }

  /// Little-endian 32-bit unsigned integer (RIFF).
  mutating func le32(_ what: @autoclosure () -> String) throws(MIDIError) -> Int {
    guard remaining >= 4 else { throw outOfData("unexpected end of data reading \(what()) (4 bytes)") }
    let v = Int(bytes[pos]) | Int(bytes[pos + 1]) << 8 | Int(bytes[pos + 2]) << 16 | Int(bytes[pos + 3]) << 24
    pos += 4
    return v
  }

  /// A variable-length quantity of at most 4 bytes.
  @inline(__always)
  mutating func vlq(_ what: @autoclosure () -> String) throws(MIDIError) -> Int {
    let start = pos
    var v = 0
    for _ in 0..<4 {
      guard pos < end else { throw outOfData("unexpected end of data in \(what())", at: start) }
      let b = bytes[pos]
      pos += 1
      v = v << 7 | Int(b & 0x7F)
      if b < 0x80 { return v }
    }
    throw error("\(what()) is a variable-length quantity longer than 4 bytes", at: start)
  }

  /// The next `n` bytes as a slice of the underlying array.
  mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws(MIDIError) -> ArraySlice<UInt8> {
    guard n >= 0, remaining >= n else {
      throw outOfData("\(what()) needs \(n) bytes but only \(remaining) remain")
    }
    let s = bytes[pos..<(pos + n)]
    pos += n
    return s
  }

  /// Four bytes as an ASCII tag, or nil if they are not printable ASCII.
  func tag(at p: Int) -> String? {
    guard p + 4 <= end else { return nil }
    var s = ""
    for i in p..<(p + 4) {
      let b = bytes[i]
      guard b >= 0x20 && b < 0x7F else { return nil }
      s.append(Character(Unicode.Scalar(b)))
    }
    return s
  }
}
