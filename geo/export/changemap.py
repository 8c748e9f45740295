"""The change map as an exported picture (issue 26): ``python -m geo map … --change-from``
draws the change between two periods with the renderer of every exported map
(geo.export.render), from geo.stats.change."""
from __future__ import annotations

import pandas as pd

from geo.export.mapdata import LEVEL_NAMES, MapData, _sources, map_level, region_name, tr
from geo.export.text import short_name
from geo.indicators import registry as indicators
from geo.regions import display
from geo.stats import change as geo_change
from geo.stats import ranking


def change_title(ind: indicators.Indicator, level: str, region: str, period: str,
                 compare: str, lang: str) -> str:
    return tr("change_title", lang, indicator=ind.label(lang)[0].lower() + ind.label(lang)[1:],
              level=LEVEL_NAMES[lang][level], region=region_name(region), period=period,
              compare=compare)


def change_map_data(long: pd.DataFrame, indicator_id: str, period: str, compare: str,
                    region: str = "", level: str | None = None, lang: str = "id") -> MapData:
    """MapData of the change of ``indicator_id`` from ``compare`` to ``period``: values are
    the changes, classes symmetric around 0, not-comparable regions in their own colour
    with the reason listed in the notes."""
    ind = indicators.get(indicator_id)
    region = "" if region in (None, "", "00") else region
    level = level or map_level(region)
    layer = display.display_layer(level, region or None)
    names = layer.set_index("code")["name"]
    ch = geo_change.change_values(long, indicator_id, level, period, compare,
                                  parent=region or None, names=names, universe=layer["code"])
    vals = ch.values.rename(columns={"value": "value_now"}).assign(value=ch.values["change"])
    ranked = ranking.rank_frame(vals[["code", "value"]], ind.higher_is_worse)
    vals = vals.merge(ranked[["code", "rank", "of"]], on="code", how="left")
    vals["unstable"] = False
    vals["source"] = None
    classes = geo_change.classes_of(ch, layer["code"])
    counts = [int((classes == i).sum()) for i in range(len(ch.colors))] + \
        [int((classes == -1).sum())]
    nc = ch.not_comparable
    special = {c: geo_change.NOT_COMPARABLE_COLOR for c in nc["code"]}
    k = 0 if lang == "id" else 1
    legend = [(geo_change.NOT_COMPARABLE_COLOR, geo_change.NOT_COMPARABLE[k], len(special))] \
        if special else []
    notes = [tr("change_rule", lang, period=period, compare=compare)]
    if len(nc):   # one line per reason, the regions it applies to by name
        def listed(names, shown=4):
            names = [short_name(str(n)) for n in names]
            more = tr("more", lang, n=len(names) - shown) if len(names) > shown else ""
            return ", ".join(names[:shown]) + (" " + more if more else "")
        nc = nc.assign(kind=ch.values.set_index("code")["reason_short"].reindex(nc["code"])
                       .to_numpy())
        groups = nc.groupby("kind", sort=False)["name"].apply(listed)
        items = "; ".join(f"{r}: {n}" for r, n in groups.items())
        notes.append(tr("not_comparable_list", lang, items=items))
    rows = indicators.values(long, indicator_id, level, period, region or None)
    return MapData(
        indicator=geo_change.change_indicator(ind), region=region,
        region_name=region_name(region), level=level, period=period, lang=lang, layer=layer,
        values=vals, classification=ch.classification, colors=ch.colors, counts=counts,
        title=change_title(ind, level, region, period, compare, lang),
        sources=_sources(ind, rows, f"{compare}, {period}", lang, None, None)
        if ind.source != "registri" else [],
        notes=notes, special_fills=special, special_legend=legend, compare=compare)
