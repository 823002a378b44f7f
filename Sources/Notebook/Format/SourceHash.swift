/// The short source hash recorded in output headers: FNV-1a (64-bit) of the UTF-8 bytes, as 8 hex digits
/// (the high 32 bits folded into the low). Stable across runs, machines and Swift versions.
public enum SourceHash {
  public static func short(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    let folded = UInt32(truncatingIfNeeded: h ^ (h >> 32))
    let hex = String(folded, radix: 16)
    return String(repeating: "0", count: 8 - hex.count) + hex
  }
}
