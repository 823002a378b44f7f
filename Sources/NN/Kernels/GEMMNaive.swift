/// Matrix products on row-major `Float` buffers.
///
/// `C[M,N] = alpha * op(A)[M,K] · op(B)[K,N] + beta * C`, where `op(A)` is `A` (stored `[M, lda]`)
/// or `Aᵀ` when `transA` (A stored `[K, lda]`); likewise for `B`. Leading dimensions are in elements.
/// When `beta == 0`, `C` is overwritten (never read).
public enum GEMM {
  /// Reference implementation: triple loop, accumulation in `k` order. The test oracle for `sgemm`.
  public static func naive(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var s: Float = 0
        for p in 0..<k {
          let av = transA ? a[p * lda + i] : a[i * lda + p]
          let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
          s += av * bv
        }
        let old: Float = beta == 0 ? 0 : beta * c[i * ldc + j]
        c[i * ldc + j] = alpha * s + old
      }
    }
  }
}
