/// The entries of a zip archive as `torch.save` (since PyTorch 1.6) writes it: every entry stored
/// (method 0, no compression), sizes in the central directory (zip64 extra fields when large).
///
/// Reads the end-of-central-directory record (zip64 too), the central directory, and each entry's
/// local header; every offset and size is checked against the file before use, so a crafted archive
/// gives an error naming the byte offset, never a crash or an allocation it did not pay for.
struct ZipReader {
  struct Entry {
    var name: String
    /// Range of the entry's (stored) bytes in the archive.
    var data: Range<Int>
    var method: Int
  }

  static let maxEntries = 1_000_000

  let entries: [Entry]

  init(_ b: UnsafeRawBufferPointer) throws {
    func fail(_ at: Int, _ m: String) -> PickleError { PickleError(offset: at, message: m) }
    let size = b.count
    func u16(_ o: Int) throws -> Int {
      guard o >= 0, o <= size - 2 else { throw fail(o, "zip: truncated (needs 2 bytes)") }
      return Int(b[o]) | Int(b[o + 1]) << 8
    }
    func u32(_ o: Int) throws -> Int {
      guard o >= 0, o <= size - 4 else { throw fail(o, "zip: truncated (needs 4 bytes)") }
      return (0..<4).reduce(0) { $0 | Int(b[o + $1]) << (8 * $1) }
    }
    func u64(_ o: Int) throws -> Int {
      guard o >= 0, o <= size - 8 else { throw fail(o, "zip: truncated (needs 8 bytes)") }
      let v = (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) }
      guard v <= UInt64(Int.max) else { throw fail(o, "zip: value \(v) out of range") }
      return Int(v)
    }
    // End of central directory: the last "PK\5\6" within the final 64 KiB + 22 bytes.
    guard size >= 22 else { throw fail(0, "zip: truncated (\(size) bytes)") }
    var eocd = -1
    var o = size - 22
    while o >= max(0, size - 22 - 65_535) {
      if b[o] == 0x50 && b[o + 1] == 0x4B && b[o + 2] == 5 && b[o + 3] == 6 { eocd = o; break }
      o -= 1
    }
    guard eocd >= 0 else { throw fail(size, "zip: no end-of-central-directory record (truncated file?)") }
    var count = try u16(eocd + 10)
    var cdSize = try u32(eocd + 12)
    var cdStart = try u32(eocd + 16)
    if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdStart == 0xFFFF_FFFF {
      // Zip64 locator just before the EOCD, pointing at the zip64 EOCD record.
      let loc = eocd - 20
      guard loc >= 0, try u32(loc) == 0x0706_4B50 else { throw fail(eocd, "zip: zip64 locator missing") }
      let z = try u64(loc + 8)
      guard try u32(z) == 0x0606_4B50 else { throw fail(z, "zip: bad zip64 end-of-central-directory record") }
      count = try u64(z + 32)
      cdSize = try u64(z + 40)
      cdStart = try u64(z + 48)
    }
    guard count <= Self.maxEntries, cdStart <= size, cdSize <= size - cdStart else {
      throw fail(eocd, "zip: central directory (\(count) entries, \(cdSize) bytes at \(cdStart)) "
        + "lies outside the file of \(size) bytes")
    }
    // Each central record is at least 46 bytes: the count cannot exceed what the directory holds.
    guard count <= cdSize / 46 + 1 else { throw fail(eocd, "zip: \(count) entries cannot fit the central directory") }
    var out: [Entry] = []
    out.reserveCapacity(count)
    var p = cdStart
    for _ in 0..<count {
      guard try u32(p) == 0x0201_4B50 else { throw fail(p, "zip: bad central directory record") }
      let method = try u16(p + 10)
      var csize = try u32(p + 20)
      var usize = try u32(p + 24)
      let nameLen = try u16(p + 28), extraLen = try u16(p + 30), commentLen = try u16(p + 32)
      var local = try u32(p + 42)
      let nameStart = p + 46
      guard nameStart + nameLen + extraLen + commentLen <= size else { throw fail(p, "zip: truncated record") }
      let name = String(decoding: UnsafeRawBufferPointer(rebasing: b[nameStart..<(nameStart + nameLen)]),
                        as: UTF8.self)
      // Zip64 extra field (id 1): the 0xFFFFFFFF fields in order usize, csize, local offset.
      var e = nameStart + nameLen
      let extraEnd = e + extraLen
      while e + 4 <= extraEnd {
        let id = try u16(e), len = try u16(e + 2)
        guard e + 4 + len <= extraEnd else { throw fail(e, "zip: extra field overruns its record") }
        if id == 1 {
          var f = e + 4
          if usize == 0xFFFF_FFFF, f + 8 <= e + 4 + len { usize = try u64(f); f += 8 }
          if csize == 0xFFFF_FFFF, f + 8 <= e + 4 + len { csize = try u64(f); f += 8 }
          if local == 0xFFFF_FFFF, f + 8 <= e + 4 + len { local = try u64(f); f += 8 }
        }
        e += 4 + len
      }
      guard try u32(local) == 0x0403_4B50 else { throw fail(local, "zip: bad local header for '\(name)'") }
      let dataStart = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
      guard dataStart <= size, csize <= size - dataStart else {
        throw fail(local, "zip: entry '\(name)' (\(csize) bytes) runs past the end of the file")
      }
      if method == 0 && csize != usize {
        throw fail(p, "zip: stored entry '\(name)' has sizes \(csize) and \(usize)")
      }
      out.append(Entry(name: name, data: dataStart..<(dataStart + csize), method: method))
      p = nameStart + nameLen + extraLen + commentLen
    }
    entries = out
  }

  /// The entry whose name is `suffix` or ends with `/suffix`.
  func entry(endingWith suffix: String) -> Entry? {
    entries.first { $0.name == suffix || $0.name.hasSuffix("/" + suffix) }
  }
}
