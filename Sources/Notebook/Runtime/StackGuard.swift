#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps deep recursion of user functions from overflowing the thread's stack: the interpreter records,
/// once per cell, an address below which the stack is considered exhausted (the thread's stack bottom plus a
/// margin for one function body's evaluation and the built-ins it calls), and each call compares the
/// current stack address with it.
enum StackGuard {
  /// Room kept free below the deepest call: enough for an expression of `Parser.maxDepth` levels and a
  /// built-in's own needs.
  static let margin = 1 << 20

  /// The lowest safe stack address of the current thread (0 when unknown: then only the call-depth limit
  /// applies).
  static func limit() -> UInt {
    #if canImport(Glibc)
    var attr = pthread_attr_t()
    guard getattr_np(pthread_self(), &attr) == 0 else { return 0 }
    defer { pthread_attr_destroy(&attr) }
    var addr: UnsafeMutableRawPointer? = nil
    var size = 0
    guard pthread_attr_getstack(&attr, &addr, &size) == 0, let addr else { return 0 }
    let low = UInt(bitPattern: addr)
    return low + UInt(min(margin, size / 2))
    #elseif canImport(Darwin)
    let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
    let size = pthread_get_stacksize_np(pthread_self())
    return top - UInt(size) + UInt(min(margin, size / 2))
    #else
    return 0
    #endif
  }

  #if canImport(Glibc)
  /// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not export).
  @_silgen_name("pthread_getattr_np")
  static func getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
  #endif

  /// True when the current stack address (of a local of the caller's frame) is below `limit`.
  @inline(__always)
  static func isLow(_ limit: UInt) -> Bool {
    var marker = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } < limit
  }
}
