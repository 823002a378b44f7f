/// The common call `f(a, b)`: a global user function, compiled for this session, called with exactly its
/// positional parameters (no labels, no defaults to fill in). Does what `Interpreter.callUser` and
/// `invoke` do (same order: frame, arguments in the caller's frame, interrupt poll, depth and stack checks,
/// body), in one function and without reference counting, since recursive code spends most of its time here.

extension CompiledFunction {
  /// True when a call with `count` positional arguments and no labels binds every parameter, and the code
  /// belongs to the running session's slots.
  @inline(__always)
  func takesExactly(_ count: Int) -> Bool {
    count == positionalCount && defaults.isEmpty
  }
}

/// Ends the lifetime of a frame slot; values without references (numbers, booleans, ranges) need no call.
@inline(__always)
func releaseSlot(_ p: UnsafeMutablePointer<Value?>) {
  switch p.pointee {
  case .none, .some(.nothing), .some(.bool), .some(.int), .some(.float), .some(.range): break
  default: p.deinitialize(count: 1)
  }
}

extension CallNode {
  /// Calls `code` (see the type's comment) in a frame of `Interpreter.withFrame`; nil when the code was
  /// compiled for another session (the general path compiles it again).
  @inline(__always)
  func callDirect(_ ref: Unmanaged<CompiledFunction>, _ e: Env) throws -> Value? {
    try e.run { interp in
      try ref._withUnsafeGuaranteedRef { code in
        guard code.globalsID == interp.globalsID else { return nil }
        let st = interp.state
        return try interp.withFrame(code.frameSize) { locals in
          let args = positionalRefs.refs
          let count = positionalRefs.count
          var k = 0
          while k < count {
            locals[k] = try args[k].with { try $0.eval(e) }
            k += 1
        }
        try interp.checkInterruptOnCall()
        st.pointee.callDepth += 1
        defer { st.pointee.callDepth -= 1 }
        if st.pointee.callDepth > Interpreter.maxCallDepth || StackGuard.isLow(st.pointee.stackLimit) {
          throw interp.tooDeep(code, at: range)
        }
        let frame = Env(interp: interp, globals: e.globals, locals: locals)
        let flow: Flow
        do {
          flow = try runBody(code.body, frame)
        } catch let d as Diagnostic {
          throw d.inside(code)
        }
        guard flow == .returned else { return .nothing }
        let r = code.returnSlot
        let v = (locals + r).move()
        (locals + r).initialize(to: nil)
        return v ?? .nothing
        }
      }
    }
  }
}
