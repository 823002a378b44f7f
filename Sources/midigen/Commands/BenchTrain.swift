/// `midigen bench train` (placeholder until its issue lands).
func benchTrain(_ args: [String]) -> Int32 {
  printError("midigen bench: 'train' not yet implemented")
  return 2
}
