// Printed figures beside raw baselines, in one run on one disk. Not run in CI.
//   swift run -c release rocks-bench ledger [single=2000] [batched=50000] [batch=1000] [tree=1000000] [dir=/var/tmp]
//   swift run -c release rocks-bench cluster [computes=1000] [vms=10000] [dir=/var/tmp]
//   swift run -c release rocks-bench history [records=1000000] [batch=1000] [seed=1] [dir=/var/tmp] [keep=yes] [ledger=<kept dir>] [only=rebuild|at]
//   swift build -c release && .build/release/rocks-bench executor [guests=20] [effects=1000]   (as root; real VMs)
//   swift build -c release && .build/release/rocks-bench fleet [guests=20]   (as root; real VMs on two containers)
//   swift build -c release && .build/release/rocks-bench airboss [requests=2000] [clients=1,16,64]   (starts the built rocks' Airboss)
//   swift build -c release && .build/release/rocks-bench console [megabytes=256] [messages=5000]   (the Airboss's relay beside websockify)
import Foundation
import ProcessSupport

// Before the executor benchmarks open libvirt connections: a broken pipe fails a write.
BrokenPipes.ignore()

let settings: [String: String] = {
    var settings = ["single": "2000", "batched": "50000", "batch": "1000", "tree": "1000000", "dir": "/var/tmp", "computes": "1000", "vms": "10000"]
    for argument in CommandLine.arguments.dropFirst() where argument.contains("=") {
        let parts = argument.split(separator: "=", maxSplits: 1)
        settings[String(parts[0])] = String(parts[1])
    }
    return settings
}()

switch CommandLine.arguments.dropFirst().first(where: { !$0.contains("=") }) ?? "ledger" {
case "ledger": try LedgerBenchmark.run()
case "cluster": try ClusterBenchmark.run()
case "history": try HistoryBenchmark.run()
case "executor": try ExecutorBenchmark.run()
case "fleet": try FleetBenchmark.run()
case "airboss": try AirbossBenchmark.run()
case "console": try ConsoleBenchmark.run()
default:
    print("usage: rocks-bench [ledger|cluster|history|executor|fleet|airboss|console] [name=value ...]")
    exit(2)
}
