import Foundation
import Melody
@testable import Notebook

/// Helpers shared by the notebook tests: temporary folders, tiny MIDI datasets, interpreters.
enum TestSupport {
  /// A fresh temporary folder (removed by the caller with `cleanup`).
  static func tempFolder(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let dir = NSTemporaryDirectory() + "midigen-nb-\(safe)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func cleanup(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

  /// Writes `count` small MIDI songs into `dir/sub`: simple scales and chords in C, 24–40 events each.
  static func writeSongs(into dir: String, sub: String = "songs", count: Int = 4) throws {
    let folder = dir + "/" + sub
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for k in 0..<count {
      var notes: [NoteEvent] = []
      var t = 0.0
      let scale = [60, 62, 64, 65, 67, 69, 71, 72]
      for i in 0..<(24 + 4 * k) {
        if i % 6 == 5 {
          for p in [60, 64, 67] { notes.append(NoteEvent(pitch: p + (k % 3) * 2, start: t, duration: 1, velocity: 80)) }
          t += 1
        } else {
          notes.append(NoteEvent(pitch: scale[(i + k) % scale.count], start: t, duration: 0.5, velocity: 90))
          t += i % 4 == 3 ? 1 : 0.5
        }
      }
      try MelodyIO.writeMIDI(notes, tempo: 100 + Double(k) * 10, to: folder + "/song\(k).mid")
    }
  }

  static func interpreter(base: String = "") -> Interpreter {
    Interpreter(environment: ExecutionEnvironment(baseDirectory: base), builtins: StandardLibrary().builtins)
  }

  /// Runs `source` and returns the output, or the error message as "error L:C: message".
  static func run(_ interp: Interpreter, _ source: String) -> String {
    let r = interp.run(source)
    if let e = r.error { return (r.output.isEmpty ? "" : r.output + "\n") + "error \(e.range.start): \(e.message)" }
    return r.output
  }

  /// The folder holding the golden notebooks.
  static var goldenFolder: String {
    Bundle.module.resourcePath.map { $0 + "/Golden" } ?? ""
  }

  /// The source folder of the golden notebooks (for updating them with MIDIGEN_UPDATE_GOLDEN=1).
  static func goldenSourceFolder(_ file: String = #filePath) -> String {
    (file as NSString).deletingLastPathComponent + "/Golden"
  }
}
