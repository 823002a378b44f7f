import Foundation

/// Chooses, segment by segment, whether sampling steps run on the two-member team or on the
/// caller alone.
///
/// On a quiet machine two members step about 1.7x faster than one; but when another process
/// takes a core, a member waits at every barrier for its partner's next time slice and the team
/// becomes several times slower than one thread. So the sampler times every segment of steps and
/// runs the next one the way that has been faster lately, measuring the other way again
/// now and then (after 4, 8, 16, ... up to 256 segments while it keeps losing). Which way runs does
/// not change any result. Measurements are kept per model shape for the whole process, so short
/// calls (a warm-up, a benchmark run) start from what earlier calls learned.
struct TeamSchedule {
  /// Steps per segment.
  static let segment = 32

  /// The largest team allowed (1: always alone).
  let most: Int
  /// Time per step alone and on the team (nil: not measured yet); the way being run is smoothed
  /// over segments (each counts a quarter), so one slow segment does not switch.
  var solo: Double? = nil, team: Double? = nil
  /// Segments to run the faster way before measuring the slower one again, and the next such
  /// interval.
  var untilProbe = 4, interval = 4

  /// The team's balance point last reached (`StepState.leadCut`), carried to the next call.
  var leadCut: Int? = nil

  init(most: Int) { self.most = most }

  /// The faster way as last measured (nil until both are measured).
  var best: Int? {
    guard let s = solo, let t = team else { return nil }
    return t <= s ? most : 1
  }

  /// Members for the next segment.
  mutating func next() -> Int {
    guard most > 1 else { return 1 }
    guard team != nil else { return most }
    guard let best else { return 1 }
    if untilProbe == 0 { return best == 1 ? most : 1 }
    untilProbe -= 1
    return best
  }

  /// Records that a segment on `members` took `perStep` seconds per step.
  mutating func record(members: Int, perStep: Double) {
    guard most > 1 else { return }
    let before = best
    // The way being run is smoothed; a probe replaces the other's (stale) time.
    func update(_ old: Double?) -> Double {
      members == before ? old.map { 0.75 * $0 + 0.25 * perStep } ?? perStep : perStep
    }
    if members > 1 { team = update(team) } else { solo = update(solo) }
    guard let before, let after = best else { return }
    if members != before && untilProbe == 0 {
      // A probe of the slower way: if it is still slower, probe it half as often.
      interval = after == before ? min(interval * 2, 256) : 4
      untilProbe = interval
    } else if after != before {
      // The faster way got slower than the other's last time: run the other, re-check soon.
      interval = 4
      untilProbe = interval
    }
  }

  /// Schedules kept per model shape (hidden, layers, vocabulary, batch).
  private final class Store: @unchecked Sendable {
    let lock = NSLock()
    var schedules: [[Int]: TeamSchedule] = [:]
  }
  private static let store = Store()

  /// The schedule last saved for `key`, or a new one.
  static func load(_ key: [Int], most: Int) -> TeamSchedule {
    store.lock.lock(); defer { store.lock.unlock() }
    if let s = store.schedules[key], s.most == most { return s }
    return TeamSchedule(most: most)
  }

  static func save(_ key: [Int], _ s: TeamSchedule) {
    store.lock.lock(); defer { store.lock.unlock() }
    store.schedules[key] = s
  }
}
