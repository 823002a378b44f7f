import Testing
@testable import NN

@Suite struct TeamScheduleTests {
  /// Runs `segments` segments where a step takes `cost(members)` and returns the members chosen.
  static func run(_ s: inout TeamSchedule, _ segments: Int, cost: (Int) -> Double) -> [Int] {
    (0..<segments).map { _ in
      let k = s.next()
      s.record(members: k, perStep: cost(k))
      return k
    }
  }

  @Test func aloneWhenOnlyOneIsAllowed() {
    var s = TeamSchedule(most: 1)
    #expect(Self.run(&s, 10) { _ in 1 } == Array(repeating: 1, count: 10))
  }

  @Test func measuresBothThenMostlyRunsTheFasterWay() {
    var s = TeamSchedule(most: 2)
    let quiet = Self.run(&s, 200) { $0 == 2 ? 27e-6 : 45e-6 }
    #expect(Array(quiet.prefix(6)) == [2, 1, 2, 2, 2, 2])
    let solo = quiet.filter { $0 == 1 }.count
    #expect(solo >= 2 && solo <= 7, "probes alone: \(solo)")  // probes get rarer: 4, 8, 16, ... segments apart
    // Another process takes a core: the team gets slow, the schedule goes alone and keeps
    // checking the team now and then.
    let busy = Self.run(&s, 200) { $0 == 2 ? 90e-6 : 55e-6 }
    #expect(busy.prefix(3).contains(1))
    #expect(busy.suffix(150).filter { $0 == 2 }.count <= 8)
    // Quiet again: back on the team.
    let again = Self.run(&s, 300) { $0 == 2 ? 27e-6 : 45e-6 }
    #expect(again.suffix(100).filter { $0 == 2 }.count >= 95)
  }
}
