"""Each row's position in a table of region codes: the shared piece of every per-code sum
(indicators, hazard exposure)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from geo.codetable import CodeTable, table_of
from geo.regions.boundaries import village_codes_sorted


def code_positions(codes: pd.Series) -> tuple[CodeTable, np.ndarray]:
    """Code table and each row's position in it (-1 = no code). A join's ``kode_agregasi``
    already is positions in the join index's table; other input is tabled here."""
    if isinstance(codes.dtype, pd.CategoricalDtype):
        table = table_of(codes.cat.categories)
        if table is not None:
            return table, codes.cat.codes.to_numpy()
    post, uniq = pd.factorize(codes.astype(object), use_na_sentinel=True)
    uniq = np.asarray(uniq, dtype=object).astype(str)
    table = CodeTable(uniq, village_codes_sorted(), register=False)
    return table, np.append(table.positions(uniq), -1)[post]
