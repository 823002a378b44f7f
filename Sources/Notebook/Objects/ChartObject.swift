import Plot

/// A chart value: shown as its text rendering (fits 80 columns); `save(chart, "x.svg")` writes the SVG.
public final class ChartObject: PersistableObject {
  public let title: String
  public let text: String
  public let svg: String

  /// `height`: plot rows of a line chart's text (see `Chart.text`).
  public init(_ chart: Chart, height: Int = 15) {
    title = chart.title
    text = chart.text(height: height)
    svg = chart.svg()
  }

  init(title: String, text: String, svg: String) {
    self.title = title
    self.text = text
    self.svg = svg
  }

  public var typeName: String { "chart" }
  public var display: String { text }
  public var memberNames: [String] { ["title", "text", "svg"] }

  public func member(_ name: String) -> Value? {
    switch name {
    case "title": return .string(title)
    case "text": return .string(text)
    case "svg": return .string(svg)
    default: return nil
    }
  }

  public func persist(into dir: String, stem: String) throws -> [String: String] {
    ["title": title, "text": text, "svg": svg]
  }

  static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    ChartObject(title: fields["title"] ?? "", text: fields["text"] ?? "", svg: fields["svg"] ?? "")
  }
}
