/// A meta event (`FF type length data`). Known kinds are decoded; any other is kept as `unknown`.
public enum MetaEvent: Sendable, Equatable {
  /// `FF 00 02 ssss`.
  case sequenceNumber(Int)
  /// `FF 01...0F len text`: text, copyright, lyric, marker, cue, ... (not the track name).
  case text(type: UInt8, String)
  /// `FF 03 len text`.
  case trackName(String)
  /// `FF 20 01 cc`.
  case channelPrefix(UInt8)
  /// `FF 2F 00`.
  case endOfTrack
  /// `FF 51 03 tttttt`: microseconds per quarter note.
  case tempo(microsecondsPerQuarter: Int)
  /// `FF 54 05 hr mn se fr ff`.
  case smpteOffset([UInt8])
  /// `FF 58 04 nn dd cc bb`: numerator, denominator as a power of two, MIDI clocks per click,
  /// 32nds per quarter.
  case timeSignature(
    numerator: UInt8, denominatorPower: UInt8, clocksPerClick: UInt8, thirtySecondsPerQuarter: UInt8)
  /// `FF 59 02 sf mi`: sharps (negative = flats), minor flag.
  case keySignature(sharps: Int8, minor: Bool)
  /// Any other type, or a known type whose length does not match its definition.
  case unknown(type: UInt8, data: [UInt8])

  /// Decodes a meta event from its type and data bytes. Never fails: a known type with the wrong
  /// data length is kept as `.unknown` so the reader can skip it by its length.
  static func decode(type: UInt8, data: ArraySlice<UInt8>) -> MetaEvent {
    let d = data
    let b = d.startIndex
    switch type {
    case 0x00 where d.count == 2:
      return .sequenceNumber(Int(d[b]) << 8 | Int(d[b + 1]))
    case 0x03:
      return .trackName(Self.text(d))
    case 0x01...0x0F:
      return .text(type: type, Self.text(d))
    case 0x20 where d.count == 1:
      return .channelPrefix(d[b])
    case 0x2F where d.isEmpty:
      return .endOfTrack
    case 0x51 where d.count == 3:
      return .tempo(microsecondsPerQuarter: Int(d[b]) << 16 | Int(d[b + 1]) << 8 | Int(d[b + 2]))
    case 0x54 where d.count == 5:
      return .smpteOffset(Array(d))
    case 0x58 where d.count == 4:
      return .timeSignature(
        numerator: d[b], denominatorPower: d[b + 1], clocksPerClick: d[b + 2],
        thirtySecondsPerQuarter: d[b + 3])
    case 0x59 where d.count == 2:
      return .keySignature(sharps: Int8(bitPattern: d[b]), minor: d[b + 1] != 0)
    default:
      return .unknown(type: type, data: Array(d))
    }
  }

  /// Text bytes as a string: UTF-8 when valid, otherwise Latin-1 (common in old files).
  static func text(_ bytes: ArraySlice<UInt8>) -> String {
    if let s = String(validating: bytes, as: UTF8.self) { return s }
    return String(bytes.map { Character(Unicode.Scalar($0)) })
  }

  /// The meta type byte.
  public var type: UInt8 {
    switch self {
    case .sequenceNumber: return 0x00
    case .text(let t, _): return t
    case .trackName: return 0x03
    case .channelPrefix: return 0x20
    case .endOfTrack: return 0x2F
    case .tempo: return 0x51
    case .smpteOffset: return 0x54
    case .timeSignature: return 0x58
    case .keySignature: return 0x59
    case .unknown(let t, _): return t
    }
  }

  /// The data bytes (after the length).
  public var data: [UInt8] {
    switch self {
    case .sequenceNumber(let n): return [UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
    case .text(_, let s), .trackName(let s): return Array(s.utf8)
    case .channelPrefix(let c): return [c]
    case .endOfTrack: return []
    case .tempo(let us): return [UInt8(us >> 16 & 0xFF), UInt8(us >> 8 & 0xFF), UInt8(us & 0xFF)]
    case .smpteOffset(let b): return b
    case .timeSignature(let n, let d, let c, let b): return [n, d, c, b]
    case .keySignature(let sf, let mi): return [UInt8(bitPattern: sf), mi ? 1 : 0]
    case .unknown(_, let data): return data
    }
  }

  /// `FF type length data`.
  public func encoded() -> [UInt8] {
    let d = data
    return [0xFF, type] + VLQ.encode(d.count) + d
  }
}
