/// Variable-length quantities of the MIDI file format: 7 bits per byte, most significant first,
/// high bit set on every byte but the last; at most 4 bytes (values up to 0x0FFFFFFF).
public enum VLQ {
  /// The largest value a 4-byte quantity can hold.
  public static let maxValue = 0x0FFF_FFFF

  /// Encodes `value` (clamped to 0...maxValue) in 1 to 4 bytes.
  public static func encode(_ value: Int) -> [UInt8] {
    var v = min(max(value, 0), maxValue)
    var out: [UInt8] = [UInt8(v & 0x7F)]
    v >>= 7
    while v > 0 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    return out.reversed()
  }

  /// Appends the encoding of `value` to `out` (no temporary array).
  public static func append(_ value: Int, to out: inout [UInt8]) {
    let v = min(max(value, 0), maxValue)
    if v >= 1 << 21 { out.append(UInt8(v >> 21 & 0x7F) | 0x80) }
    if v >= 1 << 14 { out.append(UInt8(v >> 14 & 0x7F) | 0x80) }
    if v >= 1 << 7 { out.append(UInt8(v >> 7 & 0x7F) | 0x80) }
    out.append(UInt8(v & 0x7F))
  }
}
