import Testing

@testable import Plot

@Suite struct NumberFormatTests {
  @Test(arguments: [
    (2.345, 2, "2.35"), (-0.001, 2, "0.00"), (0.05, 1, "0.1"), (-1.25, 1, "-1.3"), (1234.5, 0, "1235"),
    (0.007, 3, "0.007"), (12, 0, "12"),
  ])
  func fixed(value: Double, decimals: Int, text: String) {
    #expect(NumberFormat.fixed(value, decimals) == text)
  }

  @Test func shortForm() {
    #expect(NumberFormat.short(3) == "3")
    #expect(NumberFormat.short(0.25) == "0.25")
    #expect(NumberFormat.short(1.0 / 3) == "0.333")
    #expect(NumberFormat.short(-0.0001) == "0")
    #expect(NumberFormat.short(.infinity) == "inf")
  }

  @Test func niceTicks() {
    let t = Ticks(min: 0.62, max: 3.8, count: 7)
    #expect(t.step == 0.5 && t.lo == 0.5 && t.hi == 4)
    #expect(t.values.map(t.label) == ["0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0"])
    let steps = Ticks(min: 1, max: 1000, count: 5)
    #expect(steps.values == [0, 200, 400, 600, 800, 1000])
    // A flat range is widened so it still has an extent.
    let flat = Ticks(min: 2, max: 2, count: 4)
    #expect(flat.lo < 2 && flat.hi > 2)
  }
}
