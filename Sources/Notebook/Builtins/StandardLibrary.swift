/// The built-ins of the language and the restorers of their objects for sessions.
public struct StandardLibrary {
  public var builtins: [Builtin]
  public var restorers: [String: ObjectRestorer]

  public init() {
    builtins = [CoreBuiltins.seed, CoreBuiltins.print, CoreBuiltins.help]
    restorers = [:]
  }
}

extension StandardLibrary {
  /// Every built-in, with the library-backed ones (datasets, models, melodies, charts).
  public static func full() -> StandardLibrary {
    StandardLibrary()
  }
}
