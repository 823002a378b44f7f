import Foundation
import NN
import Testing
@testable import Notebook

/// `plot([models])` overlays loss curves, `plot([melodies])` stacks piano rolls; labels and titles.
@Suite struct PlotBuiltinTests {
  /// A tiny model whose history is a made-up curve: train loss `start / sqrt(step)`, valid every 10 steps.
  static func model(start: Double, valid: Double) throws -> Value {
    let net = GRUNet(config: GRUConfig(vocabSize: 3, hidden: 2, layers: 1, dropout: 0), vocab: ["<PAD>", "C4", "D4"],
                     seed: 1)
    for s in 1...40 { net.history.train.append(LossPoint(step: s, loss: start / Double(s).squareRoot())) }
    for s in stride(from: 10, through: 40, by: 10) {
      net.history.valid.append(LossPoint(step: s, loss: valid + 4 / Double(s)))
    }
    net.history.steps = 40
    return .object(try ModelObject(net))
  }

  static func interpreter() throws -> Interpreter {
    let i = TestSupport.interpreter()
    i.session.variables["base"] = try model(start: 4, valid: 1)
    i.session.variables["smooth"] = try model(start: 5, valid: 1.2)
    i.session.variables["a"] = .object(try MelodyObject(name: "first", tokens: ["C4", "E4", "G4"], offsets: [0, 1, 1]))
    i.session.variables["b"] = .object(try MelodyObject(name: "second", tokens: ["D4", "0.4.7"], offsets: [0, 2]))
    return i
  }

  @Test func overlaysLossCurvesLabelledByVariable() throws {
    let out = TestSupport.run(try Self.interpreter(), "plot([base, smooth])")
    let expected = """
      loss
       loss
       5.0 ┤
           │
       4.5 ┤o
           │
       4.0 ┤╮
           ││o
           ││
       3.5 ┤╰╮o
           │ │
       3.0 ┤ │ o
           │ ╰╮ o
       2.5 ┤  ╰╮ o
           │   ╰╮ oo
       2.0 ┤    ╰─╮ oo
           │      ╰─╮ oooo
           │        ╰──╮  ooo+o
       1.5 ┤           ╰────╮x oooooooo         +                  +                 +
           │                ╰────────╮ oooooooooxooo               x                 x
       1.0 ┤                         ╰──────────────oooooooooooooooooooooooooo
           │                                         ╰────────────────────────oooooooo
       0.5 ┤
           └─────────────────┬──────────────────┬──────────────────┬─────────────────┬
                            10                 20                 30                40
                                               step
       ─ base train  o smooth train  x base valid  + smooth valid
      """
    #expect(out == expected)
  }

  @Test func labelsAndTitle() throws {
    let i = try Self.interpreter()
    let out = TestSupport.run(i, "plot([base, smooth], labels: [\"x\", \"y\"], title: \"two models\")")
    #expect(out.hasPrefix("two models\n"))
    #expect(out.hasSuffix(" ─ x train  o y train  x x valid  + y valid"))
    // A value held by no variable is named by its place; a history works as its model.
    #expect(TestSupport.run(i, "plot([base.history, smooth])").hasSuffix(
      " ─ model 1 train  o smooth train  x model 1 valid  + smooth valid"))
  }

  @Test func stacksPianoRolls() throws {
    let out = TestSupport.run(try Self.interpreter(), "plot([a, b], title: \"both\")")
    let expected = """
      both

      a
        G4 │·       ╞═
       F#4 │·
        F4 │·
        E4 │·   ╞═
       E-4 │·
        D4 │·
       C#4 │·
        C4 ┤╞═
           └┬─────────
            0
             quarters

      b
        G4 │·       ╞═
       F#4 │·
        F4 │·
        E4 │·       ╞═
       E-4 │·
        D4 │╞═
       C#4 │·
        C4 ┤·       ╞═
           └┬─────────
            0
             quarters
      """
    #expect(out == expected)
  }

  @Test(arguments: [
    ("plot([])", "1:6", "plot() of an empty list"),
    ("plot([a, base])", "1:6", "plot() of a list draws models or melodies, not both"),
    ("plot([a, 3])", "1:6", "plot() of a list draws models or melodies; item 1 is an integer"),
    ("plot([a, b], labels: [\"x\"])", "1:22", "labels has 1 names for 2 items"),
    ("plot([a, b], labels: \"x\")", "1:22", "labels must be a list of strings, got a string"),
    ("plot([a, b], labels: [\"x\", 2])", "1:22", "label 1 is an integer, not a string"),
    ("plot(a, labels: [\"x\"])", "1:17", "labels: applies to a list"),
    ("plot(a, side_by_side: true)", "1:23", "side_by_side: applies to a list"),
    ("plot([base], side_by_side: true)", "1:28", "side_by_side: applies to melodies"),
    ("plot([a], side_by_side: 1)", "1:25", "side_by_side must be true or false"),
    ("plot([a], title: 3)", "1:18", "title must be a string, got an integer"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) throws {
    let r = try Self.interpreter().run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }
}
