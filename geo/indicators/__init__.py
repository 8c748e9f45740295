"""Indicators: the registry of every indicator and its aggregation from sums (registry),
published survey values (published), hazard-exposure (hazards) and Posyandu transformation
(transformation) indicator families."""
