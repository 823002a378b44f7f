import Foundation
import MIDI
import Melody
import Sound

/// `play(melody | "x.wav" | "x.mid")` and `stop()`: listening from the REPL through a system player.
///
/// Only an interactive session (the REPL: `ExecutionEnvironment.interactive`) makes sound; `midigen run`
/// checks the argument and records `play: skipped (not interactive)`, so notebooks stay reproducible.
enum PlayBuiltin {
  /// The player `play` and `stop` use (tests point its search path at a fake player).
  nonisolated(unsafe) static var player = AudioPlayer.shared

  static var play: Builtin {
    Builtin(
      "play", usage: "play(melody | \"x.wav\" | \"x.mid\")",
      summary: "plays a melody or a .wav/.mid file in the background",
      details: [
        "A melody (or MIDI file) is rendered with the built-in synthesizer first.",
        "Uses the first system player found: pw-play, paplay, aplay (Linux) or",
        "afplay (macOS); without one the error says what to install.",
        "In `midigen run` it only records `play: skipped (not interactive)`.",
      ]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a melody or a .wav or .mid path")
      let source = try Source(a, call)
      guard call.interpreter.environment.interactive else {
        call.interpreter.emit("play: skipped (not interactive)")
        return .nothing
      }
      let name: String
      do {
        switch source {
        case .wav(let path): name = try player.play(path)
        case .melody(let notes, let tempo):
          name = try player.play(try renderTemporary(notes, tempo: tempo), owned: true)
        }
      } catch let d as Diagnostic {
        throw d
      } catch {
        throw Diagnostic("play(): \(error)", at: call.range)
      }
      call.interpreter.emit("playing \(source.description(a.value)) with \(name); stop() ends it")
      return .nothing
    }
  }

  static var stop: Builtin {
    Builtin(
      "stop", usage: "stop()", summary: "stops the sound play() started"
    ) { call in
      try call.allowPositional(0)
      if call.interpreter.environment.interactive { player.stop() }
      return .nothing
    }
  }

  /// What to play: a WAV file as is, or notes to render.
  enum Source {
    case wav(String)
    case melody([SynthNote], tempo: Double)

    init(_ a: (value: Value, range: SourceRange), _ call: Call) throws {
      switch a.value {
      case .object(let m as MelodyObject):
        guard !m.notes.isEmpty else { throw Diagnostic("play(): the melody has no notes", at: a.range) }
        self = .melody(PlayBuiltin.synthNotes(m.notes), tempo: m.tempo)
      case .string:
        let p = try call.path(0, "a .wav or .mid path")
        try FileBuiltins.requireFile(p)
        switch (p.written as NSString).pathExtension.lowercased() {
        case "wav": self = .wav(p.resolved)
        case "mid", "midi", "kar", "smf":
          let file: MIDIFile
          do {
            file = try MIDIReader.read(path: p.resolved)
          } catch {
            throw Diagnostic("\(error)".replacingOccurrences(of: p.resolved, with: p.written), at: p.range)
          }
          let notes = MelodyCodec.notes(of: file)
          guard !notes.isEmpty else { throw Diagnostic("'\(p.written)' has no notes to play", at: p.range) }
          self = .melody(PlayBuiltin.synthNotes(notes), tempo: file.tempo)
        default:
          throw Diagnostic("play() plays .wav and .mid files; got '\(p.written)'", at: p.range)
        }
      default:
        throw Diagnostic("play() expects a melody or a .wav or .mid path, got \(a.value.aTypeName)", at: a.range)
      }
    }

    func description(_ v: Value) -> String {
      switch v {
      case .object(let m as MelodyObject): return "melody \(m.name) (\(Format.fixed(m.seconds, 1)) s)"
      default: return v.display
      }
    }
  }

  static func synthNotes(_ notes: [NoteEvent]) -> [SynthNote] {
    notes.map { SynthNote(pitch: $0.pitch, start: $0.start, duration: $0.duration, velocity: $0.velocity) }
  }

  /// Renders notes into a new temporary WAV file and returns its path.
  static func renderTemporary(_ notes: [SynthNote], tempo: Double) throws -> String {
    let path = NSTemporaryDirectory() + "midigen-play-\(getpid())-\(UUID().uuidString.prefix(8)).wav"
    try WAV.write(Synth.render(notes, tempo: tempo), sampleRate: 44100, to: path)
    return path
  }
}
