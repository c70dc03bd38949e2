"""Speed and accuracy benchmarks. Each module writes its section of RESULTS.md."""
