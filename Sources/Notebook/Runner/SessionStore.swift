import Foundation

/// An object that can be saved into a session folder and restored in another process.
public protocol PersistableObject: NotebookObject {
  /// Writes the object's state. Small state goes in the returned fields; large state in files inside
  /// `dir` whose names start with `stem` (the fields must name them).
  func persist(into dir: String, stem: String) throws -> [String: String]
}

/// Rebuilds an object of one type from the fields `persist` returned (`dir` is the session folder).
public typealias ObjectRestorer = (_ fields: [String: String], _ dir: String) throws -> any NotebookObject

/// Saves and loads a `Session` beside its notebook, in `.NAME.mgsession/` (git-ignored):
/// `session.json` (format name, version, seeds, variables) plus one file per large value.
/// The folder is replaced atomically (written under a temporary name, then renamed).
public struct SessionStore {
  public static let version = 1
  public let restorers: [String: ObjectRestorer]

  public init(restorers: [String: ObjectRestorer]) { self.restorers = restorers }

  /// `dir/.NAME.mgsession` for notebook `dir/NAME.mgnb`.
  public static func folder(forNotebook path: String) -> String {
    let dir = (path as NSString).deletingLastPathComponent
    let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    return (dir.isEmpty ? "" : dir + "/") + ".\(base).mgsession"
  }

  struct Manifest: Codable {
    var format = "midigen-session"
    var version: Int
    var seeds: SeedStream
    var ranCells: [String: String]
    var variables: [String: StoredValue]
  }

  indirect enum StoredValue: Codable {
    case nothing
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([StoredValue])
    case range(Int, Int)
    case function(String)
    case text(String)
    case record(type: String, names: [String], values: [StoredValue], display: String?)
    case object(type: String, fields: [String: String])
  }

  public func save(_ session: Session, notebook path: String) throws {
    let folder = SessionStore.folder(forNotebook: path)
    let tmp = folder + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    let fm = FileManager.default
    try? fm.removeItem(atPath: tmp)
    do {
      try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
      var counter = 0
      var stored: [String: StoredValue] = [:]
      for name in session.variables.keys.sorted() {
        guard let value = session.variables[name] else { continue }
        stored[name] = try store(value, dir: tmp, stem: name, counter: &counter)
      }
      let manifest = Manifest(version: SessionStore.version, seeds: session.seeds, ranCells: session.ranCells,
                              variables: stored)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      try NotebookFile.write(Array(try encoder.encode(manifest)), to: tmp + "/session.json")
      let old = folder + ".old-\(ProcessInfo.processInfo.processIdentifier)"
      if fm.fileExists(atPath: folder) { try fm.moveItem(atPath: folder, toPath: old) }
      try fm.moveItem(atPath: tmp, toPath: folder)
      try? fm.removeItem(atPath: old)
    } catch {
      try? fm.removeItem(atPath: tmp)
      throw NotebookError.session("cannot save the session in '\(folder)': \(error)")
    }
  }

  /// The saved session, or nil when there is none. Throws when it exists but cannot be read (other
  /// version, damaged files).
  public func load(notebook path: String) throws -> Session? {
    let folder = SessionStore.folder(forNotebook: path)
    let file = folder + "/session.json"
    guard let data = FileManager.default.contents(atPath: file) else { return nil }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let manifest: Manifest
    do {
      manifest = try decoder.decode(Manifest.self, from: data)
    } catch {
      throw NotebookError.session("cannot read the session '\(file)': \(error)")
    }
    guard manifest.format == "midigen-session", manifest.version == SessionStore.version else {
      throw NotebookError.session(
        "the session '\(folder)' has version \(manifest.version); this midigen reads version \(SessionStore.version)"
          + " (delete the folder and run the whole notebook)")
    }
    try SessionValidation.check(manifest, folder: folder, restorers: Set(restorers.keys))
    let session = Session()
    session.seeds = manifest.seeds
    session.ranCells = manifest.ranCells
    for (name, v) in manifest.variables {
      do {
        session.variables[name] = try restore(v, dir: folder)
      } catch {
        throw NotebookError.session("cannot restore '\(name)' from the session '\(folder)': \(error)")
      }
    }
    return session
  }

  func store(_ v: Value, dir: String, stem: String, counter: inout Int) throws -> StoredValue {
    switch v {
    case .nothing: return .nothing
    case .bool(let b): return .bool(b)
    case .int(let n): return .int(n)
    case .float(let x): return .float(x)
    case .string(let s): return .string(s)
    case .list(let items):
      return .list(try items.map { try store($0, dir: dir, stem: stem, counter: &counter) })
    case .range(let lo, let hi): return .range(lo, hi)
    case .function(let f): return .function(f)
    case .object(let o as TextValue): return .text(o.text)
    case .object(let r as Record):
      return .record(type: r.typeName, names: r.fields.map(\.name),
                     values: try r.fields.map { try store($0.value, dir: dir, stem: stem, counter: &counter) },
                     display: r.customDisplay)
    case .object(let o as any PersistableObject):
      counter += 1
      let safe = String(stem.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" })
      return .object(type: o.typeName, fields: try o.persist(into: dir, stem: "\(safe)-\(counter)"))
    case .object(let o):
      throw NotebookError.session("\(o.aTypeName) cannot be saved in a session")
    }
  }

  func restore(_ s: StoredValue, dir: String) throws -> Value {
    switch s {
    case .nothing: return .nothing
    case .bool(let b): return .bool(b)
    case .int(let n): return .int(n)
    case .float(let x): return .float(x)
    case .string(let t): return .string(t)
    case .list(let items): return .list(try items.map { try restore($0, dir: dir) })
    case .range(let lo, let hi): return .range(lo, hi)
    case .function(let f): return .function(f)
    case .text(let t): return .object(TextValue(t))
    case .record(let type, let names, let values, let display):
      let restored = try values.map { try restore($0, dir: dir) }
      return .object(Record(type, Array(zip(names, restored)), display: display))
    case .object(let type, let fields):
      guard let r = restorers[type] else { throw NotebookError.session("unknown stored type '\(type)'") }
      return .object(try r(fields, dir))
    }
  }
}
