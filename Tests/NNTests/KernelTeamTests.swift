import Foundation
import Testing
@testable import NN

/// The thread team behind the GRU's time steps: every member runs, barriers order the phases, and
/// jobs from several threads at once do not mix.
@Suite struct KernelTeamTests {
  /// Each member writes its slot, meets the others, then reads everybody's slot of that round;
  /// a missing or early barrier shows up as a stale value.
  @Test(arguments: [1, 2, 3, 4])
  func barriersOrderRounds(members: Int) {
    let rounds = 500
    let slots = UnsafeMutablePointer<Int>.allocate(capacity: members)
    slots.initialize(repeating: -1, count: members)
    let seen = UnsafeMutablePointer<Int>.allocate(capacity: members)
    seen.initialize(repeating: 0, count: members)
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: members)
    counts.initialize(repeating: 0, count: members)
    defer { slots.deallocate(); seen.deallocate(); counts.deallocate() }
    Team.shared.run(members: members) { m in
      counts[m.index] = m.count
      for r in 0..<rounds {
        slots[m.index] = r
        m.barrier()
        var ok = 0
        for j in 0..<members where slots[j] == r { ok += 1 }
        if ok == members { seen[m.index] += 1 }
        m.barrier()
      }
    }
    for j in 0..<members {
      #expect(counts[j] == members)
      #expect(seen[j] == rounds, "member \(j) saw \(seen[j]) of \(rounds) rounds complete")
    }
  }

  /// Jobs started from several threads at once each see exactly their own members.
  @Test func concurrentCallersAreSerialized() {
    let callers = 4, jobs = 50
    let totals = UnsafeMutablePointer<Int>.allocate(capacity: callers)
    totals.initialize(repeating: 0, count: callers)
    defer { totals.deallocate() }
    Parallel.forEach(callers, threads: callers) { c in
      for _ in 0..<jobs {
        let members = 1 + c % 3
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: members)
        hits.initialize(repeating: 0, count: members)
        Team.shared.run(members: members) { m in
          hits[m.index] += 1
          m.barrier()
          m.barrier()
        }
        var sum = 0
        for j in 0..<members { sum += hits[j] }
        hits.deallocate()
        totals[c] += sum == members ? 1 : 0
      }
    }
    for c in 0..<callers { #expect(totals[c] == jobs) }
  }
}
