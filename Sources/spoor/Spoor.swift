import ArgumentParser

@main
struct Spoor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Spoor: cryptocurrency tracing engine")
}
