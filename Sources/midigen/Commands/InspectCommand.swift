import Foundation

/// `midigen inspect` (placeholder until its issue lands).
func inspectCommand(_ args: [String]) -> Int32 {
  FileHandle.standardError.write("midigen inspect: not yet implemented\n".data(using: .utf8)!)
  return 2
}
