extension GEMM {
  /// Fast path. Same contract (and the same results, up to floating-point rounding) as `naive`.
  ///
  /// - `m == 1` or `n == 1`: a matrix–vector product (`GEMV`), split across threads when large.
  /// - otherwise: packed, cache-blocked 6×16 SIMD micro-kernels on `Parallel.threads` threads
  ///   (`GEMMBlocked`). K is never split across threads: results are bit-identical for any thread
  ///   count (though not necessarily equal bit for bit to `naive`, whose summation order differs).
  /// - `alpha == 0` or `k == 0`: `C = beta·C` (`C = 0` when `beta == 0`; C is not read).
  /// For a B reused across many calls (a recurrent weight), see `PackedMatrix`.
  /// Safe to call concurrently from several threads on disjoint outputs.
  public static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    sgemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
      beta: beta, c: c, ldc: ldc, threads: Parallel.threads)
  }

  /// `sgemm` on an explicit number of threads (tests and benchmarks).
  static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
  ) {
    if m <= 0 || n <= 0 { return }
    if k <= 0 || alpha == 0 {
      for i in 0..<m {
        let row = c + i * ldc
        for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
      }
      return
    }
    if m == 1 {
      // y[1,n] = x[1,k] · op(B): x is row 0 of op(A).
      withContiguous(a, stride: transA ? lda : 1, count: k) { x in
        if transB {
          GEMV.dotRows(rows: n, k: k, m: b, ldm: ldb, x: x, alpha: alpha, beta: beta, y: c, incy: 1,
            threads: threads)
        } else {
          GEMV.axpyRows(cols: n, k: k, m: b, ldm: ldb, x: x, alpha: alpha, beta: beta, y: c, incy: 1,
            threads: threads)
        }
      }
      return
    }
    if n == 1 {
      // y[m,1] = op(A) · x[k,1]: x is column 0 of op(B); y is column 0 of C (stride ldc).
      withContiguous(b, stride: transB ? 1 : ldb, count: k) { x in
        if transA {
          GEMV.axpyRows(cols: m, k: k, m: a, ldm: lda, x: x, alpha: alpha, beta: beta, y: c, incy: ldc,
            threads: threads)
        } else {
          GEMV.dotRows(rows: m, k: k, m: a, ldm: lda, x: x, alpha: alpha, beta: beta, y: c, incy: ldc,
            threads: threads)
        }
      }
      return
    }
    GEMMBlocked.run(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threads)
  }

  /// `C[m,n] = alpha · op(A)[m,k] · B[k,n] + beta · C` with B prepacked (`k = packedB.k`,
  /// `n = packedB.n`). Same results as `sgemm` on the unpacked B (bit for bit, for any m: an m = 1
  /// product runs the micro-kernel's per-element arithmetic too), without packing B per call.
  public static func sgemm(
    transA: Bool, m: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    packedB: PackedMatrix, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    sgemm(
      transA: transA, m: m, alpha: alpha, a: a, lda: lda, packedB: packedB, beta: beta, c: c, ldc: ldc,
      threads: Parallel.threads)
  }

  static func sgemm(
    transA: Bool, m: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    packedB: PackedMatrix, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
  ) {
    let n = packedB.n, k = packedB.k
    if m <= 0 { return }
    if alpha == 0 {
      sgemm(
        transA: transA, transB: false, m: m, n: n, k: 0, alpha: alpha, a: a, lda: lda, b: packedB.base,
        ldb: n, beta: beta, c: c, ldc: ldc, threads: threads)
      return
    }
    if m == 1 {
      withContiguous(a, stride: transA ? lda : 1, count: k) { x in
        GEMV.packedRow(x: x, packed: packedB, alpha: alpha, beta: beta, y: c, threads: threads)
      }
      return
    }
    GEMMBlocked.run(
      transA: transA, transB: false, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: packedB.base,
      ldb: n, beta: beta, c: c, ldc: ldc, threads: threads, packed: packedB)
  }

  /// Calls `body` with `count` values `v[i·stride]` as one contiguous buffer (no copy if stride 1).
  @inline(__always)
  static func withContiguous(
    _ v: UnsafePointer<Float>, stride: Int, count: Int, _ body: (UnsafePointer<Float>) -> Void
  ) {
    if stride == 1 || count <= 1 {
      body(v)
      return
    }
    Scratch.withFloats(count) { buf in
      for i in 0..<count { buf[i] = v[i * stride] }
      body(UnsafePointer(buf))
    }
  }
}
