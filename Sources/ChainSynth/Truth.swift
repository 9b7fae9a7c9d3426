import Foundation

/// The streaming ground-truth files under `truth/`.
final class TruthFiles {
    let directory: String
    let entities: OutputFile
    let addresses: OutputFile
    let payments: OutputFile
    let coinjoins: OutputFile
    let payjoins: OutputFile
    let peelChains: OutputFile
    let staleBlocks: OutputFile

    init(directory: String) throws(SynthError) {
        self.directory = directory
        entities = try OutputFile(path: directory + "/entities.csv")
        addresses = try OutputFile(path: directory + "/addresses.csv")
        payments = try OutputFile(path: directory + "/payments.ndjson")
        coinjoins = try OutputFile(path: directory + "/coinjoins.csv")
        payjoins = try OutputFile(path: directory + "/payjoins.csv")
        peelChains = try OutputFile(path: directory + "/peel_chains.csv")
        staleBlocks = try OutputFile(path: directory + "/stale_blocks.csv")
        try entities.write("entity_id,kind,label\n")
        try addresses.write("address,entity_id,kind,type,role\n")
        try coinjoins.write("txid,kind\n")
        try payjoins.write("txid\n")
        try peelChains.write("txid,chain,step,entity_id\n")
        try staleBlocks.write("hash,height\n")
    }

    func close() throws(SynthError) {
        for f in [entities, addresses, payments, coinjoins, payjoins, peelChains, staleBlocks] { try f.close() }
    }
}

/// CSV field quoting (labels are ours, but stay safe).
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}
