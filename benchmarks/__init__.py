"""Benchmarks and load harnesses of Peta Posyandu: ``python -m benchmarks.<name>``.

They print numbers next to a floor measured in the same run; tests never assert times.
"""
