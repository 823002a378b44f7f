// swift-tools-version:6.0
import PackageDescription

// Release builds must use the machine's SIMD units (AVX2 + FMA on x86_64).
#if arch(x86_64)
let simdFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let simdFlags: [SwiftSetting] = []
#endif

// NN is built with -O, not -Ounchecked: `midigen bench train` and `bench sample` measured no gain from
// -Ounchecked (train 8261/8516 ms/step with it, 7566/7275 without; sample 181/151 ms per melody with it,
// 226/133 without; 2-core machine under load), and it turned wrapped sizes into heap overflows. Sizes from
// input are also checked at the API boundary (`MemoryBudget`, `GRUNet(checked:)`, checkpoint validation).
let optimized: [SwiftSetting] = simdFlags + [.unsafeFlags(["-wmo"], .when(configuration: .release))]

let package = Package(
  name: "midigen",
  products: [
    .executable(name: "midigen", targets: ["midigen"]),
  ],
  targets: [
    .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
    .target(name: "Files"),
    .target(name: "MIDI", dependencies: ["Files"], swiftSettings: simdFlags),
    .target(name: "Melody", dependencies: ["MIDI", "Files"], swiftSettings: simdFlags),
    .target(name: "NN", dependencies: ["Files"], swiftSettings: optimized),
    .target(name: "Plot", swiftSettings: simdFlags),
    .target(name: "Sound", dependencies: ["Files"], swiftSettings: simdFlags),
    .target(
      name: "Notebook",
      dependencies: ["Files", "MIDI", "Melody", "NN", "Plot", "Sound"],
      swiftSettings: simdFlags),
    .executableTarget(
      name: "midigen",
      dependencies: ["Files", "MIDI", "Melody", "NN", "Plot", "Sound", "Notebook", "CReadline"],
      swiftSettings: simdFlags),
    .testTarget(name: "FilesTests", dependencies: ["Files"]),
    .testTarget(name: "MIDITests", dependencies: ["MIDI", "Files"], swiftSettings: simdFlags),
    .testTarget(
      name: "MelodyTests", dependencies: ["Melody", "MIDI", "Files"], exclude: ["NormalOrder.txt"],
      swiftSettings: simdFlags),
    .testTarget(name: "NNTests", dependencies: ["NN"], swiftSettings: simdFlags),
    .testTarget(name: "PlotTests", dependencies: ["Plot"], swiftSettings: simdFlags),
    .testTarget(name: "SoundTests", dependencies: ["Sound", "Files"], swiftSettings: simdFlags),
    .testTarget(
      name: "NotebookTests",
      dependencies: ["Notebook", "Melody", "NN", "MIDI"],
      resources: [.copy("Golden")],
      swiftSettings: simdFlags),
  ]
)
