import Testing

@testable import MIDI

@Suite struct VLQTests {
  /// Examples from the Standard MIDI File specification.
  static let table: [(Int, [UInt8])] = [
    (0x00, [0x00]), (0x40, [0x40]), (0x7F, [0x7F]), (0x80, [0x81, 0x00]), (0x2000, [0xC0, 0x00]),
    (0x3FFF, [0xFF, 0x7F]), (0x4000, [0x81, 0x80, 0x00]), (0x10_0000, [0xC0, 0x80, 0x00]),
    (0x1F_FFFF, [0xFF, 0xFF, 0x7F]), (0x20_0000, [0x81, 0x80, 0x80, 0x00]),
    (0x0FFF_FFFF, [0xFF, 0xFF, 0xFF, 0x7F]),
  ]

  @Test(arguments: table)
  func encodeAndDecode(value: Int, bytes: [UInt8]) throws {
    #expect(VLQ.encode(value) == bytes)
    var out: [UInt8] = []
    VLQ.append(value, to: &out)
    #expect(out == bytes)
    var c = ByteCursor(bytes, file: "v")
    #expect(try c.vlq("value") == value)
    #expect(c.atEnd)
  }

  @Test func fiveByteQuantityIsAnError() {
    var c = ByteCursor([0x81, 0x80, 0x80, 0x80, 0x00], file: "v")
    #expect(
      throws: MIDIError(
        file: "v", offset: 0, message: "delta is a variable-length quantity longer than 4 bytes")
    ) {
      try c.vlq("delta")
    }
  }

  @Test func truncatedQuantityIsAnError() {
    var c = ByteCursor([0x81, 0x80], file: "v")
    #expect(throws: MIDIError.self) { try c.vlq("delta") }
    #expect(c.ranOut)
  }
}
