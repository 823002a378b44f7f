import Foundation

/// `midigen status` (placeholder until its issue lands).
func statusCommand(_ args: [String]) -> Int32 {
  FileHandle.standardError.write("midigen status: not yet implemented\n".data(using: .utf8)!)
  return 2
}
