"""The benchmark: ``python -m bench`` (README, "Benchmark"; results in docs/benchmarks.md)."""
