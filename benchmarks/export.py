"""``python -m benchmarks.export``: render times of the exported maps (national kab/kota,
national provinces, province 62), data gathering and drawing apart (wall clock; ``cpu_s``
is the process CPU time of both, which a loaded machine inflates less); JSON lines."""
from __future__ import annotations

import json
import time

from geo.export import long_for, map_data, render


def main(repeat: int = 2) -> None:
    long = long_for(["stunting"])
    cases = [("nasional-kabupaten", "", "kabupaten", False),
             ("nasional-provinsi", "", "provinsi", True),
             ("provinsi-62", "62", None, True)]
    for name, region, level, labels in cases:
        for fmt in ("png", "pdf"):
            best = None
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                data = map_data(long, "stunting", region, level=level)
                t1 = time.perf_counter()
                payload, _info = render(data, fmt, labels=labels)
                t2, c2 = time.perf_counter(), time.process_time()
                run = (t1 - t0, t2 - t1, len(payload), c2 - c0)
                best = run if best is None or sum(run[:2]) < sum(best[:2]) else best
            print(json.dumps({"map": name, "format": fmt, "labels": labels,
                              "data_s": round(best[0], 2), "render_s": round(best[1], 2),
                              "cpu_s": round(best[3], 2),
                              "bytes": best[2]}))


if __name__ == "__main__":
    main()
