import Foundation
import Notebook
import Plot
import Sound

/// Turns a parsed notebook into an `HTMLPage`: markdown cells as text, code cells with their source and
/// output, the charts and melodies each cell displayed (from the run's page data, `OutputArtifacts`) as
/// SVG and players at their place in the output, and the `.svg` / `.wav` files named by output lines
/// `saved: PATH` after those lines, as far as `FileEmbedder` allows.
struct NotebookPage {
  var embedder: FileEmbedder
  let notebookPath: String
  /// Longest melody that gets a player (the page renders its sound in memory when it opens).
  static let maxPlayerSeconds = 600.0
  /// Warnings for the terminal (each also visible in the page).
  var warnings: [String] = []
  var charts = 0
  var players = 0
  var missingFiles = 0

  init(notebookPath: String, allowOutside: Bool) {
    self.notebookPath = notebookPath
    embedder = FileEmbedder(notebookPath: notebookPath, allowOutside: allowOutside)
  }

  mutating func build(_ document: NotebookDocument, fileName: String) -> HTMLPage {
    var cells: [HTMLPage.Cell] = []
    var withoutData = 0
    var outputs = 0
    for cell in document.cells {
      switch cell.kind {
      case .markdown:
        cells.append(.markdown(cell.source))
      case .code:
        var items: [OutputArtifacts.Item] = []
        if let text = cell.output, !text.isEmpty {
          outputs += 1
          switch OutputArtifacts.load(output: text, notebook: notebookPath) {
          case .absent: withoutData += 1
          case .items(let found): items = found
          case .invalid(let reason):
            withoutData += 1
            warnings.append("page data ignored: \(reason)")
          }
        }
        let parts = cell.output.map { self.outputs($0, items: items) } ?? []
        cells.append(
          .code(
            title: cell.title, source: cell.trimmedSource, outputs: parts,
            failed: cell.outputBlock?.failed ?? false, stale: cell.isStale))
      }
    }
    var notice: String? = nil
    if withoutData > 0 {
      let folder = (OutputArtifacts.folder(forNotebook: notebookPath) as NSString).lastPathComponent
      notice =
        withoutData == outputs
        ? "Charts are shown as text and melodies have no player: this notebook has no page data (\(folder)), "
          + "it was run by an older midigen or elsewhere. Run it again with `midigen run` and export it."
        : "\(withoutData) of \(outputs) outputs have no page data in \(folder) (edited by hand, or run elsewhere): "
          + "their charts are shown as text and their melodies have no player."
      warnings.append(notice ?? "")
    }
    return HTMLPage(title: NotebookPage.title(document) ?? fileName, cells: cells, notice: notice)
  }

  /// A cell's output split into text, charts, players and embedded files, in output order.
  mutating func outputs(_ text: String, items: [OutputArtifacts.Item]) -> [HTMLPage.Output] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    // Where each displayed value's text is: the first match at or after the previous one.
    var placed: [Int: (count: Int, item: OutputArtifacts.Item)] = [:]
    var cursor = 0
    for item in items {
      let want = item.display.split(separator: "\n", omittingEmptySubsequences: false)
      guard !want.isEmpty, want.count <= lines.count else { continue }
      var j = cursor
      while j + want.count <= lines.count {
        if lines[j] == want[0] && Array(lines[j..<j + want.count]) == want { break }
        j += 1
      }
      guard j + want.count <= lines.count else { continue }
      placed[j] = (want.count, item)
      cursor = j + want.count
    }
    var result: [HTMLPage.Output] = []
    var chunk: [Substring] = []
    var melodies: [PlayerMelody] = []
    func flush() {
      if !chunk.isEmpty { result.append(.text(chunk.joined(separator: "\n"))) }
      chunk = []
    }
    var j = 0
    while j < lines.count {
      if let (count, item) = placed[j] {
        if let svg = item.chart {
          flush()
          result.append(.chart(svg: svg))
          charts += 1
          j += count
          continue
        }
        if let m = item.melody {
          chunk += lines[j..<j + count]
          flush()
          j += count
          let melody = PlayerMelody(
            name: m.name, tempo: m.tempo,
            notes: m.notes.map { .init(pitch: $0.pitch, start: $0.start, duration: $0.duration, velocity: $0.velocity) })
          // The page renders a melody's sound when it opens: beyond 10 minutes that is too much memory.
          guard melody.seconds <= NotebookPage.maxPlayerSeconds else {
            result.append(.note("(no player: \(m.name) lasts \(Int(melody.seconds / 60)) minutes, more than the page's 10)"))
            continue
          }
          result.append(.melody(melody))
          melodies.append(melody)
          players += 1
          continue
        }
      }
      let line = lines[j]
      chunk.append(line)
      if let (path, ext) = HTMLPage.savedMedia(line) {
        flush()
        result.append(embed(path, ext: ext, melodies: melodies))
      }
      j += 1
    }
    flush()
    return result
  }

  /// A saved `.svg` or `.wav` file: embedded when allowed, else a note saying why not.
  mutating func embed(_ path: String, ext: String, melodies: [PlayerMelody]) -> HTMLPage.Output {
    if ext == "svg" {
      switch embedder.read(path, limit: FileEmbedder.maxSVGBytes) {
      case .failure(let f): return failure(path, f)
      case .success(let bytes):
        guard let svg = String(validating: bytes, as: UTF8.self) else {
          return .missing(name: path, reason: "not UTF-8 text")
        }
        charts += 1
        return .svg(name: path, document: svg)
      }
    }
    // A WAV: is it the sound of a melody the cell displayed (then its player plays it)?
    switch embedder.check(path, limit: Int.max) {
    case .failure(let f): return failure(path, f)
    case .success(let (real, size)):
      // The file is read once, and only when some displayed melody has exactly its length.
      var bytes: [UInt8]?? = .none
      for m in melodies where size <= 128 << 20 && size == WAV.headerSize + 2 * expectedSamples(m) {
        if bytes == nil { bytes = .some(FileManager.default.contents(atPath: real).map { [UInt8]($0) }) }
        let notes = m.notes.map { SynthNote(pitch: $0.pitch, start: $0.start, duration: $0.duration, velocity: $0.velocity) }
        if let data = bytes ?? nil,
          data == WAV.encode(Synth.render(notes, tempo: m.tempo), sampleRate: MelodyPlayer.sampleRate)
        {
          return .note("(\(path) is the sound of \(m.name): its player above plays it)")
        }
      }
      guard size <= FileEmbedder.maxWAVBytes else {
        return .note(FileEmbedder.Failure.tooLarge(path, size, FileEmbedder.maxWAVBytes).description
                       + " (display the melody to get a player)")
      }
      switch embedder.read(path, limit: FileEmbedder.maxWAVBytes) {
      case .failure(let f): return failure(path, f)
      case .success(let bytes):
        players += 1
        return .audio(name: path, wav: bytes)
      }
    }
  }

  /// Samples `Synth.render` gives for a melody (the count the WAV must have to be its sound).
  func expectedSamples(_ m: PlayerMelody) -> Int {
    Int((m.seconds * Double(MelodyPlayer.sampleRate)).rounded(.up))
  }

  mutating func failure(_ path: String, _ f: FileEmbedder.Failure) -> HTMLPage.Output {
    switch f {
    case .missing, .unreadable:
      missingFiles += 1
      warnings.append("\(path): \(f)")
      return .missing(name: path, reason: f.description)
    default:
      return .note("(\(f))")
    }
  }

  /// The text of the first `# heading` in a markdown cell, if any.
  static func title(_ document: NotebookDocument) -> String? {
    for cell in document.cells where cell.kind == .markdown {
      for line in cell.source.split(separator: "\n") where line.hasPrefix("# ") {
        let t = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
        if !t.isEmpty { return t }
      }
    }
    return nil
  }
}
