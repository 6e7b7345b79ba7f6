"""What the figures mean, on top of the report: a rep against the team (``peers``, ``scorecard``),
activity types against outcomes (``effectiveness``), the funnel, satisfaction against revenue,
ramp cohorts, and the sales cycle with open deals counted (``cycle``). Each is a core function that
:class:`~salesmetrics.store.Workspace` offers and every face renders."""
