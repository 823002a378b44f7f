import Foundation

/// `midigen run` (placeholder until its issue lands).
func runCommand(_ args: [String]) -> Int32 {
  FileHandle.standardError.write("midigen run: not yet implemented\n".data(using: .utf8)!)
  return 2
}
