"""The numbers that come to the leader without being asked for.

* :mod:`.content`: a period's digest as data (headlines, targets, reps who need attention, the
  charts' series, significant changes): :func:`~.content.build_digest`;
* :mod:`.addresses`: e-mail addresses, checked before anything is rendered;
* :mod:`.every`: when a schedule is due ("mon 08:00");
* :mod:`.schedules`: digests on a schedule, and what was sent when (at most once per period);
* :mod:`.alerts`: a message when a KPI goes off track or drops, once per change of state.

Rendering (HTML, text, PDF) and sending (SMTP) are a face's: :mod:`salesmetrics.documents`.
"""
