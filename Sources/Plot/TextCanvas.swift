/// A grid of single-column characters for text charts; rows are drawn top to bottom.
struct TextCanvas {
  private(set) var width: Int
  private var cells: [[Character]]

  init(width: Int, height: Int) {
    self.width = max(width, 0)
    cells = Array(repeating: Array(repeating: " ", count: max(width, 0)), count: max(height, 0))
  }

  var height: Int { cells.count }

  subscript(row: Int, column: Int) -> Character {
    get { cells[row][column] }
    set {
      if row >= 0 && row < cells.count && column >= 0 && column < width { cells[row][column] = newValue }
    }
  }

  /// Writes `text` starting at `column` of `row`, clipping at the edges; control characters (newlines,
  /// tabs) become spaces so a label can never break a row.
  mutating func put(_ text: String, row: Int, column: Int) {
    for (i, ch) in text.enumerated() {
      self[row, column + i] =
        ch.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : ch
    }
  }

  /// The rows joined by newlines, trailing spaces removed from every row and trailing empty rows dropped.
  func render() -> String {
    var rows = cells.map { row in
      var s = String(row)
      while s.hasSuffix(" ") { s.removeLast() }
      return s
    }
    while rows.last?.isEmpty == true { rows.removeLast() }
    return rows.joined(separator: "\n")
  }
}

extension String {
  /// The string cut to `n` characters (with "…" as the last one when cut).
  func clipped(to n: Int) -> String {
    if count <= n { return self }
    if n <= 0 { return "" }
    return String(prefix(n - 1)) + "…"
  }

  /// The string right-aligned in a field of `n` characters (clipped if longer).
  func leftPadded(to n: Int) -> String {
    let s = clipped(to: n)
    return String(repeating: " ", count: n - s.count) + s
  }

  /// The string centered in a field of `n` characters (clipped if longer), extra space on the right.
  func centered(in n: Int) -> String {
    let s = clipped(to: n)
    let left = (n - s.count) / 2
    return String(repeating: " ", count: left) + s
  }
}
