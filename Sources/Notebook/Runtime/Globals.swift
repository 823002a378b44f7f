import Foundation

/// The session's global variables, in slots: the resolver turns each global name into a slot index once
/// per cell, so running code reads and writes `base[slot]` without hashing names.
///
/// The buffer has a fixed capacity and is never moved, so running code may keep its address; a slot, once
/// given to a name, keeps it for the session's lifetime (`nil` = unbound).
public final class Globals {
  /// Distinguishes sessions (a function compiled for one session's slots is compiled again for another).
  let id: Int
  /// Distinct global names a session can hold.
  public static let capacity = 1 << 16
  let base: UnsafeMutablePointer<Value?>
  private(set) var names: [String] = []
  private(set) var index: [String: Int] = [:]

  init() {
    base = .allocate(capacity: Globals.capacity)
    id = Globals.counter.next()
  }

  static let counter = Counter()

  final class Counter: @unchecked Sendable {
    let lock = NSLock()
    var value = 0
    func next() -> Int {
      lock.lock()
      defer { lock.unlock() }
      value += 1
      return value
    }
  }

  deinit {
    base.deinitialize(count: names.count)
    base.deallocate()
  }

  /// The slot of `name`, made (unbound) if new; nil when the session holds `capacity` names already.
  func slot(_ name: String) -> Int? {
    if let s = index[name] { return s }
    guard names.count < Globals.capacity else { return nil }
    let s = names.count
    (base + s).initialize(to: nil)
    names.append(name)
    index[name] = s
    return s
  }

  public subscript(name: String) -> Value? {
    get { index[name].flatMap { base[$0] } }
    set {
      if let s = newValue == nil ? index[name] : slot(name) { base[s] = newValue }
    }
  }

  /// The bound variables by name.
  public var dictionary: [String: Value] {
    var d: [String: Value] = [:]
    for (k, name) in names.enumerated() { if let v = base[k] { d[name] = v } }
    return d
  }
}

extension Session {
  /// The session's variables by name (a view of `globals`; assigning replaces them all).
  public var variables: [String: Value] {
    get { globals.dictionary }
    set {
      for (k, name) in globals.names.enumerated() where newValue[name] == nil { globals.base[k] = nil }
      for (name, v) in newValue { globals[name] = v }
    }
  }
}
