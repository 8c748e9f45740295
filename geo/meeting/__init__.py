"""The Pokjanal meeting (Rakor): an agenda of dashboard views presented in order, and
follow-ups (tindak lanjut) — decisions with an office responsible, a due date and a status,
tied to a region and an indicator, carrying the figures of the moment they were taken
("then") next to today's ("now").

* geo.meeting.links: a dashboard link (page + query string) as a view;
* geo.meeting.figures: value, period and rank of a region (the pages' own functions:
  geo.indicators.registry.values, geo.stats.ranking.rank_table);
* geo.meeting.records: agendas and follow-ups as records, then/now tables, exports;
* geo.meeting.store / geo.meeting.store_db: where they live (the workspace folder, or
  PostgreSQL next to the data), who may write, version checks, the audit trail;
* geo.meeting.cli: ``python -m geo agenda …`` and ``python -m geo tindak-lanjut …``.
"""
