/// Piano rolls: time (quarter notes) across, pitch up, one row per semitone labelled with note names.
///
/// Text layout: each note is `╞` at its onset followed by `═` while it is held, so repeated notes and
/// chords (several rows at one column) stay visible. Time is scaled to fit: 4 or 2 cells per quarter
/// when the piece fits on one line, else 1 cell per quarter wrapped onto up to 4 lines of music
/// ("systems", broken at bar lines), else coarser (1/2, 1/4, ... cells per quarter) on up to 4 lines.
/// Bar lines (every 4 quarters) are `·` in empty cells when a bar is at least 4 cells wide; axis ticks
/// are at least 4 cells apart and labelled in quarters.
/// ```
/// Melody
///  E4 │╞═══    ╞═══
///  D4 │    ╞═══·
///  C4 ┤╞═══════·╞═══
///     └┬───────┬───
///      0       4
///          quarters
/// ```
public enum PianoRoll {
  /// A piano roll of `notes`; an empty list renders "(no notes)".
  public static func make(title: String, notes: [RollNote]) -> Chart {
    Chart(title: title, xLabel: "quarters", yLabel: "", kind: .roll(notes))
  }

  /// Notes with finite times, negative durations treated as 0, pitches clamped to 0...127, and times
  /// clamped to ±`maxTime` quarters (so every span is finite, however far apart the notes are).
  static func cleaned(_ notes: [RollNote]) -> [RollNote] {
    notes.filter { $0.start.isFinite && $0.duration.isFinite }.map {
      RollNote(pitch: min(max($0.pitch, 0), 127), start: min(max($0.start, -maxTime), maxTime),
               duration: min(max($0.duration, 0), maxTime))
    }
  }

  /// Largest time (quarters) a roll places as given.
  static let maxTime = 1e300

  /// Time span shown: from the bar line at or before the first onset to the last note end.
  static func span(_ notes: [RollNote]) -> (t0: Double, t1: Double) {
    let first = notes.map(\.start).min() ?? 0
    let t0 = (first / 4).rounded(.down) * 4
    let t1 = max(notes.map { $0.start + $0.duration }.max() ?? 0, t0 + 1)
    return (t0, t1)
  }

  /// How time maps to text cells: `cpq` cells per quarter (a power of two), `perSystem` cells per line
  /// of music (a whole number of bars), `systems` lines of music.
  struct Layout: Equatable {
    var cpq: Double
    var totalCells: Int
    var perSystem: Int
    var systems: Int
    var barCells: Double { 4 * cpq }
    /// Cells between axis ticks: every bar, or every few bars when bars are narrower than 4 cells.
    var tickCells: Int { Int(max(barCells, 4)) }

    /// The finest scale of 4, 2 cells per quarter that fits on one line; otherwise 1 cell per quarter
    /// (or coarser) wrapped onto at most `maxSystems` lines, broken at bar lines. The cells drawn are
    /// never more than `columns · maxSystems`, however long the piece (no size limit needed).
    init(quarters: Double, columns: Int, maxSystems: Int = 4) {
      var cpq = 4.0
      while true {
        let bar = 4 * cpq
        let cells = max(1, (quarters * cpq - 1e-9).rounded(.up))
        // Far too many cells for any layout at this scale: halve without building one.
        if !(cells <= Double(max(columns, 1) * (maxSystems + 1))) && cpq >= 1e-300 {
          cpq /= 2
          continue
        }
        let total = Int(min(cells, Double(Int32.max)))
        let per = bar >= 1 ? max(Int(bar), Int(Double(columns) / bar) * Int(bar)) : columns
        let systems = (total + per - 1) / per
        let fits = cpq > 1 ? systems == 1 : systems <= maxSystems
        if (fits && per <= columns) || cpq < 1e-300 {
          self.cpq = cpq
          totalCells = total
          perSystem = min(per, columns)
          self.systems = (total + perSystem - 1) / perSystem
          return
        }
        cpq /= 2
      }
    }
  }

  static func text(_ chart: Chart, _ input: [RollNote], width: Int, maxSystems: Int = 4) -> String {
    let notes = cleaned(input)
    guard let low = notes.map(\.pitch).min(), let high = notes.map(\.pitch).max() else {
      return chart.title.clipped(to: width) + "\n(no notes)"
    }
    let lowNote = min(low, chart.pitchRange?.lowerBound ?? low)
    let highNote = max(high, chart.pitchRange?.upperBound ?? high)
    let labelWidth = (lowNote...highNote).map { NoteNames.name($0).count }.max()! + 1
    let axis = labelWidth + 1
    let origin = axis + 1
    let (t0, end) = span(notes)
    let t1 = max(end, chart.rollEnd ?? end)
    let layout = Layout(quarters: t1 - t0, columns: width - origin, maxSystems: maxSystems)
    let cpq = layout.cpq
    let labelEvery = max(
      1, Int((Double(NumberFormat.short(t1).count + 2) / Double(layout.tickCells)).rounded(.up)))
    // Whole-piece rows of cells (pitch row -> cells), drawn once, then cut into systems.
    let rows = highNote - lowNote + 1
    var grid = [[Character]](repeating: [Character](repeating: " ", count: layout.totalCells), count: rows)
    if layout.barCells >= 4 {
      for r in 0..<rows {
        for c in stride(from: 0, to: layout.totalCells, by: Int(layout.barCells)) { grid[r][c] = "·" }
      }
    }
    func cell(_ t: Double) -> Int { min(Int(((t - t0) * cpq + 1e-9).rounded(.down)), layout.totalCells - 1) }
    let sorted = notes.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
    // Bodies first, then onsets, so an onset is never hidden by another note's body.
    for (_, n) in sorted {
      let c0 = cell(n.start)
      let c1 = min(
        max(c0 + 1, Int(((n.start + n.duration - t0) * cpq - 1e-9).rounded(.up))), layout.totalCells)
      for c in (c0 + 1)..<max(c1, c0 + 1) { grid[highNote - n.pitch][c] = "═" }
    }
    for (_, n) in sorted { grid[highNote - n.pitch][cell(n.start)] = "╞" }

    var out = [String]()
    for s in 0..<layout.systems {
      let first = s * layout.perSystem
      let count = min(layout.perSystem, layout.totalCells - first)
      let last = s == layout.systems - 1
      var canvas = TextCanvas(width: width, height: rows + (last ? 3 : 2))
      for p in lowNote...highNote {
        let r = highNote - p
        canvas.put(NoteNames.name(p).leftPadded(to: labelWidth), row: r, column: 0)
        canvas[r, axis] = p % 12 == 0 ? "┤" : "│"
        for c in 0..<count { canvas[r, origin + c] = grid[r][first + c] }
      }
      canvas[rows, axis] = "└"
      for c in 0..<count {
        let g = first + c
        canvas[rows, origin + c] = g % layout.tickCells == 0 ? "┬" : "─"
        if g % (layout.tickCells * labelEvery) == 0 {
          canvas.put(NumberFormat.short(t0 + Double(g) / cpq), row: rows + 1, column: origin + c)
        }
      }
      if last {
        canvas.put(chart.xLabel.centered(in: max(count, chart.xLabel.count)), row: rows + 2, column: origin)
      }
      out.append((s == 0 ? chart.title.clipped(to: width) + "\n" : "") + canvas.render())
    }
    return out.joined(separator: "\n\n")
  }

  static func svg(_ chart: Chart, _ input: [RollNote], width: Int, height: Int) -> String {
    let notes = cleaned(input)
    guard let low = notes.map(\.pitch).min(), let high = notes.map(\.pitch).max() else {
      return SVG.text(
        chart.title, x: 10, y: 20, anchor: "start", extra: "font-size=\"16\" font-weight=\"bold\"")
        + SVG.text("(no notes)", x: Double(width) / 2, y: Double(height) / 2, anchor: "middle")
    }
    // One semitone of padding above and below.
    let lo = min(low, chart.pitchRange?.lowerBound ?? low) - 1
    let hi = max(high, chart.pitchRange?.upperBound ?? high) + 1
    let (t0, end) = span(notes)
    let t1 = max(end, chart.rollEnd ?? end)
    let f = Frame(
      left: 56, top: 34, right: Double(width) - 20, bottom: Double(height) - 42,
      xlo: t0, xhi: t1, ylo: Double(lo), yhi: Double(hi + 1))
    let rowH = (f.bottom - f.top) / Double(hi - lo + 1)
    var out = ""
    for p in lo...hi {
      let y = f.y(Double(p + 1))
      if NoteNames.isBlackKey(p) { out += SVG.rect(f.left, y, f.right - f.left, rowH, fill: "#f0f0f0") }
      if p % 12 == 0 { out += SVG.line(f.left, y + rowH, f.right, y + rowH, stroke: "#d0d0d0") }
      if rowH >= 9 || p % 12 == 0 {
        let size = rowH >= 9 ? min(12, rowH * 0.9) : 10
        out += SVG.text(
          NoteNames.name(p), x: f.left - 6, y: y + rowH / 2 + size * 0.35, anchor: "end",
          extra: "font-size=\"\(SVG.n(size))\"")
      }
    }
    // A line at every bar (up to 200 bars), labels thinned to at most ~12 (Double arithmetic: any finite length).
    let bars = ((t1 - t0) / 4).rounded(.up)
    let every = max(1, (bars / 12).rounded(.up))
    let stepBars = bars <= 200 ? 1 : every
    for k in 0...Int(min(bars / stepBars, 250)) {
      let b = Double(k) * stepBars
      let q = t0 + b * 4
      if q > t1 + 1e-9 { break }
      let labelled = b.truncatingRemainder(dividingBy: every) == 0
      out += SVG.line(f.x(q), f.top, f.x(q), f.bottom + (labelled ? 5 : 0), stroke: labelled ? "#bbbbbb" : "#dddddd")
      if labelled { out += SVG.text(NumberFormat.short(q), x: f.x(q), y: f.bottom + 18, anchor: "middle") }
    }
    out += f.decorations(title: chart.title, xLabel: chart.xLabel, yLabel: "", height: height)
    for n in notes.sorted(by: { ($0.start, $0.pitch) < ($1.start, $1.pitch) }) {
      let x = f.x(n.start)
      let w = max(f.x(n.start + n.duration) - x, 1.5)
      out += SVG.rect(
        x, f.y(Double(n.pitch + 1)) + 0.5, w, rowH - 1, fill: "#1f77b4",
        extra: "stroke=\"#0b3d66\" stroke-width=\"0.8\" rx=\"1.5\"")
    }
    return out
  }
}
