"""The load benchmark: one visitor, N at once, a meeting room, and the server alone
(``python -m benchmarks.load``)."""
