"""The statistics every report and every domain's indicators share, knowing no domain.

`bands`: age bands (CTDC's) and the other groupings; `cells`: small-cell suppression;
`indicators`: what an indicator is, the period it covers and how its small cells are hidden.
Domains build their indicators from these; `aftercare.reports` puts them together.
"""
