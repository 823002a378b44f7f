/// Thrown when long work stops at a safe point because the user interrupted it (Ctrl-C, SIGTERM, SIGHUP;
/// `ExecutionEnvironment.isCancelled()` turned true).
///
/// A built-in that stops early throws this with the value it reached (`train` returns a model holding the
/// weights of its last finished step): an assignment `x = train(...)` still binds that value, then the
/// statement ends the cell with a located `interrupted` error. Loops and user functions throw it with no
/// value at their next iteration or call. The interpreter turns it into a `Diagnostic` at the statement.
public struct Interrupted: Error {
  /// The value reached before stopping (bound by an assignment), if any.
  public var partial: Value?
  /// What was stopped and what was kept, e.g. "training stopped after 12 of 346 steps".
  public var note: String

  public init(partial: Value? = nil, note: String = "") {
    self.partial = partial
    self.note = note
  }

  /// The message of the diagnostic a cell ends with.
  public var message: String { note.isEmpty ? "interrupted" : "interrupted: \(note)" }
}
