/// `midigen bench render` (placeholder until its issue lands).
func benchRender(_ args: [String]) -> Int32 {
  printError("midigen bench: 'render' not yet implemented")
  return 2
}
