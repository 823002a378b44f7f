import Foundation

/// music21 10.5.1 `chord.Chord([60 + pc for pc in set]).normalOrder` for every non-empty
/// pitch-class set, generated once by a throwaway script (music21 is not needed to run the tests).
/// Stored in `NormalOrder.txt` beside this file (excluded from the target in Package.swift).
/// Line `i` (0-based) is the set whose bit mask is `i + 1` (bit `pc` set for each pitch class `pc`).
enum NormalOrderFixture {
  static var music21: String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("NormalOrder.txt")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
    return text.hasSuffix("\n") ? String(text.dropLast()) : text
  }
}
