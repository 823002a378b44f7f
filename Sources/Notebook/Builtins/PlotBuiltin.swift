import Melody
import NN
import Plot

/// `plot(model | history | melody | dataset)`, and `plot([models])` / `plot([melodies])`.
enum PlotBuiltin {
  static var builtin: Builtin {
    Builtin(
      "plot", usage: "plot(model | melody | dataset | [models] | [melodies], title: …, labels: [...],\n"
        + "     side_by_side: false)",
      summary: "charts: losses (model), piano roll (melody), tokens (dataset)",
      details: [
        "Shown as text in outputs; save(plot(x), \"x.svg\") writes the same chart as SVG.",
        "A list of models (or histories) overlays their loss curves, train and",
        "valid, in one chart; a list of melodies stacks their piano rolls.",
        "side_by_side: true draws the rolls in a row, on one pitch range and time",
        "  span (three fit in 80 columns)",
        "labels: names for the list's items (default: the names of the variables",
        "  holding them, else their own names)",
        "title: the chart's title (default: \"loss\", the melody's or the dataset's name)",
      ],
      labels: ["title", "labels", "side_by_side"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a model, melody or dataset")
      let title = try call.optionalString("title")
      if case .list(let items) = a.value { return .object(try list(items, a.range, call, title: title)) }
      for label in ["labels", "side_by_side"] {
        if let l = call.labelled[label] {
          throw Diagnostic("\(label): applies to a list (plot([a, b], \(label): …))", at: l.range)
        }
      }
      guard case .object(let o) = a.value else {
        throw Diagnostic("plot() draws a model, melody or dataset, got \(a.value.aTypeName)", at: a.range)
      }
      switch o {
      case let m as ModelObject: return .object(ChartObject(loss(m.net.history, title: title ?? "loss")))
      case let h as HistoryObject: return .object(ChartObject(loss(h.history, title: title ?? "loss")))
      case let m as MelodyObject: return .object(ChartObject(roll(m, title: title ?? m.name)))
      case let d as DatasetObject: return .object(ChartObject(dataset(d, title: title ?? d.path)))
      default:
        throw Diagnostic("plot() draws a model, melody or dataset, got \(o.aTypeName)", at: a.range)
      }
    }
  }

  static func roll(_ m: MelodyObject, title: String) -> Chart {
    let notes = m.notes.map { RollNote(pitch: $0.pitch, start: $0.start, duration: $0.duration) }
    return PianoRoll.make(title: title, notes: notes)
  }

  /// `plot([...])`: models' (or histories') loss curves overlaid, or melodies' piano rolls stacked.
  static func list(_ items: [Value], _ range: SourceRange, _ call: Call, title: String?) throws -> ChartObject {
    guard !items.isEmpty else { throw Diagnostic("plot() of an empty list", at: range) }
    var histories: [TrainingHistory] = []
    var melodies: [MelodyObject] = []
    for (k, v) in items.enumerated() {
      switch v {
      case .object(let m as ModelObject): histories.append(m.net.history)
      case .object(let h as HistoryObject): histories.append(h.history)
      case .object(let m as MelodyObject): melodies.append(m)
      default:
        throw Diagnostic("plot() of a list draws models or melodies; item \(k) is \(v.aTypeName)", at: range)
      }
    }
    guard histories.isEmpty || melodies.isEmpty else {
      throw Diagnostic("plot() of a list draws models or melodies, not both", at: range)
    }
    let names = try labels(items, call) { k in
      if case .object(let m as MelodyObject) = items[k] { return m.name }
      return items.count == 1 ? "model" : "model \(k + 1)"
    }
    let beside = try call.bool("side_by_side", default: false)
    if !melodies.isEmpty {
      let rolls = zip(melodies, names).map { roll($0, title: $1) }
      return ChartObject(beside ? Chart.beside(rolls, title: title ?? "") : Chart.stack(rolls, title: title ?? ""))
    }
    if beside, let l = call.labelled["side_by_side"] {
      throw Diagnostic("side_by_side: applies to melodies; loss curves share one chart", at: l.range)
    }
    // Taller than one model's chart: several curves share it.
    return ChartObject(overlay(histories, names: names, title: title ?? "loss"), height: 21)
  }

  /// The legend names of a list's items: `labels:` (one string per item), else the single variable
  /// holding each item (the first by name if several do), else `fallback(k)`.
  static func labels(_ items: [Value], _ call: Call, fallback: (Int) -> String) throws -> [String] {
    if let l = call.labelled["labels"] {
      guard case .list(let given) = l.value else {
        throw Diagnostic("labels must be a list of strings, got \(l.value.aTypeName)", at: l.range)
      }
      guard given.count == items.count else {
        throw Diagnostic("labels has \(given.count) names for \(items.count) items", at: l.range)
      }
      return try given.enumerated().map { k, v in
        guard case .string(let s) = v else { throw Diagnostic("label \(k) is \(v.aTypeName), not a string", at: l.range) }
        return s
      }
    }
    let variables = call.interpreter.session.variables
    return items.enumerated().map { k, v in
      guard case .object(let o) = v else { return fallback(k) }
      let holders = variables.compactMap { name, value -> String? in
        if case .object(let x) = value, x === o { return name }
        return nil
      }
      return holders.min() ?? fallback(k)
    }
  }

  /// Several models' losses in one chart: each model's train curve (the first as the line, the others
  /// as dotted curves) and its validation points.
  static func overlay(_ histories: [TrainingHistory], names: [String], title: String) -> Chart {
    var series: [Series] = []
    for (h, name) in zip(histories, names) {
      series.append(Series(name: name + " train", points: h.train.map { (x: Double($0.step), y: $0.loss) },
                           connected: true))
    }
    for (h, name) in zip(histories, names) where !h.valid.isEmpty {
      series.append(Series(name: name + " valid", points: h.valid.map { (x: Double($0.step), y: $0.loss) }))
    }
    return LineChart.make(title: title, xLabel: "step", yLabel: "loss", series: series)
  }

  static func loss(_ h: TrainingHistory, title: String) -> Chart {
    var series = [Series(name: "train", points: h.train.map { (x: Double($0.step), y: $0.loss) })]
    if !h.valid.isEmpty { series.append(Series(name: "valid", points: h.valid.map { (x: Double($0.step), y: $0.loss) })) }
    if let k = h.kept, let v = h.valid.last(where: { $0.step == k }) {
      series.append(Series(name: "kept (step \(k))", points: [(x: Double(k), y: v.loss)]))
    }
    return LineChart.make(title: title, xLabel: "step", yLabel: "loss", series: series)
  }

  /// The 15 most common tokens, and the distribution of offsets (most common values, by value).
  static func dataset(_ d: DatasetObject, title: String) -> Chart {
    var tokenCounts: [String: Int] = [:]
    var offsetCounts: [Double: Int] = [:]
    for s in d.dataset.songs {
      for e in s.events {
        tokenCounts[e.token, default: 0] += 1
        offsetCounts[e.offset, default: 0] += 1
      }
    }
    let tokens = tokenCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(15)
    let offsets = offsetCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(12).sorted { $0.key < $1.key }
    let tokenChart = BarChart.make(title: "most common tokens", valueLabel: "events",
                                   bars: tokens.map { (label: $0.key, value: Double($0.value)) })
    let offsetChart = BarChart.make(title: "offsets (quarters)", valueLabel: "events",
                                    bars: offsets.map { (label: Format.fixed($0.key, 3), value: Double($0.value)) })
    return Chart.stack([tokenChart, offsetChart], title: title)
  }
}
