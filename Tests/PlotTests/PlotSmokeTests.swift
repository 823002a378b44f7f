import Testing
@testable import Plot

@Suite struct PlotSmokeTests {
  @Test func moduleLinks() { #expect(Bool(true)) }
}
