"""python -m bench: the benchmark runner (see the benchmarks issue)."""
import sys

sys.exit("bench: no benchmark is implemented yet")
