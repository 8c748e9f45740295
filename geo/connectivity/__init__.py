"""Connectivity (Posyandu Digital 2026): Posyandu without internet and blank-spot villages
(offline), new-site planning (plan: greedy maximal coverage; exact: HiGHS), candidate sites
(sites) and their commands (cli)."""
