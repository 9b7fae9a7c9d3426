import ChainSynth
import Foundation
import Testing

/// The generator is part of the evidence trail of the tests and the demo: the same parameters
/// must give the same bytes across versions, so the oracle-checked fixture and `samples/` stay valid.
struct SynthReproducibilityTests {
    @Test func regeneratesTheOracleCheckedFixtureByteForByte() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("synth-repro-\(UUID().uuidString)")
        var config = SynthConfig()
        config.blocks = 130
        config.txPerBlock = 25
        config.seed = 3
        config.staleBlocks = 2
        _ = try ChainSynthesizer.generate(config, to: out)
        let generated = try Data(contentsOf: out.appendingPathComponent("blocks/blk00000.dat"))
        let fixture = try Data(contentsOf: URL(fileURLWithPath: Fixture.real(Fixture.synthRegtest + ".dat")))
        #expect(generated == fixture)
        try? FileManager.default.removeItem(at: out)
    }
}
