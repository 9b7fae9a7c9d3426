import ArgumentParser

@main
struct Spoor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Spoor: a cryptocurrency tracing engine (payment data only).",
        subcommands: [ImportCommand.self, StatusCommand.self, ShowCommand.self, ClusterCommand.self, TagCommand.self, TraceCommand.self, ExposureCommand.self, ScreenCommand.self, PaymentsCommand.self, PriceCommand.self, CaseCommand.self, RequestCommand.self, ResponseCommand.self, AuditCommand.self, ReportCommand.self, KeysCommand.self, ExportCommand.self, SynthCommand.self, BenchCommand.self])
}
