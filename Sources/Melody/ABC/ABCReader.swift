import Foundation
import MIDI

/// One tune of an ABC file, as notes on a MIDI time line (`division` ticks per quarter).
public struct ABCTune: Sendable, Equatable {
  /// The `X:` number.
  public var number: Int
  /// The first `T:` field (empty if none).
  public var title: String
  /// 1-based line of the `X:` field.
  public var line: Int
  /// Sorted by start tick, then pitch.
  public var notes: [MIDINote]
  /// Quarter notes per minute (`Q:`; 120 if none).
  public var tempo: Double

  /// Ticks per quarter: 960 holds 64ths, triplets and quintuplets of them exactly.
  public static let division = 960

  /// A one-track MIDI file of the notes (for `MelodyCodec.encode`, playback or `save`).
  public var midiFile: MIDIFile {
    MIDIWriter.pianoFile(notes: notes, tempo: tempo, division: ABCTune.division, format: 0)
  }
}

/// Reads ABC notation (abcnotation.com, standard 2.1) as the folk-tune collections use it: tunes
/// start at `X:` and end at an empty line; the header runs to `K:`. Understood: `K:` (modes,
/// explicit accidentals), `L:`, `M:`, `Q:`, `V:` (each voice its own time line), inline fields
/// `[K:...]`; notes with accidentals (measure-scoped), octave marks and lengths (`A3/2`, `A/`,
/// `A//`); rests `z x` and bar rests `Z4`; chords `[CEG]2`; ties; broken rhythm `> >> < <<`;
/// tuplets `(3`, `(p:q:r`; bars, repeats and endings (repeats are not expanded: every note is
/// played once, in file order). Skipped: grace notes `{...}`, chord symbols and annotations
/// `"..."`, decorations (`!trill!`, `.`, `~`, `H`...`W`, `u`, `v`), slurs, lyrics and other fields.
///
/// A tune that cannot be read becomes an `ABCError` at its line and column; the other tunes of
/// the file are still read. No input makes the reader trap: every loop advances, every number
/// read is bounded, and a tune stops with an error past `maxNotes` notes or `maxQuarters`.
public enum ABCReader {
  public static let maxNotes = 200_000
  /// Notes of all the tunes of one file together; the tunes after the one that passes it fail.
  public static let maxFileNotes = 2_000_000
  public static let maxQuarters = 1_000_000.0
  /// Files larger than this are refused before they are read.
  public static let maxFileBytes = 64 << 20

  /// Reads the file at `path`; I/O problems throw `MelodyError.io`.
  public static func read(path: String) throws -> [Result<ABCTune, ABCError>] {
    let size: Int
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    } catch {
      throw MelodyError.io(path: path, message: "cannot read: no such file or not readable")
    }
    guard size <= maxFileBytes else {
      throw MelodyError.io(path: path, message: "\(size) bytes: larger than the \(maxFileBytes >> 20) MB an ABC file may have")
    }
    do {
      return parse(try FileBytes.read(path))
    } catch {
      throw MelodyError.io(path: path, message: error.message)
    }
  }

  /// Every tune of the text, in order: each read, or the error that stopped it.
  public static func parse(_ bytes: [UInt8]) -> [Result<ABCTune, ABCError>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") {
      lines.append(bytes[start..<i])
      start = i + 1
    }
    if start < bytes.count { lines.append(bytes[start..<bytes.count]) }
    var out: [Result<ABCTune, ABCError>] = []
    var i = 0
    var total = 0
    while i < lines.count {
      guard isField(lines[i], "X") else { i += 1; continue }
      var end = i + 1
      while end < lines.count && !isBlank(lines[end]) && !isField(lines[end], "X") { end += 1 }
      var tune = ABCTuneParser(firstLine: i + 1)
      do {
        guard total <= maxFileNotes else {
          throw ABCError(line: i + 1, column: 1, message: "the file holds more than \(maxFileNotes) notes")
        }
        let t = try tune.parse(Array(lines[i..<end]))
        total += t.notes.count
        out.append(.success(t))
      } catch let e as ABCError {
        out.append(.failure(e))
      } catch {
        out.append(.failure(ABCError(line: i + 1, column: 1, message: "\(error)")))
      }
      i = end
    }
    return out
  }

  static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
    line.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
  }

  /// `L:` at the start of the line (letter `name`, or any field letter when nil).
  static func isField(_ line: ArraySlice<UInt8>, _ name: Character?) -> Bool {
    guard line.count >= 2 else { return false }
    let a = line[line.startIndex], b = line[line.startIndex + 1]
    guard b == UInt8(ascii: ":") else { return false }
    if let name { return a == name.asciiValue }
    return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || a == UInt8(ascii: "+")
  }
}
