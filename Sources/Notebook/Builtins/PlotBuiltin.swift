import Melody
import NN
import Plot

/// `plot(model | history | melody | dataset)`.
enum PlotBuiltin {
  static var builtin: Builtin {
    Builtin(
      "plot", usage: "plot(model | melody | dataset)",
      summary: "charts: losses (model), piano roll (melody), tokens (dataset)",
      details: ["Shown as text in outputs; save(plot(x), \"x.svg\") writes the same chart as SVG."],
      labels: ["title"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a model, melody or dataset")
      let title = try call.optionalString("title")
      guard case .object(let o) = a.value else {
        throw Diagnostic("plot() draws a model, melody or dataset, got \(a.value.aTypeName)", at: a.range)
      }
      switch o {
      case let m as ModelObject: return .object(ChartObject(loss(m.net.history, title: title ?? "loss")))
      case let h as HistoryObject: return .object(ChartObject(loss(h.history, title: title ?? "loss")))
      case let m as MelodyObject:
        let notes = m.notes.map { RollNote(pitch: $0.pitch, start: $0.start, duration: $0.duration) }
        return .object(ChartObject(PianoRoll.make(title: title ?? m.name, notes: notes)))
      case let d as DatasetObject: return .object(ChartObject(dataset(d, title: title ?? d.path)))
      default:
        throw Diagnostic("plot() draws a model, melody or dataset, got \(o.aTypeName)", at: a.range)
      }
    }
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
