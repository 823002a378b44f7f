import Foundation

/// `midigen export` (placeholder until its issue lands).
func exportCommand(_ args: [String]) -> Int32 {
  FileHandle.standardError.write("midigen export: not yet implemented\n".data(using: .utf8)!)
  return 2
}
