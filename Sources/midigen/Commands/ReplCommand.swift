import Foundation

/// `midigen repl` (placeholder until its issue lands).
func replCommand(_ args: [String]) -> Int32 {
  FileHandle.standardError.write("midigen repl: not yet implemented\n".data(using: .utf8)!)
  return 2
}
