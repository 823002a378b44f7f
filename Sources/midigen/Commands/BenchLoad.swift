/// `midigen bench load` (placeholder until its issue lands).
func benchLoad(_ args: [String]) -> Int32 {
  printError("midigen bench: 'load' not yet implemented")
  return 2
}
