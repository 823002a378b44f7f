/// One event of a track: a channel message, a system-exclusive message or a meta event.
///
/// Channels are 0-based (0...15; "channel 10" of the MIDI spec, drums, is 9). Data values are
/// 7-bit (0...127) except `pitchBend`, which is 14-bit (0...16383, centre 8192).
public enum MIDIEvent: Sendable, Equatable {
  case noteOff(channel: UInt8, note: UInt8, velocity: UInt8)
  /// A note-on with velocity 0 is a note-off by convention; it is kept as written.
  case noteOn(channel: UInt8, note: UInt8, velocity: UInt8)
  case polyPressure(channel: UInt8, note: UInt8, pressure: UInt8)
  case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
  case programChange(channel: UInt8, program: UInt8)
  case channelPressure(channel: UInt8, pressure: UInt8)
  case pitchBend(channel: UInt8, value: UInt16)
  /// `F0` message; `data` is what follows the length (normally ending in `F7`).
  case sysex([UInt8])
  /// `F7` escape: arbitrary bytes sent as they are.
  case sysexEscape([UInt8])
  case meta(MetaEvent)

  /// The channel of a channel message, nil for sysex and meta events.
  public var channel: UInt8? {
    switch self {
    case .noteOff(let c, _, _), .noteOn(let c, _, _), .polyPressure(let c, _, _),
      .controlChange(let c, _, _), .programChange(let c, _), .channelPressure(let c, _),
      .pitchBend(let c, _):
      return c
    case .sysex, .sysexEscape, .meta:
      return nil
    }
  }
}

// MARK: - Channel messages: decode and encode side by side

extension MIDIEvent {
  /// Number of data bytes that follow a channel status byte (`0x80...0xEF`).
  @inline(__always)
  static func dataLength(status: UInt8) -> Int {
    switch status >> 4 {
    case 0xC, 0xD: return 1
    default: return 2
    }
  }

  /// Decodes a channel message from its status and data bytes (`d2` unused for 1-byte kinds).
  /// Status `8n kk vv` note-off, `9n kk vv` note-on, `An kk pp` poly pressure,
  /// `Bn cc vv` control change, `Cn pp` program change, `Dn pp` channel pressure,
  /// `En ll mm` pitch bend (value = mm << 7 | ll).
  @inline(__always)
  static func channelMessage(status: UInt8, _ d1: UInt8, _ d2: UInt8) -> MIDIEvent {
    let ch = status & 0x0F
    switch status >> 4 {
    case 0x8: return .noteOff(channel: ch, note: d1, velocity: d2)
    case 0x9: return .noteOn(channel: ch, note: d1, velocity: d2)
    case 0xA: return .polyPressure(channel: ch, note: d1, pressure: d2)
    case 0xB: return .controlChange(channel: ch, controller: d1, value: d2)
    case 0xC: return .programChange(channel: ch, program: d1)
    case 0xD: return .channelPressure(channel: ch, pressure: d1)
    default: return .pitchBend(channel: ch, value: UInt16(d2) << 7 | UInt16(d1))
    }
  }

  /// Encodes the event's bytes (status byte included, no delta time, no running status).
  /// Values are masked to their bit width so the output is always a valid file.
  public func encoded() -> [UInt8] {
    switch self {
    case .noteOff(let c, let k, let v): return [0x80 | c & 0x0F, k & 0x7F, v & 0x7F]
    case .noteOn(let c, let k, let v): return [0x90 | c & 0x0F, k & 0x7F, v & 0x7F]
    case .polyPressure(let c, let k, let p): return [0xA0 | c & 0x0F, k & 0x7F, p & 0x7F]
    case .controlChange(let c, let n, let v): return [0xB0 | c & 0x0F, n & 0x7F, v & 0x7F]
    case .programChange(let c, let p): return [0xC0 | c & 0x0F, p & 0x7F]
    case .channelPressure(let c, let p): return [0xD0 | c & 0x0F, p & 0x7F]
    case .pitchBend(let c, let v): return [0xE0 | c & 0x0F, UInt8(v & 0x7F), UInt8(v >> 7 & 0x7F)]
    case .sysex(let data): return [0xF0] + VLQ.encode(data.count) + data
    case .sysexEscape(let data): return [0xF7] + VLQ.encode(data.count) + data
    case .meta(let m): return m.encoded()
    }
  }
}
