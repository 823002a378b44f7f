import Files
import Foundation

/// RIFF/WAVE encoding of mono 16-bit PCM audio.
///
/// Layout written by `encode` (all integers little-endian), 44 header bytes then the samples:
/// ```
///  0 "RIFF"            4 riff size = 36 + data size   8 "WAVE"
/// 12 "fmt "           16 fmt size = 16              20 format = 1 (PCM)   22 channels = 1
/// 24 sample rate      28 byte rate = rate * 2       32 block align = 2    34 bits per sample = 16
/// 36 "data"           40 data size = 2 * samples    44 samples (Int16)
/// ```
public enum WAV {
  /// Size of the header `encode` writes.
  public static let headerSize = 44

  /// Encodes samples in [-1, 1] (values outside are clamped, NaN becomes 0) as a 16-bit PCM mono WAV file.
  public static func encode(_ samples: [Float], sampleRate: Int = 44100) -> [UInt8] {
    let dataSize = samples.count * 2
    var out = [UInt8]()
    out.reserveCapacity(headerSize + dataSize)
    func u32(_ v: Int) { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    func u16(_ v: Int) { for i in 0..<2 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    out += Array("RIFF".utf8)
    u32(36 + dataSize)
    out += Array("WAVE".utf8)
    out += Array("fmt ".utf8)
    u32(16)
    u16(1)
    u16(1)
    u32(sampleRate)
    u32(sampleRate * 2)
    u16(2)
    u16(16)
    out += Array("data".utf8)
    u32(dataSize)
    out += [UInt8](repeating: 0, count: dataSize)
    out.withUnsafeMutableBufferPointer { b in
      var o = headerSize
      for s in samples {
        let clamped = s.isNaN ? 0 : min(max(s, -1), 1)
        let v = UInt16(bitPattern: Int16((clamped * 32767).rounded()))
        b[o] = UInt8(truncatingIfNeeded: v)
        b[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
        o += 2
      }
    }
    return out
  }

  /// Encodes `samples` and writes them to `path` atomically (a temporary file in the same folder,
  /// then `rename`), so readers never see a half-written file.
  public static func write(_ samples: [Float], sampleRate: Int, to path: String) throws {
    try AtomicFile.write(encode(samples, sampleRate: sampleRate), to: path)
  }

  /// The fields of a 16-bit PCM mono WAV header and its samples (as written by `encode`).
  public struct Decoded: Equatable, Sendable {
    public var sampleRate: Int
    public var channels: Int
    public var bitsPerSample: Int
    /// Samples scaled back to [-1, 1].
    public var samples: [Float]
  }

  /// Reads back a file produced by `encode` (canonical 44-byte header, PCM, 16-bit).
  /// Throws `WAVError` naming the byte offset of the first field that does not match.
  public static func decode(_ bytes: [UInt8]) throws -> Decoded {
    func u32(_ o: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[o + $1]) << (8 * $1) } }
    func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
    func tag(_ o: Int) -> String { String(decoding: bytes[o..<o + 4], as: UTF8.self) }
    guard bytes.count >= headerSize else {
      throw WAVError(offset: bytes.count, message: "file shorter than a \(headerSize)-byte WAV header")
    }
    if tag(0) != "RIFF" { throw WAVError(offset: 0, message: "expected 'RIFF'") }
    if tag(8) != "WAVE" { throw WAVError(offset: 8, message: "expected 'WAVE'") }
    if tag(12) != "fmt " { throw WAVError(offset: 12, message: "expected 'fmt '") }
    if u16(20) != 1 { throw WAVError(offset: 20, message: "not PCM (format \(u16(20)))") }
    if u16(34) != 16 { throw WAVError(offset: 34, message: "not 16-bit (\(u16(34)) bits)") }
    if tag(36) != "data" { throw WAVError(offset: 36, message: "expected 'data'") }
    let dataSize = u32(40)
    guard dataSize <= bytes.count - headerSize else {
      throw WAVError(offset: 40, message: "data size \(dataSize) exceeds the file")
    }
    var samples = [Float]()
    samples.reserveCapacity(dataSize / 2)
    var o = headerSize
    while o + 1 < headerSize + dataSize {
      samples.append(Float(Int16(truncatingIfNeeded: u16(o))) / 32767)
      o += 2
    }
    return Decoded(sampleRate: u32(24), channels: u16(22), bitsPerSample: u16(34), samples: samples)
  }
}

/// A WAV file that cannot be decoded: byte offset of the offending field and what was wrong.
public struct WAVError: Error, CustomStringConvertible, Equatable {
  public var offset: Int
  public var message: String
  public var description: String { "byte \(offset): \(message)" }
}
