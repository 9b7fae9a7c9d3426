import ArgumentParser

/// Commands that live in their own files and are registered here.
let extraCommands: [ParsableCommand.Type] = [SynthCommand.self]
