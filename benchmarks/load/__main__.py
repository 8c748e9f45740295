"""``python -m benchmarks.load``: the load benchmark (see benchmarks.load.run)."""
from benchmarks.load.run import main

main()
