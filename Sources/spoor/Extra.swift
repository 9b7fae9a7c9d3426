import ArgumentParser
let extraCommands: [ParsableCommand.Type] = []
