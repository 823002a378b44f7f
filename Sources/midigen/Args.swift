import Foundation

/// A tiny command-line option reader shared by the commands.
/// Accepts `--name value`, `--name=value`, boolean `--flag`, and positional arguments.
struct Args {
  private(set) var positional: [String] = []
  private var options: [String: [String]] = [:]
  private var flags: Set<String> = []

  /// `valued` names the options that take a value (without the leading dashes, e.g. "cell", "p").
  init(_ argv: [String], valued: Set<String>) throws {
    var i = 0
    while i < argv.count {
      let a = argv[i]
      if a == "--" {
        positional += argv[(i + 1)...]
        break
      }
      if a.hasPrefix("-") && a.count > 1 && Double(a) == nil {
        var name = String(a.drop(while: { $0 == "-" }))
        var value: String? = nil
        if let eq = name.firstIndex(of: "=") {
          value = String(name[name.index(after: eq)...])
          name = String(name[..<eq])
        }
        if valued.contains(name) {
          if value == nil {
            guard i + 1 < argv.count else { throw ArgsError("option --\(name) needs a value") }
            i += 1
            value = argv[i]
          }
          options[name, default: []].append(value!)
        } else {
          if value != nil { throw ArgsError("option --\(name) takes no value") }
          flags.insert(name)
        }
      } else {
        positional.append(a)
      }
      i += 1
    }
  }

  func flag(_ name: String) -> Bool { flags.contains(name) }
  func value(_ name: String) -> String? { options[name]?.last }
  func values(_ name: String) -> [String] { options[name] ?? [] }

  /// An integer option in `range` (every number on the command line is range-checked: `--tokens -1`
  /// is an error, not a trap later). The default range is 0...2^31−1.
  func int(_ name: String, default d: Int, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws -> Int {
    guard let v = value(name) else { return d }
    guard let n = Int(v) else {
      throw ArgsError("--\(name) expects an integer in \(range.lowerBound)...\(range.upperBound), got '\(clip(v))'")
    }
    guard range.contains(n) else {
      throw ArgsError("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(n)")
    }
    return n
  }

  /// A finite number option in `range`.
  func double(_ name: String, default d: Double, in range: ClosedRange<Double>) throws -> Double {
    guard let v = value(name) else { return d }
    guard let n = Double(v), n.isFinite else {
      throw ArgsError("--\(name) expects a number in \(range.lowerBound)...\(range.upperBound), got '\(clip(v))'")
    }
    guard range.contains(n) else {
      throw ArgsError("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(v)")
    }
    return n
  }

  /// An argument quoted in an error, cut to 40 characters.
  func clip(_ s: String) -> String { s.count <= 40 ? s : String(s.prefix(40)) + "…" }

  /// Flags given that the command does not know: an error, so typos are not silently ignored.
  func rejectUnknown(flags known: Set<String>) throws {
    for f in flags where !known.contains(f) { throw ArgsError("unknown option --\(f)") }
  }
}

struct ArgsError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}

/// Writes a line to standard error.
func printError(_ s: String) {
  FileHandle.standardError.write((s + "\n").data(using: .utf8)!)
}
