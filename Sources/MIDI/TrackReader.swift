/// Reads the events of one `MTrk` chunk: delta times, running status, channel messages, sysex
/// and meta events. Stops at end-of-track (later events are ignored with a warning).
struct TrackReader {
  var c: ByteCursor
  /// True when the chunk was cut short by the end of the file: then an event cut by the end is
  /// the end of the track (a partial result), not an error.
  let clipped: Bool

  init(bytes: [UInt8], file: String, start: Int, end: Int, clipped: Bool) {
    c = ByteCursor(bytes, file: file, pos: start, end: end)
    self.clipped = clipped
  }

  mutating func read(warnings: inout [MIDIWarning]) throws(MIDIError) -> MIDITrack {
    var events: [MIDITrackEvent] = []
    events.reserveCapacity(c.remaining / 3)
    var tick = 0
    var running: UInt8 = 0
    var afterMetaOrSysex = false
    var warnedRunning = false
    var sawEnd = false
    while !c.atEnd {
      let eventStart = c.pos
      do throws(MIDIError) {
        tick += try c.vlq("delta time")
        var status = try c.u8("status byte")
        if status < 0x80 {
          guard running != 0 else {
            throw c.error("data byte 0x\(hex(status)) with no running status", at: c.pos - 1)
          }
          if afterMetaOrSysex && !warnedRunning {
            warnedRunning = true
            warnings.append(
              MIDIWarning(
                kind: .runningStatusAfterMetaOrSysex, offset: c.pos - 1,
                message: "running status used after a meta or sysex event"))
          }
          c.pos -= 1
          status = running
        }
        afterMetaOrSysex = false
        switch status {
        case 0x80...0xEF:
          running = status
          let d1 = try dataByte(status)
          let d2 = MIDIEvent.dataLength(status: status) == 2 ? try dataByte(status) : 0
          events.append(MIDITrackEvent(tick: tick, .channelMessage(status: status, d1, d2)))
        case 0xFF:
          let type = try c.u8("meta type")
          let length = try c.vlq("meta length")
          let data = try c.take(length, "meta event 0x\(hex(type))")
          let meta = MetaEvent.decode(type: type, data: data)
          events.append(MIDITrackEvent(tick: tick, .meta(meta)))
          afterMetaOrSysex = true
          if meta == .endOfTrack { sawEnd = true }
        case 0xF0, 0xF7:
          let length = try c.vlq("sysex length")
          let data = Array(try c.take(length, "sysex event"))
          events.append(MIDITrackEvent(tick: tick, status == 0xF0 ? .sysex(data) : .sysexEscape(data)))
          afterMetaOrSysex = true
        default:
          throw c.error("unexpected status byte 0x\(hex(status)) in a track", at: c.pos - 1)
        }
      } catch {
        // An event cut by the end of a clipped chunk: keep what was read (the warning about the
        // overrunning chunk is already recorded).
        guard c.ranOut else { throw error }
        if clipped { return MIDITrack(events: events) }
        throw MIDIError(file: error.file, offset: eventStart, message: "truncated event: \(error.message)")
      }
      if sawEnd { break }
    }
    if sawEnd {
      if !c.atEnd {
        warnings.append(
          MIDIWarning(
            kind: .eventsAfterEndOfTrack, offset: c.pos,
            message: "ignored \(c.remaining) bytes after the end-of-track event"))
      }
    } else if !clipped {
      warnings.append(
        MIDIWarning(kind: .missingEndOfTrack, offset: c.end, message: "track has no end-of-track event"))
    }
    return MIDITrack(events: events)
  }

  @inline(__always)
  mutating func dataByte(_ status: UInt8) throws(MIDIError) -> UInt8 {
    let b = try c.u8("data byte of status 0x\(hex(status))")
    guard b < 0x80 else {
      throw c.error("expected a data byte after status 0x\(hex(status)), found 0x\(hex(b))", at: c.pos - 1)
    }
    return b
  }
}

@inline(__always)
func hex(_ b: UInt8) -> String {
  let s = String(b, radix: 16, uppercase: true)
  return b < 16 ? "0" + s : s
}
