/// `midigen bench sample` (placeholder until its issue lands).
func benchSample(_ args: [String]) -> Int32 {
  printError("midigen bench: 'sample' not yet implemented")
  return 2
}
