/// `midigen bench gemm` (placeholder until its issue lands).
func benchGemm(_ args: [String]) -> Int32 {
  printError("midigen bench: 'gemm' not yet implemented")
  return 2
}
