import Synchronization

/// A process-wide pool of reusable, 64-byte-aligned `Float` scratch buffers for the kernels
/// (packed GEMM panels, gathered GEMV vectors).
///
/// `withFloats` lends a buffer of at least `count` floats for the duration of `body` and takes it
/// back afterwards, so hot loops do not allocate once the pool has warmed up. Safe to call from
/// any thread and re-entrantly (nested calls get different buffers). Buffer contents are
/// unspecified on entry. The pool holds at most as many buffers as were ever lent at once.
enum Scratch {
  private struct Block: @unchecked Sendable {
    var base: UnsafeMutablePointer<Float>
    var capacity: Int
  }

  private static let free = Mutex<[Block]>([])

  /// Lends a buffer of at least `count` floats to `body`.
  @inline(__always)
  static func withFloats<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    var block = acquire(count)
    let result = body(block.base)
    release(&block)
    return result
  }

  private static func acquire(_ count: Int) -> Block {
    let need = max(count, 16)
    let found: Block? = free.withLock { list in
      // Best fit: the smallest block that is large enough; else the largest (to be replaced).
      var best = -1
      for i in list.indices where list[i].capacity >= need {
        if best < 0 || list[i].capacity < list[best].capacity { best = i }
      }
      if best < 0, !list.isEmpty {
        best = list.indices.max(by: { list[$0].capacity < list[$1].capacity }) ?? -1
      }
      return best >= 0 ? list.remove(at: best) : nil
    }
    if let b = found, b.capacity >= need { return b }
    if let b = found { b.base.deallocate() }
    let raw = UnsafeMutableRawPointer.allocate(byteCount: need * 4, alignment: 64)
    return Block(base: raw.bindMemory(to: Float.self, capacity: need), capacity: need)
  }

  private static func release(_ block: inout Block) {
    let b = block
    free.withLock { $0.append(b) }
  }
}
