import Foundation
import Melody
import MIDI
import NN
import Sound

/// `save(value, path)`, `open(path)` and `load(path, ...)`: values to and from files.
enum FileBuiltins {
  static var save: Builtin {
    Builtin(
      "save", usage: "save(value, path)",
      summary: "writes a value to a file chosen by its extension",
      details: [
        "the output shows `saved: PATH` (the HTML export embeds saved .svg and .wav files)",
        "melody -> .mid (MIDI), .json (tokens and offsets),",
        "  .wav (built-in synthesizer, 44.1 kHz 16-bit)",
        "model -> .safetensors (PyTorch state_dict names; vocabulary, config",
        "  and history in the metadata)",
        "dataset -> .jsonl (one song a line: name, tokens, offsets)",
        "chart -> .svg or .txt. Folders are created as needed; files are written atomically.",
      ]
    ) { call in
      try call.allowPositional(2)
      let v = try call.argument(0, "a value to save")
      var p = try call.path(1, "a file path")
      p.resolved = call.interpreter.environment.redirectWrite(p.resolved)  // `run --check`: a scratch folder
      let ext = (p.written as NSString).pathExtension.lowercased()
      guard case .object(let o) = v.value else {
        throw Diagnostic("save() cannot write \(v.value.aTypeName); it saves melodies, models, datasets and charts",
                         at: v.range)
      }
      func allowed(_ exts: [String]) throws {
        guard exts.contains(ext) else {
          throw Diagnostic("\(o.aTypeName) is saved as " + exts.map { "." + $0 }.joined(separator: ", ")
                             + "; got '\(p.written)'", at: p.range)
        }
      }
      let dir = (p.resolved as NSString).deletingLastPathComponent
      do {
        switch o {
        case let m as MelodyObject:
          try allowed(["mid", "midi", "json", "wav"])
          try makeFolder(dir)
          switch ext {
          case "json": try NotebookFile.write(try m.json(includeNotes: false) + [10], to: p.resolved)
          case "wav":
            let notes = PlayBuiltin.synthNotes(m.notes)
            let env = call.interpreter.environment
            guard let samples = try Synth.renderChecked(notes, tempo: m.tempo, onNote: { done, total in
              env.progress(ProgressReport(task: "render", step: done, total: total))
              return !env.isCancelled()
            }) else { throw Interrupted(note: "rendering stopped; '\(p.written)' was not written") }
            try WAV.write(samples, sampleRate: 44100, to: p.resolved)
          default: try MelodyIO.writeMIDI(m.notes, tempo: m.tempo, to: p.resolved)
          }
        case let m as ModelObject:
          try allowed(["safetensors"])
          try makeFolder(dir)
          try Checkpoint.save(m.net, to: p.resolved)
        case let d as DatasetObject:
          try allowed(["jsonl"])
          try makeFolder(dir)
          try d.dataset.writeJSONL(to: p.resolved)
        case let c as ChartObject:
          try allowed(["svg", "txt"])
          try makeFolder(dir)
          try NotebookFile.write(ext == "svg" ? c.svg : c.text + "\n", to: p.resolved)
        default:
          throw Diagnostic("save() cannot write \(o.aTypeName); it saves melodies, models, datasets and charts",
                           at: v.range)
        }
      } catch let d as Diagnostic {
        throw d
      } catch let i as Interrupted {
        throw i
      } catch {
        throw Diagnostic("cannot save '\(p.written)': \(error)", at: p.range)
      }
      call.interpreter.emit("saved: \(p.written)")
      return .nothing
    }
  }

  static func makeFolder(_ dir: String) throws {
    guard !dir.isEmpty else { return }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  static var open: Builtin {
    Builtin(
      "open", usage: "open(path, chords: \"normal\", quantize: 12, drums: false, events: \"midigen\", vocab: list)",
      summary: "reads a model (.safetensors, .pt, .ch) or a melody (.mid, .json)",
      details: ["A melody from a MIDI file keeps the file's own notes, so",
                "save(open(\"x.mid\"), \"x.wav\") renders any MIDI file; chords, quantize,",
                "drums and events set how its events are encoded, as for load().",
                "PyTorch files (torch.save, legacy or zip) of the original's GRUNet: its",
                "checkpoint dict (vocabulary <PAD> + unique_notes, global_step as steps) or a",
                "bare state_dict with vocab: (a list of tokens). Nothing in the file is run:",
                "only tensors and plain values are read. save(model, \"x.safetensors\") converts.",
                "allow_nonfinite: true opens a model with NaN or infinite weights (refused otherwise)."],
      labels: ["chords", "quantize", "drums", "events", "vocab", "allow_nonfinite"]
    ) { call in
      try call.allowPositional(1)
      let p = try call.path(0, "a file path")
      try requireFile(p)
      let ext = (p.written as NSString).pathExtension.lowercased()
      do {
        switch ext {
        case _ where TorchCheckpoint.extensions.contains(ext):
          return .object(try openTorch(call, p))
        case "safetensors":
          let net = try Checkpoint.load(path: p.resolved, allowNonFinite: try call.bool("allow_nonfinite", default: false),
                                        warn: { call.interpreter.emit("warning: " + $0.replacingOccurrences(of: p.resolved, with: p.written)) })
          return .object(try ModelObject(net, showTiming: call.interpreter.environment.timing))
        case "mid", "midi", "kar", "smf":
          let options = try encodingOptions(call)
          let file = try MIDIReader.read(path: p.resolved)
          let name = ((p.written as NSString).lastPathComponent as NSString).deletingPathExtension
          let song = MelodyCodec.encode(file, name: name, options: options)
          let d = Double(max(1, file.division))
          let notes = file.notes(includeDrums: options.drums).map {
            NoteEvent(pitch: $0.pitch, start: Double($0.startTick) / d, duration: Double($0.durationTicks) / d,
                      velocity: $0.velocity)
          }
          return .object(MelodyObject(name: name, events: song.events, tempo: song.tempo, notes: notes))
        case "json":
          guard let data = FileManager.default.contents(atPath: p.resolved) else {
            throw Diagnostic("cannot read '\(p.written)'", at: p.range)
          }
          return .object(try MelodyObject.fromJSON(data, file: p.written))
        default:
          throw Diagnostic("open() reads .safetensors or PyTorch .ch/.pt/.pth (model), .mid or .json (melody); "
                             + "got '\(p.written)'", at: p.range)
        }
      } catch let d as Diagnostic {
        throw d
      } catch let e as MIDIError {
        throw Diagnostic("\(e)".replacingOccurrences(of: p.resolved, with: p.written), at: p.range)
      } catch {
        throw Diagnostic("cannot open '\(p.written)': \(error)".replacingOccurrences(of: p.resolved, with: p.written), at: p.range)
      }
    }
  }

  static func requireFile(_ p: (written: String, resolved: String, range: SourceRange)) throws {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: p.resolved, isDirectory: &isDir) else {
      throw Diagnostic("no such file '\(p.written)'", at: p.range)
    }
    if isDir.boolValue { throw Diagnostic("'\(p.written)' is a folder, not a file", at: p.range) }
  }

  static func encodingOptions(_ call: Call) throws -> EncodingOptions {
    var o = EncodingOptions()
    if let a = call.labelled["chords"] {
      guard case .string(let s) = a.value, let mode = ChordMode(rawValue: s) else {
        throw Diagnostic("chords must be \"normal\" (normal-order pitch classes) or \"pitches\", got \(a.value.display)",
                         at: a.range)
      }
      o.chords = mode
    }
    o.quantize = try call.int("quantize", default: 12, in: 1...960)
    o.drums = try call.bool("drums", default: false)
    if let a = call.labelled["events"] {
      guard case .string(let s) = a.value, let mode = EventSegmentation(rawValue: s) else {
        throw Diagnostic("events must be \"midigen\" or \"music21\" (the original's segmentation), got \(a.value.display)",
                         at: a.range)
      }
      o.events = mode
    }
    return o
  }

  static var load: Builtin {
    Builtin(
      "load", usage: "load(path, chords: \"normal\", quantize: 12, limit: all, drums: false, events: \"midigen\")",
      summary: "reads MIDI and ABC files (a file, folder or glob) into a dataset",
      details: [
        "chords: \"normal\" (music21 normal order of pitch classes, as the original) or \"pitches\"",
        "quantize: grid steps per quarter note",
        "limit: at most this many files (in path order)",
        "drums: include channel 10. Files that fail to parse are skipped and listed.",
        "events: \"midigen\" merges all tracks, one event per grid onset (equal onsets",
        "  one chord), first offset 0; \"music21\" reproduces the original's music21 5.7.1",
        "  encoding for its models: the first instrument's part only, chords only as",
        "  music21 groups them (other notes starting together stay separate events),",
        "  the 1/4-or-1/3 quarter grid, the first event's own offset, drums as pitches",
        "  (chords, quantize and drums then do not apply).",
        "An .abc file gives one song per tune (FILE#X, or FILE if it holds one);",
        "  a tune that fails is skipped and listed as FILE:LINE:COL.",
      ],
      labels: ["chords", "quantize", "limit", "drums", "events"]
    ) { call in
      try call.allowPositional(1)
      let p = try call.path(0, "a path (file, folder or glob)")
      let options = try encodingOptions(call)
      let limit = try call.optionalInt("limit", in: 1...Int.max)
      let env = call.interpreter.environment
      env.progress(ProgressReport(task: "load", step: 0, total: 1))
      let dataset: Dataset
      let watch = LoadWatch(env)
      do {
        dataset = try Dataset.load(p.resolved, options: options, limit: limit) { _, total in watch.next(total) }
      } catch let stop as LoadStopped {
        throw Interrupted(note: "loading stopped after \(stop.files) of \(stop.total) files")
      } catch {
        throw Diagnostic("\(error)".replacingOccurrences(of: p.resolved, with: p.written), at: p.range)
      }
      env.progress(ProgressReport(task: "load", step: 1, total: 1))
      guard !dataset.songs.isEmpty else {
        throw Diagnostic("no song could be read from '\(p.written)' (\(dataset.failures.count) files failed)",
                         at: p.range)
      }
      return .object(DatasetObject(dataset, path: p.written))
    }
  }
}
