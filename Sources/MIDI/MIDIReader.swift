/// Reads Standard MIDI Files (formats 0, 1, 2), plain or wrapped in a RIFF `RMID` container.
///
/// Tolerated quirks (reported in `MIDIFile.warnings`): up to 1 KB of data before `MThd` (e.g. a
/// MacBinary header), unknown chunk types (skipped by length),
/// a missing end-of-track, a last chunk whose length overruns the file (what is there is read; an
/// event cut by the end of the file ends the track), junk after the last chunk, a track count
/// that does not match the header, running status right after a meta/sysex event.
/// Errors (`MIDIError`, with the byte offset): not a MIDI file, a header that is too short, an
/// SMPTE time division, a zero division, a bad chunk type before all tracks were read, a
/// truncated event inside a chunk of honest length, a data byte with no running status.
public enum MIDIReader {
  /// Reads a file from disk; the error names `path`.
  public static func read(path: String) throws -> MIDIFile {
    try parse(try FileBytes.read(path), name: path)
  }

  /// Parses `bytes`; `name` is used in errors.
  public static func read(_ bytes: [UInt8], name: String) throws -> MIDIFile {
    try parse(bytes, name: name)
  }

  static func parse(_ bytes: [UInt8], name: String) throws(MIDIError) -> MIDIFile {
    var warnings: [MIDIWarning] = []
    var c = ByteCursor(bytes, file: name)
    if bytes.count >= 4 && c.tag(at: 0) == "RIFF" {
      c = try unwrapRIFF(bytes, name: name, warnings: &warnings)
    }
    // Some files carry a wrapper header (e.g. MacBinary, 128 bytes): look for MThd a little way in.
    if c.tag(at: c.pos) != "MThd", let at = findHeader(bytes, from: c.pos, within: 1024, end: c.end) {
      warnings.append(
        MIDIWarning(kind: .leadingData, offset: c.pos, message: "skipped \(at - c.pos) bytes before 'MThd'"))
      c.pos = at
    }
    // MThd: "MThd" length(4) format(2) ntrks(2) division(2)
    let headerStart = c.pos
    guard c.remaining >= 4, c.tag(at: c.pos) == "MThd" else {
      throw c.error("not a MIDI file: expected 'MThd' at the start")
    }
    c.pos += 4
    let headerLength = try c.be(4, "header length")
    guard headerLength >= 6 else {
      throw c.error("header length \(headerLength) is less than 6", at: c.pos - 4)
    }
    guard c.remaining >= headerLength else {
      throw c.error(
        "header chunk needs \(headerLength) bytes but only \(c.remaining) remain", at: headerStart)
    }
    let format = try c.be(2, "format")
    let declaredTracks = try c.be(2, "track count")
    let divisionOffset = c.pos
    let division = try c.be(2, "division")
    c.pos += headerLength - 6  // longer headers: extra bytes are skipped
    guard format <= 2 else {
      throw c.error("unknown format \(format) (expected 0, 1 or 2)", at: headerStart + 8)
    }
    if division & 0x8000 != 0 {
      let fps = 256 - (division >> 8)
      throw c.error(
        "SMPTE time division (\(fps) frames/s, \(division & 0xFF) ticks/frame) is not supported",
        at: divisionOffset)
    }
    guard division > 0 else { throw c.error("division is 0 ticks per quarter", at: divisionOffset) }

    var tracks: [MIDITrack] = []
    tracks.reserveCapacity(declaredTracks)
    while !c.atEnd {
      let chunkStart = c.pos
      guard c.remaining >= 8, let tag = c.tag(at: c.pos) else {
        if tracks.count >= declaredTracks || c.remaining < 8 {
          warnings.append(
            MIDIWarning(
              kind: .trailingData, offset: chunkStart,
              message: "ignored \(c.remaining) bytes after the last chunk"))
          break
        }
        throw c.error("expected a chunk type, found bytes that are not ASCII")
      }
      c.pos += 4
      let length = try c.be(4, "chunk length")
      let dataStart = c.pos
      var dataEnd = dataStart + length
      var clipped = false
      if dataEnd > c.end && tag != "MTrk" && tracks.count >= declaredTracks {
        // Text or garbage after the last track that happens to start with four ASCII bytes.
        warnings.append(
          MIDIWarning(
            kind: .trailingData, offset: chunkStart,
            message: "ignored \(c.end - chunkStart) bytes after the last chunk"))
        break
      }
      if dataEnd > c.end {
        warnings.append(
          MIDIWarning(
            kind: .chunkOverrunsFile, offset: chunkStart,
            message:
              "'\(tag)' chunk length \(length) runs past the end of the file; "
              + "reading the \(c.end - dataStart) bytes there"
          ))
        dataEnd = c.end
        clipped = true
      }
      if tag == "MTrk" {
        var tr = TrackReader(bytes: bytes, file: name, start: dataStart, end: dataEnd, clipped: clipped)
        tracks.append(try tr.read(warnings: &warnings))
      } else {
        warnings.append(
          MIDIWarning(kind: .unknownChunk, offset: chunkStart, message: "skipped unknown '\(tag)' chunk"))
      }
      c.pos = dataEnd
    }
    if tracks.count != declaredTracks {
      warnings.append(
        MIDIWarning(
          kind: .trackCountMismatch, offset: headerStart + 10,
          message: "header declares \(declaredTracks) tracks, found \(tracks.count)"))
    }
    return MIDIFile(format: format, division: division, tracks: tracks, warnings: warnings)
  }

  /// Offset of the first "MThd" in `from..<min(from + within, end)`, if any.
  static func findHeader(_ bytes: [UInt8], from: Int, within: Int, end: Int) -> Int? {
    let last = min(from + within, end) - 4
    guard last >= from else { return nil }
    for i in from...last
    where bytes[i] == 0x4D && bytes[i + 1] == 0x54 && bytes[i + 2] == 0x68 && bytes[i + 3] == 0x64 {
      return i
    }
    return nil
  }

  /// RIFF `RMID`: "RIFF" size(LE32) "RMID", then sub-chunks; the `data` sub-chunk holds the SMF.
  /// Returns a cursor over the SMF bytes (offsets stay absolute in the file).
  static func unwrapRIFF(_ bytes: [UInt8], name: String, warnings: inout [MIDIWarning]) throws(MIDIError)
    -> ByteCursor
  {
    var c = ByteCursor(bytes, file: name, pos: 4)
    _ = try c.le32("RIFF size")
    guard c.tag(at: c.pos) == "RMID" else { throw c.error("RIFF file is not of type 'RMID'") }
    c.pos += 4
    while c.remaining >= 8 {
      let at = c.pos
      let tag = c.tag(at: c.pos)
      c.pos += 4
      let size = try c.le32("RIFF chunk size")
      if tag == "data" {
        warnings.append(MIDIWarning(kind: .riffWrapper, offset: 0, message: "RIFF RMID wrapper"))
        return ByteCursor(bytes, file: name, pos: c.pos, end: min(c.end, c.pos + size))
      }
      guard size <= c.remaining else {
        throw c.error("RIFF chunk size \(size) runs past the end of the file", at: at)
      }
      c.pos += size + (size & 1)  // RIFF chunks are padded to even sizes
    }
    throw c.error("RIFF RMID file has no 'data' chunk")
  }
}
