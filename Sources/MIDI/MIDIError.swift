/// A malformed MIDI file: which file, where (byte offset from the start of the file) and what.
///
/// Printed as `file: byte 0x1A2 (418): message`.
public struct MIDIError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file name (or path) given to the reader.
  public var file: String
  /// Byte offset from the start of the file where the problem was found.
  public var offset: Int
  public var message: String

  public init(file: String, offset: Int, message: String) {
    self.file = file
    self.offset = offset
    self.message = message
  }

  public var description: String {
    "\(file): byte 0x\(String(offset, radix: 16, uppercase: true)) (\(offset)): \(message)"
  }
}

/// A recoverable quirk found while reading: the file was read anyway.
public struct MIDIWarning: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable, Equatable {
    /// Bytes before `MThd` (e.g. a MacBinary header) were skipped.
    case leadingData
    /// A chunk whose type is not `MThd`/`MTrk` was skipped by its length.
    case unknownChunk
    /// A track ended (chunk end) without an end-of-track meta event.
    case missingEndOfTrack
    /// The last chunk's length runs past the end of the file; what is there was read.
    case chunkOverrunsFile
    /// Bytes after the last chunk that do not form a chunk were ignored.
    case trailingData
    /// Events after the end-of-track meta event were ignored.
    case eventsAfterEndOfTrack
    /// The header's track count does not match the number of `MTrk` chunks found.
    case trackCountMismatch
    /// A data byte directly after a meta or sysex event used the previous running status.
    case runningStatusAfterMetaOrSysex
    /// The file is wrapped in a RIFF `RMID` container.
    case riffWrapper
  }

  public var kind: Kind
  /// Byte offset from the start of the file.
  public var offset: Int
  public var message: String

  public init(kind: Kind, offset: Int, message: String) {
    self.kind = kind
    self.offset = offset
    self.message = message
  }

  public var description: String {
    "byte 0x\(String(offset, radix: 16, uppercase: true)) (\(offset)): warning: \(message)"
  }
}

extension MIDIError {
  /// The description without the file name: `byte 0x1A2 (418): message`.
  public var locatedMessage: String {
    "byte 0x\(String(offset, radix: 16, uppercase: true)) (\(offset)): \(message)"
  }
}
