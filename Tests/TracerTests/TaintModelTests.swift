import Testing
@testable import Tracer

// The three taint models on single transactions, every expected value worked out by hand.
// Transaction T: inputs 600 (tainted) and 400 (clean); outputs 700, 250; fee 50.

struct TaintModelTests {
    let inputs: [Int64] = [600, 400]
    let outputs: [Int64] = [700, 250]

    @Test func poisonTaintsEveryOutputInFull() {
        let s = TaintModel.poison.forward(inputs: [Taint.whole(600, model: .poison), nil], inputValues: inputs, outputValues: outputs)
        #expect(s.outputs.map { $0?.amount } == [700, 250])
        #expect(s.fee == 50)
    }

    @Test func haircutSpreadsTheTaintedShare() {
        // Tainted share 600/1000 = 0.6: 700 × 0.6 = 420, 250 × 0.6 = 150, fee 50 × 0.6 = 30.
        let s = TaintModel.haircut.forward(inputs: [Taint(amount: 600), nil], inputValues: inputs, outputValues: outputs)
        #expect(s.outputs.map { $0?.amount } == [420, 150])
        #expect(s.fee == 30)
        // Conservation: 420 + 150 + 30 = 600.
    }

    @Test func fifoFollowsSatoshiPositions() {
        // Inputs laid end to end: [0,600) tainted, [600,1000) clean. Outputs: [0,700) and
        // [700,950); fee [950,1000). Output 0 gets [0,600) = 600; output 1 nothing; fee nothing.
        let s = TaintModel.fifo.forward(inputs: [Taint.whole(600, model: .fifo), nil], inputValues: inputs, outputValues: outputs)
        #expect(s.outputs[0]?.amount == 600 && s.outputs[0]?.ranges == SatRanges([(0, 600)]))
        #expect(s.outputs[1] == nil)
        #expect(s.fee == 0)
        // The clean input first: [0,400) clean, [400,1000) tainted → output 0 gets [400,700) = 300,
        // output 1 all 250, fee [950,1000) = 50.
        let r = TaintModel.fifo.forward(inputs: [nil, Taint.whole(600, model: .fifo)], inputValues: [400, 600], outputValues: outputs)
        #expect(r.outputs[0]?.amount == 300 && r.outputs[0]?.ranges == SatRanges([(400, 700)]))
        #expect(r.outputs[1]?.amount == 250)
        #expect(r.fee == 50)
    }

    @Test func fifoCarriesPartialRangesThroughTheNextTransaction() {
        // A coin of 1000 whose sats [200,500) are tainted, spent with a clean 500 before it:
        // global tainted [700,1000); outputs 800 and 650 → output 0 gets [700,800) = 100,
        // output 1 gets [0,200) = 200 (global [800,1000)); fee 50 clean.
        let t = Taint(amount: 300, ranges: SatRanges([(200, 500)]))
        let s = TaintModel.fifo.forward(inputs: [nil, t], inputValues: [500, 1000], outputValues: [800, 650])
        #expect(s.outputs[0]?.ranges == SatRanges([(700, 800)]))
        #expect(s.outputs[1]?.ranges == SatRanges([(0, 200)]))
        #expect(s.fee == 0)
    }

    @Test func backwardModels() {
        // Where did output 1 (250) come from?
        let whole = Taint.whole(250, model: .fifo)
        // Poison: both inputs, in full.
        #expect(TaintModel.poison.backward(output: 1, interest: whole, inputValues: inputs, outputValues: outputs).map { $0?.amount } == [600, 400])
        // Haircut: 250 × 600/1000 = 150 and 250 × 400/1000 = 100.
        #expect(TaintModel.haircut.backward(output: 1, interest: Taint(amount: 250), inputValues: inputs, outputValues: outputs)
            .map { $0?.amount } == [150, 100])
        // FIFO: output 1 is global [700,950) → all from input 1 (global [600,1000)): local [100,350).
        let f = TaintModel.fifo.backward(output: 1, interest: whole, inputValues: inputs, outputValues: outputs)
        #expect(f[0] == nil)
        #expect(f[1]?.amount == 250 && f[1]?.ranges == SatRanges([(100, 350)]))
        // FIFO: output 0 is global [0,700) → input 0 all 600, input 1 local [0,100).
        let g = TaintModel.fifo.backward(output: 0, interest: Taint.whole(700, model: .fifo), inputValues: inputs, outputValues: outputs)
        #expect(g.map { $0?.amount } == [600, 100])
    }

    @Test func satRanges() {
        var r = SatRanges([(10, 20), (0, 5)])
        r.insert((5, 10))
        #expect(r == SatRanges([(0, 20)]) && r.total == 20)
        #expect(SatRanges([(0, 20)]).subtracting(from: SatRanges([(5, 30)])) == SatRanges([(20, 30)]))
        #expect(SatRanges([(0, 5), (10, 15)]).subtracting(from: SatRanges([(0, 20)])) == SatRanges([(5, 10), (15, 20)]))
    }
}
