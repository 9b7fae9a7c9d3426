import Foundation

/// The Mustache context of a report: the document's fields as dictionaries and lists, plus the
/// drawn diagrams and display text. Absent values are left out (Mustache treats them as false).
enum ReportView {
    static func context(
        _ d: EvidenceDocument, jsonSha256: String, keyID: String?, graphs: [Int64: (svg: String, engine: String)],
        timeline: String
    ) -> [String: Any] {
        var c: [String: Any] = [
            "format": d.format, "generated": d.generated, "audience": d.audience.rawValue,
            "partner": d.audience == .partner, "software": d.provenance.software, "json_sha256": jsonSha256,
        ]
        if let keyID { c["key_id"] = keyID }
        let k = d.caseInfo
        var caseInfo: [String: Any] = [
            "reference": k.reference, "title": k.title, "status": k.status, "analyst": k.analyst,
            "opened": k.opened, "sites": k.sites.joined(separator: ", "),
        ]
        if let closed = k.closed { caseInfo["closed"] = closed }
        if let notes = k.notes { caseInfo["notes"] = notes }
        c["case"] = caseInfo
        c["answers"] = d.answers.map { a -> [String: Any] in
            var req: [String: Any] = [
                "id": a.request.id, "organisation": a.request.organisation, "received": a.request.received,
                "question": a.request.question, "subjects": a.request.subjects,
            ]
            if let r = a.request.partnerReference { req["partner_reference"] = r }
            if let due = a.request.due { req["due"] = due }
            var resp: [String: Any] = [
                "id": a.response.id, "state": a.response.state, "conclusion": a.response.conclusion,
                "analyst": a.response.analyst,
                "states": a.response.states.map { ["state": $0.state, "time": $0.time] },
            ]
            if let r = a.response.reviewer { resp["reviewer"] = r }
            return ["request": req, "response": resp, "findings": a.findings.map { finding($0, graphs[$0.id]) }]
        }
        c["timeline"] = timeline
        c["has_timeline"] = !timeline.isEmpty
        c["heuristics"] = d.method.heuristics.map(item)
        c["taint_models"] = d.method.taintModels.map(item)
        c["limitations"] = d.method.limitations
        c["alternatives"] = d.method.alternativeExplanations.map(item)
        let p = d.provenance
        var prov: [String: Any] = ["software": p.software, "cluster_parameters": p.clusterParameters]
        if let n = p.network { prov["network"] = n }
        if let h = p.indexTipHeight { prov["tip_height"] = h }
        if let h = p.indexTipHash { prov["tip_hash"] = h }
        if let t = p.indexTipTime { prov["tip_time"] = t }
        prov["import_runs"] = p.importRuns.map { r -> [String: Any] in
            [
                "id": r.id, "started": r.started, "finished": r.finished ?? "-", "status": r.status, "mode": r.mode, "software": r.software,
                "files": r.files.map { ["path": $0.path, "size": $0.size, "sha256": $0.sha256] },
            ]
        }
        prov["price_series"] = p.priceSeries.map { s -> [String: Any] in
            [
                "name": s.name, "currency": s.currency, "citation": s.citation,
                "files": s.files.map { ["path": $0.path, "sha256": $0.sha256] },
            ]
        }
        c["provenance"] = prov
        return c
    }

    static func item(_ m: MethodItem) -> [String: Any] {
        var out: [String: Any] = ["name": m.name, "description": m.description]
        if let p = m.precision { out["precision"] = p }
        return out
    }

    static func finding(_ f: EvidenceFinding, _ graph: (svg: String, engine: String)?) -> [String: Any] {
        var out: [String: Any] = [
            "id": f.id, "kind": f.kind, "subject": f.subject, "question": f.question, "command": f.command, "layer": f.layer,
            "created": f.created, "created_by": f.createdBy, "result_sha256": f.resultSha256, "summary": f.summary,
            "tip": f.tipHeight.map { "\($0) \(f.tipHash ?? "")" } ?? "-",
            "parameters": f.parameters.map { ["name": $0.name, "value": $0.value] },
            "facts": f.facts.map { fact -> [String: Any] in
                var row: [String: Any] = [
                    "txid": fact.txid, "vout": fact.vout, "outpoint": fact.outpoint, "address": fact.address ?? "-",
                    "height": fact.height.map(String.init) ?? "?", "time": fact.time, "satoshis": fact.satoshis,
                    "btc": fact.btc, "role": fact.role, "cluster": fact.cluster.map(String.init) ?? "",
                ]
                if let fiat = fact.fiat {
                    row["fiat"] = "\(fiat.amount) \(fiat.currency)"
                    row["fiat_source"] = [fiat.series, fiat.date, fiat.price.map { "\($0) \(fiat.currency)/BTC" }].compactMap { $0 }.joined(
                        separator: ", ")
                }
                return row
            },
            "has_facts": !f.facts.isEmpty,
            "has_fiat": f.facts.contains { $0.fiat != nil },
            "inferences": f.inferences.map { ["kind": $0.kind, "statement": $0.statement, "rule": $0.rule, "precision": $0.precision] },
            "has_inferences": !f.inferences.isEmpty,
            "attributions": f.attributions.map { a -> [String: Any] in
                [
                    "cluster": a.cluster.map(String.init) ?? "-", "address": a.address ?? "the cluster", "label": a.label,
                    "category": a.category,
                    "source": a.source, "confidence": a.confidence, "context": a.context ?? "", "private": a.isPrivate,
                ]
            },
            "has_attributions": !f.attributions.isEmpty,
            "warnings": f.warnings,
        ]
        if let rows = f.modelComparison {
            func cell(_ v: Int64?) -> String { v.map(UTCText.btc) ?? "not reached" }
            out["model_comparison"] = rows.map {
                [
                    "cluster": $0.cluster, "labels": $0.labels.joined(separator: ", "), "poison": cell($0.poison),
                    "haircut": cell($0.haircut),
                    "fifo": cell($0.fifo), "dependent": $0.modelDependent,
                ] as [String: Any]
            }
            out["model_dependent"] = f.modelDependent ?? false
            out["compared"] = true
        }
        if let graph, !graph.svg.isEmpty {
            out["graph_svg"] = graph.svg
            out["graph_engine"] = graph.engine
        }
        return out
    }
}
