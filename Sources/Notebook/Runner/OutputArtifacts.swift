import Foundation

/// What the HTML page needs from a run that the `.mgnb` text does not hold: the SVG of every chart a
/// cell displayed and the notes of every melody it displayed, so `midigen export` needs no re-run.
///
/// Stored beside the notebook's session, in `.NAME.mgpage/` (git-ignored), one small JSON file per code
/// cell output named by a hash of the output text (`OutputArtifacts.key`): an output edited by hand or
/// produced elsewhere finds no file and the page falls back to the text. Each item carries the text the
/// value displayed, so the page finds its place in the output. Written after each cell (never during
/// `--check`); files of outputs no longer in the notebook are removed at the same time.
///
/// Reading treats the files as untrusted (anyone can put a folder beside a notebook): sizes, counts and
/// numbers are checked, and the page still inlines an SVG only after `SVGSanitizer` accepts it.
public enum OutputArtifacts {
  public static let format = "midigen-page-outputs"
  public static let version = 1
  /// Largest file read back (64 MB), most items per output, most notes per melody.
  public static let maxFileBytes = 64 << 20
  public static let maxItems = 10_000
  public static let maxNotes = 1_000_000

  public struct Note: Codable, Equatable, Sendable {
    public var pitch: Int
    public var start: Double
    public var duration: Double
    public var velocity: Int
  }

  public struct Melody: Codable, Equatable, Sendable {
    public var name: String
    public var tempo: Double
    public var notes: [Note]
  }

  /// One displayed value: the text it showed, and its chart or melody.
  public struct Item: Codable, Equatable, Sendable {
    public var display: String
    public var chart: String?
    public var melody: Melody?
  }

  struct File: Codable {
    var format: String
    var version: Int
    var items: [Item]
  }

  /// `dir/.NAME.mgpage` for notebook `dir/NAME.mgnb`.
  public static func folder(forNotebook path: String) -> String {
    let dir = (path as NSString).deletingLastPathComponent
    let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    return (dir.isEmpty ? "" : dir + "/") + ".\(base).mgpage"
  }

  /// FNV-1a 64 of the output text, 16 hex digits.
  public static func key(_ output: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in output.utf8 {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The items for the charts and melodies among `shown` whose text appears in `output` (in order).
  public static func items(_ shown: [Value], output: String) -> [Item] {
    var result: [Item] = []
    for v in shown {
      guard case .object(let o) = v else { continue }
      let display = OutputBlock.trimTrailing(o.display)
      guard !display.isEmpty, output.contains(display) else { continue }
      if let c = o as? ChartObject {
        result.append(Item(display: display, chart: c.svg, melody: nil))
      } else if let m = o as? MelodyObject {
        let notes = m.notes.map {
          Note(pitch: $0.pitch, start: $0.start, duration: $0.duration, velocity: $0.velocity)
        }
        result.append(Item(display: display, chart: nil, melody: Melody(name: m.name, tempo: m.tempo, notes: notes)))
      }
    }
    return result
  }

  /// Records what cell `index` of `document` displayed (`shown`, from the run that produced its current
  /// output) and removes files of outputs the notebook no longer has. Returns why it failed, if it did
  /// (the page then falls back to text; the run itself is not affected).
  @discardableResult
  public static func record(_ shown: [Value], cell index: Int, in document: NotebookDocument, notebook path: String)
    -> String?
  {
    guard document.cells.indices.contains(index), let output = document.cells[index].output else { return nil }
    let folder = folder(forNotebook: path)
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      let file = File(format: format, version: version, items: items(shown, output: output))
      try NotebookFile.write(Array(try encoder.encode(file)), to: folder + "/" + key(output) + ".json")
      var keep: Set<String> = []
      for cell in document.cells { if let o = cell.output { keep.insert(key(o) + ".json") } }
      for name in try fm.contentsOfDirectory(atPath: folder) where name.hasSuffix(".json") && !keep.contains(name) {
        try fm.removeItem(atPath: folder + "/" + name)
      }
      return nil
    } catch {
      return "cannot record the page data in '\(folder)': \(error)"
    }
  }

  /// What was recorded for `output` of the notebook at `path`.
  public enum Loaded: Equatable {
    /// No file: the output was produced by an older midigen, elsewhere, or edited by hand.
    case absent
    case items([Item])
    /// A file that cannot be used (damaged, too large, other version), with the reason.
    case invalid(String)
  }

  public static func load(output: String, notebook path: String) -> Loaded {
    let file = folder(forNotebook: path) + "/" + key(output) + ".json"
    let fm = FileManager.default
    guard fm.fileExists(atPath: file) else { return .absent }
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try fm.attributesOfItem(atPath: file)
    } catch {
      return .invalid("\(file): \(error)")
    }
    guard let size = attributes[.size] as? NSNumber, attributes[.type] as? FileAttributeType == .typeRegular
    else { return .invalid("\(file): not a regular file") }
    guard size.intValue <= maxFileBytes else {
      return .invalid("\(file): \(size.intValue) bytes, more than \(maxFileBytes)")
    }
    guard let data = fm.contents(atPath: file) else { return .invalid("\(file): cannot read") }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoded: File
    do {
      decoded = try decoder.decode(File.self, from: data)
    } catch {
      return .invalid("\(file): not page data (\(error))")
    }
    guard decoded.format == format, decoded.version == version else {
      return .invalid("\(file): format '\(decoded.format)' version \(decoded.version), expected '\(format)' \(version)")
    }
    guard decoded.items.count <= maxItems else { return .invalid("\(file): \(decoded.items.count) items") }
    var total = 0
    for item in decoded.items {
      guard let m = item.melody else { continue }
      total += m.notes.count
      guard total <= maxNotes else { return .invalid("\(file): more than \(maxNotes) notes") }
      guard m.tempo.isFinite, m.tempo >= 1, m.tempo <= 1000 else {
        return .invalid("\(file): melody '\(m.name)' has tempo \(m.tempo)")
      }
      for n in m.notes {
        guard (0...127).contains(n.pitch), (0...127).contains(n.velocity), n.start.isFinite, n.duration.isFinite,
          n.start >= 0, n.duration >= 0, (n.start + n.duration) * 60 / m.tempo <= 3600
        else {
          return .invalid("\(file): melody '\(m.name)' has a note out of range (pitch \(n.pitch), start \(n.start), "
                            + "duration \(n.duration), velocity \(n.velocity); at most an hour of sound)")
        }
      }
    }
    return .items(decoded.items)
  }
}
