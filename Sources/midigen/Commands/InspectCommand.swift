import Foundation
import MIDI
import Melody

/// `midigen inspect PATH... [--json] [--chords normal|pitches] [--quantize N] [--drums]`
///
/// Describes each MIDI file (paths may be files, directories or globs): format, tracks, division,
/// tempo, note and event counts, length in quarters, vocabulary size, first tokens, warnings, or
/// the error with its byte offset. `--json` prints one JSON object per file. Exit status 1 if any
/// file failed, 2 on bad arguments.
func inspectCommand(_ argv: [String]) -> Int32 {
  let args: Args
  let options: EncodingOptions
  let shown: Int
  do {
    args = try Args(argv, valued: ["chords", "quantize", "tokens"])
    try args.rejectUnknown(flags: ["json", "drums", "help"])
    if args.flag("help") || args.positional.isEmpty {
      let usage = """
        usage: midigen inspect PATH... [--json] [--chords normal|pitches] [--quantize N] [--drums] [--tokens N]
          PATH: a MIDI file, a directory (searched recursively) or a glob
        """
      if args.flag("help") {
        print(usage)
        return 0
      }
      printError(usage)
      return 2
    }
    options = try encodingOptions(args)
    shown = try args.int("tokens", default: 12, in: 0...1_000_000)
  } catch {
    printError("midigen inspect: \(error)")
    return 2
  }
  let json = args.flag("json")
  var failed = false
  var fileCount = 0
  var failedCount = 0
  for path in args.positional {
    let files: [String]
    do {
      files = try Dataset.files(matching: path)
      if files.isEmpty { throw MelodyError.noFiles(path) }
    } catch {
      failed = true
      if json {
        print("{\"file\":\(JSONText.quote(path)),\"error\":\(JSONText.quote("\(error)"))}")
      } else {
        printError("\(error)")
      }
      continue
    }
    for file in files {
      let report = FileReport(path: file, options: options, firstTokens: shown)
      fileCount += 1
      if report.error != nil {
        failed = true
        failedCount += 1
      }
      if json { print(report.json) } else { print(report.text, terminator: "") }
    }
  }
  if !json && fileCount > 1 {
    print("\(fileCount) files, \(failedCount) failed")
  }
  return failed ? 1 : 0
}

/// Encoding options from `--chords`, `--quantize`, `--drums` (shared by inspect and bench load).
func encodingOptions(_ args: Args) throws -> EncodingOptions {
  var o = EncodingOptions()
  if let c = args.value("chords") {
    guard let mode = ChordMode(rawValue: c) else {
      throw ArgsError("--chords expects 'normal' or 'pitches', got '\(c)'")
    }
    o.chords = mode
  }
  o.quantize = try args.int("quantize", default: o.quantize, in: 1...960)
  guard o.quantize >= 1 else { throw ArgsError("--quantize must be at least 1") }
  o.drums = args.flag("drums")
  return o
}

/// What `inspect` says about one file.
struct FileReport {
  var path: String
  var file: MIDIFile?
  var song: Song?
  var notes = 0
  var unterminated = 0
  var error: String?
  var firstTokens: Int

  init(path: String, options: EncodingOptions, firstTokens: Int) {
    self.path = path
    self.firstTokens = firstTokens
    do {
      let f = try MIDIReader.read(path: path)
      let extraction = f.extractNotes(includeDrums: options.drums)
      file = f
      notes = extraction.notes.count
      unterminated = extraction.unterminated
      song = MelodyCodec.encode(f, name: path, options: options)
    } catch let e as MIDIError {
      error = e.description
    } catch {
      self.error = "\(path): \(error)"
    }
  }

  var quarters: Double {
    guard let f = file else { return 0 }
    return Double(f.lengthInTicks) / Double(f.division)
  }

  var vocabularySize: Int { song.map { Set($0.tokens).count } ?? 0 }

  var text: String {
    guard let f = file, let s = song else { return "\(error ?? path + ": unknown error")\n" }
    var out = "\(path)\n"
    out +=
      "  format \(f.format), \(f.tracks.count) tracks, division \(f.division), tempo \(fmt(f.tempo)) bpm\n"
    out +=
      "  \(notes) notes, \(s.events.count) events, \(fmt(quarters)) quarters, vocabulary \(vocabularySize)\n"
    out += "  tokens: " + s.tokens.prefix(firstTokens).joined(separator: " ")
    out += s.events.count > firstTokens ? " ...\n" : "\n"
    if unterminated > 0 {
      out += "  warning: \(unterminated) notes never switched off (ended at track end)\n"
    }
    for w in f.warnings { out += "  \(w)\n" }
    return out
  }

  var json: String {
    guard let f = file, let s = song else {
      return "{\"file\":\(JSONText.quote(path)),\"format\":null,\"tracks\":null,\"notes\":null,"
        + "\"events\":null,\"quarters\":null,\"error\":\(JSONText.quote(error ?? "unknown error"))}"
    }
    let tokens = s.tokens.prefix(firstTokens).map(JSONText.quote).joined(separator: ",")
    let warnings = f.warnings.map { JSONText.quote($0.description) }.joined(separator: ",")
    return "{\"file\":\(JSONText.quote(path)),\"format\":\(f.format),\"tracks\":\(f.tracks.count),"
      + "\"division\":\(f.division),\"tempo\":\(JSONText.number(f.tempo)),\"notes\":\(notes),"
      + "\"events\":\(s.events.count),\"quarters\":\(JSONText.number(quarters)),"
      + "\"vocabulary\":\(vocabularySize),\"tokens\":[\(tokens)],\"unterminated\":\(unterminated),"
      + "\"warnings\":[\(warnings)],\"error\":null}"
  }

  func fmt(_ x: Double) -> String {
    abs(x - x.rounded()) < 0.005 ? String(Int(x.rounded())) : String(format: "%.2f", x)
  }
}
