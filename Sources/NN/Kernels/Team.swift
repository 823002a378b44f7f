import Foundation
import Synchronization

/// A fixed team of threads for loops that synchronize thousands of times per call (the GRU's time
/// steps), where waking pool threads for every step (`Parallel.forEach`, ~10–20 µs) would cost more
/// than the step's work.
///
/// `run(members:)` calls `body(member)` on `members` threads at once (member 0 is the caller) and
/// returns when all have finished; inside, `member.barrier()` waits until every member has reached
/// it. Jobs from several threads run one after another (a one-member job runs inline at once).
/// Workers spin briefly between jobs and barriers (microseconds), then sleep, so an idle team costs
/// nothing. Work must be partitioned by `member` into disjoint outputs computed in a fixed order, so
/// results do not depend on the number of members.
final class Team: @unchecked Sendable {
  /// The process-wide team (grows to the largest `members` asked for).
  static let shared = Team()

  private let launched = Atomic<Int>(0)     // job generation << 16 | members: changed to start a job
  private let finished = Atomic<Int>(0)     // workers done with the current job
  private let arrived = Atomic<Int>(0)      // members at the current barrier
  private let released = Atomic<Int>(0)     // barrier generation
  private let sleepers = Atomic<Int>(0)
  private let wake = NSCondition()
  private let runLock = NSLock()            // one job at a time
  private var body: ((Member) -> Void)?
  private var workers = 0

  /// Spin iterations before a waiting worker sleeps (about a millisecond).
  private static let spinLimit = 200_000

  /// One member's view of a running job.
  struct Member {
    /// 0 ..< count; member 0 is the thread that called `run`.
    let index: Int
    let count: Int
    fileprivate let team: Team

    /// Waits until all members of this job have called `barrier()` (a no-op for one member).
    func barrier() { if count > 1 { team.barrier(count) } }
  }

  /// Runs `body` on `members` threads concurrently; `members == 1` runs inline.
  func run(members: Int, _ body: (Member) -> Void) {
    if members <= 1 {
      body(Member(index: 0, count: 1, team: self))
      return
    }
    precondition(members < 1 << 16)
    runLock.lock()
    defer { runLock.unlock() }
    while workers < members - 1 { startWorker(index: workers + 1); workers += 1 }
    withoutActuallyEscaping(body) { escaped in
      self.body = escaped
      finished.store(0, ordering: .relaxed)
      arrived.store(0, ordering: .relaxed)
      let gen = launched.load(ordering: .relaxed) >> 16
      // Sequentially consistent with the worker's `sleepers.add` then `launched.load`: either the
      // worker sees the new job or this sees the sleeper (and wakes it under the lock).
      launched.store((gen + 1) << 16 | members, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 { wake.lock(); wake.broadcast(); wake.unlock() }
      escaped(Member(index: 0, count: members, team: self))
      var spins = 0
      while finished.load(ordering: .acquiring) < members - 1 { Team.pause(&spins) }
      self.body = nil
    }
  }

  private func barrier(_ n: Int) {
    let gen = released.load(ordering: .acquiring)
    if arrived.add(1, ordering: .acquiringAndReleasing).newValue == n {
      arrived.store(0, ordering: .relaxed)
      released.add(1, ordering: .releasing)
    } else {
      var spins = 0
      while released.load(ordering: .acquiring) == gen { Team.pause(&spins) }
    }
  }

  private func startWorker(index: Int) {
    let start = launched.load(ordering: .acquiring)
    let thread = Thread { [self] in self.workerLoop(index: index, seen: start) }
    thread.name = "midigen.team.\(index)"
    thread.stackSize = 1 << 20
    thread.start()
  }

  private func workerLoop(index: Int, seen start: Int) {
    var seen = start
    while true {
      var spins = 0
      while launched.load(ordering: .acquiring) == seen {
        spins += 1
        if spins < Team.spinLimit { continue }
        wake.lock()
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while launched.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
        sleepers.subtract(1, ordering: .acquiringAndReleasing)
        wake.unlock()
      }
      seen = launched.load(ordering: .acquiring)
      if index < seen & 0xFFFF {
        callBody(index, of: seen & 0xFFFF)  // drops its reference to the job before reporting it finished
        finished.add(1, ordering: .releasing)
      }
    }
  }

  @inline(never)
  private func callBody(_ member: Int, of count: Int) { body?(Member(index: member, count: count, team: self)) }

  /// Busy-wait step: yields the CPU now and then so a descheduled member can run.
  @inline(__always)
  private static func pause(_ spins: inout Int) {
    spins += 1
    if spins & 1023 == 0 { sched_yield() }
  }
}
