import Foundation
import Synchronization

/// A fixed team of threads for loops that synchronize thousands of times per call (the GRU's time
/// steps), where waking pool threads for every step (`Parallel.forEach`, ~10–20 µs) would cost more
/// than the step's work.
///
/// `run(members:)` calls `body(member)` on `members` threads at once (member 0 is the caller) and
/// returns when all have finished; inside, `member.barrier()` waits until every member has reached
/// it. Jobs from several threads run one after another (a one-member job runs inline at once).
/// Waiting threads (idle workers, members at a barrier, the caller at the end of a job) spin for a
/// while, then sleep on a condition variable, so an idle team costs nothing and a machine shared
/// with other work (more runnable threads than cores) does not burn its time slices spinning. Work must be partitioned by `member` into disjoint outputs computed in a fixed order, so
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

  /// Checks before an idle worker sleeps (about a millisecond) and before a member waiting at a
  /// barrier or the end of a job sleeps (a millisecond or more, far longer than the usual imbalance
  /// between members: sleeping and waking costs tens of microseconds, and a GRU step has one barrier).
  private static let idleSpins = 200_000
  private static let barrierSpins = 1_000_000

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
      launched.store((gen + 1) << 16 | members, ordering: .sequentiallyConsistent)
      notify()
      escaped(Member(index: 0, count: members, team: self))
      wait(spins: Team.barrierSpins) { finished.load(ordering: .sequentiallyConsistent) >= members - 1 }
      self.body = nil
    }
  }

  private func barrier(_ n: Int) {
    let gen = released.load(ordering: .acquiring)
    if arrived.add(1, ordering: .acquiringAndReleasing).newValue == n {
      arrived.store(0, ordering: .relaxed)
      released.add(1, ordering: .sequentiallyConsistent)
      notify()
    } else {
      wait(spins: Team.barrierSpins) { released.load(ordering: .sequentiallyConsistent) != gen }
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
      let last = seen
      wait(spins: Team.idleSpins) { launched.load(ordering: .sequentiallyConsistent) != last }
      seen = launched.load(ordering: .acquiring)
      if index < seen & 0xFFFF {
        callBody(index, of: seen & 0xFFFF)  // drops its reference to the job before reporting it finished
        finished.add(1, ordering: .sequentiallyConsistent)
        notify()
      }
    }
  }

  @inline(never)
  private func callBody(_ member: Int, of count: Int) { body?(Member(index: member, count: count, team: self)) }

  /// Returns once `done()` holds: checks it `spins` times, then sleeps until a `notify()`.
  /// Whoever makes `done()` true must change the state with a sequentially consistent store and then
  /// call `notify()`: either this sees the change, or that sees this sleeper and wakes it under the lock.
  @inline(__always)
  private func wait(spins: Int, until done: () -> Bool) {
    var n = 0
    while !done() {
      n += 1
      if n < spins { continue }
      wake.lock()
      sleepers.add(1, ordering: .sequentiallyConsistent)
      while !done() { wake.wait() }
      sleepers.subtract(1, ordering: .sequentiallyConsistent)
      wake.unlock()
      return
    }
  }

  /// Wakes every sleeping waiter (cheap when none sleeps).
  @inline(__always)
  private func notify() {
    if sleepers.load(ordering: .sequentiallyConsistent) > 0 { wake.lock(); wake.broadcast(); wake.unlock() }
  }
}
