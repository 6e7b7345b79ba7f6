"""The words of the pages, the digests and every face that shows more than a figure, in English and
German, by key: ``text("apply", "de")`` is "Anwenden". KPI titles and descriptions are not here: they
live with the KPI definitions (the registry), as one definition per KPI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TEXT: dict[str, tuple[str, str]] = {
    # frame
    "title": ("Sales dashboard", "Vertriebs-Dashboard"),
    "nav_dashboard": ("Dashboard", "Dashboard"),
    "nav_insights": ("Insights", "Analysen"),
    "nav_forecast": ("Forecast", "Prognose"),
    "nav_upload": ("Import", "Import"),
    "nav_targets": ("Targets", "Ziele"),
    "nav_compare": ("Compare", "Vergleich"),
    "nav_api": ("API", "API"),
    "language": ("Language", "Sprache"),
    "skip": ("Skip to content", "Zum Inhalt springen"),
    "no_login": (
        "This dashboard runs without sign-in: anyone who can reach {address} sees every figure.",
        "Dieses Dashboard läuft ohne Anmeldung: Wer {address} erreicht, sieht alle Zahlen.",
    ),
    # signing in, the audit log
    "nav_audit": ("Audit log", "Protokoll"),
    "signed_in_as": ("Signed in as {email}", "Angemeldet als {email}"),
    # What the one signed in sees, beside their name: a row "by team" holds only that much of it.
    "sees_own": ("(your own records only)", "(nur Ihre eigenen Datensätze)"),
    "sees_team": ("(team {teams} only)", "(nur Team {teams})"),
    "sees_teams": ("(teams {teams} only)", "(nur die Teams {teams})"),
    "sign_out": ("Sign out", "Abmelden"),
    "login_title": ("Sign in", "Anmelden"),
    "login_intro": ("Sign in with the email and password your admin set up for you.",
                    "Melden Sie sich mit der E-Mail-Adresse und dem Passwort an, die Ihr Administrator "
                    "für Sie eingerichtet hat."),
    "email": ("Email", "E-Mail"),
    "password": ("Password", "Passwort"),
    "sign_in": ("Sign in", "Anmelden"),
    "login_failed": ("That email and password do not match an account.",
                     "E-Mail-Adresse und Passwort passen zu keinem Konto."),
    "login_expired": ("The sign-in form was out of date; please try again.",
                      "Das Anmeldeformular war veraltet; bitte versuchen Sie es noch einmal."),
    "login_throttled": ("Too many failed sign-ins: try again in {minutes} min.",
                        "Zu viele fehlgeschlagene Anmeldungen: Versuchen Sie es in {minutes} Min. wieder."),
    "audit_title": ("Audit log", "Protokoll"),
    "audit_intro": ("Sign-ins, imports, targets, settings, users and API tokens, newest first "
                    "(times in UTC).",
                    "Anmeldungen, Importe, Ziele, Einstellungen, Benutzer und API-Tokens, neueste zuerst "
                    "(Zeiten in UTC)."),
    "audit_when": ("When", "Wann"),
    "audit_who": ("Who", "Wer"),
    "audit_what": ("What", "Was"),
    "audit_detail": ("Detail", "Einzelheiten"),
    "audit_from": ("From", "Von"),
    "workspace_version": ("Workspace {path}, data version {version}",
                          "Arbeitsbereich {path}, Datenstand {version}"),
    # filters
    "filters": ("Filters", "Filter"),
    "period": ("Period", "Zeitraum"),
    "period_help": ("e.g. 2026-10, 2026-Q3, 2026-W47, last-30-days",
                    "z. B. 2026-10, 2026-Q3, 2026-KW47, letzte-30-tage"),
    "grain": ("Trend by", "Verlauf nach"),
    "auto": ("Auto", "Auto"),
    "all": ("All", "Alle"),
    "typed_choice": ("All (type a name or ID)", "Alle (Name oder ID eingeben)"),
    "typed_choice_help": ("A name or ID; several IDs with commas.",
                          "Name oder ID; mehrere IDs mit Kommas."),
    "apply": ("Apply", "Anwenden"),
    "reset": ("Reset", "Zurücksetzen"),
    "more_filters": ("More filters", "Weitere Filter"),
    "more_filters_set": ("More filters ({n} set)", "Weitere Filter ({n} gesetzt)"),
    "fewer_filters": ("Fewer filters", "Weniger Filter"),
    "day": ("day", "Tag"),
    "compare_by_time": ("Grouped by {grain}, the rows have no counterpart in the period before (its days are "
                        "others): compare a period without the time grain.",
                        "Nach {grain} gruppiert, haben die Zeilen kein Gegenstück im Zeitraum davor (seine "
                        "Tage sind andere): einen Zeitraum ohne Zeitraster vergleichen."),
    "week": ("week", "Woche"),
    "month": ("month", "Monat"),
    "quarter": ("quarter", "Quartal"),
    "today": ("Today", "Heute"),
    "yesterday": ("Yesterday", "Gestern"),
    "this-week": ("This week", "Diese Woche"),
    "last-week": ("Last week", "Letzte Woche"),
    "this-month": ("This month", "Dieser Monat"),
    "last-month": ("Last month", "Letzter Monat"),
    "last-30-days": ("Last 30 days", "Letzte 30 Tage"),
    "last-90-days": ("Last 90 days", "Letzte 90 Tage"),
    "last_days_to": ("Last {n} days to {day}", "Letzte {n} Tage bis {day}"),
    "this-quarter": ("This quarter", "Dieses Quartal"),
    "last-quarter": ("Last quarter", "Letztes Quartal"),
    "this-year": ("This year", "Dieses Jahr"),
    "last-year": ("Last year", "Letztes Jahr"),
    "compared": ("compared with {previous} and {year}", "verglichen mit {previous} und {year}"),
    "compared_once": ("compared with {previous}", "verglichen mit {previous}"),
    "as_of": ("as of", "Stand"),
    # dimensions
    "team": ("Team", "Team"),
    "rep": ("Rep", "Mitarbeiter"),
    "product": ("Product", "Produkt"),
    "source": ("Source", "Quelle"),
    "pipeline": ("Pipeline", "Pipeline"),
    "activity_type": ("Activity type", "Aktivitätsart"),
    "segment": ("Segment", "Segment"),
    "industry": ("Industry", "Branche"),
    "region": ("Region", "Region"),
    "lost_reason": ("Lost reason", "Verlustgrund"),
    # tiles
    "kpis": ("Key figures", "Kennzahlen"),
    "vs_previous": ("vs previous period", "ggü. Vorperiode"),
    "vs_year": ("vs a year before", "ggü. Vorjahr"),
    "better": ("better", "besser"),
    "points": ("points", "Punkte"),
    "worse": ("worse", "schlechter"),
    "unchanged": ("no change to judge", "keine bewertbare Änderung"),
    "based_on": ("based on {n} {what}", "aus {n} {what}"),
    "target": ("Target {value}", "Ziel {value}"),
    "ci": ("95 %: {range}", "95 %: {range}"),
    "ci_help": ("95 % interval: the range the true figure lies in with 95 % confidence, given how few "
                "records it rests on",
                "95-%-Intervall: der Bereich, in dem der wahre Wert mit 95 % Sicherheit liegt, gemessen an "
                "der Zahl der Datensätze"),
    "at_least": ("at least {value}", "mindestens {value}"),
    "period_without_records": ("No records in this period: the records run from {first} to {last}.",
                               "Keine Datensätze in diesem Zeitraum: die Datensätze reichen vom {first} "
                               "bis {last}."),
    "period_quiet": ("Nothing new happened in this period (the records run from {first} to {last}): the "
                     "figures standing across it, such as deals left open, are shown.",
                     "In diesem Zeitraum geschah nichts Neues (die Datensätze reichen vom {first} bis "
                     "{last}): Zahlen über ihn hinweg, etwa offene Deals, werden gezeigt."),
    "no_records_yet": ("The workspace holds no records yet: import them on the Import page.",
                       "Der Arbeitsbereich enthält noch keine Datensätze: importieren Sie sie auf der "
                       "Seite Import."),
    "no_records_yours": ("None of the workspace's records are yours to see yet: they are of other reps or "
                         "teams.",
                         "Keiner der Datensätze des Arbeitsbereichs ist für Sie sichtbar: Diese gehören zu "
                         "anderen Mitarbeitern oder Teams."),
    "try_period": ("Show {period}", "{period} anzeigen"),
    "median_beyond": ("Fewer than half of these deals have been won so far, so the median lies beyond the "
                      "longest time observed, {value}.",
                      "Noch nicht die Hälfte dieser Deals ist gewonnen, der Median liegt also jenseits der "
                      "längsten beobachteten Zeit, {value}."),
    "significant": ("significant", "signifikant"),
    "untested": ("not tested", "nicht getestet"),
    "untested_help": ("No test for this change: it is shown as it is, without a judgement on noise. Sums "
                      "of money, quota attainment, medians and comparisons with a year before are never "
                      "tested; the other figures not where either side has too few records.",
                      "Kein Test für diese Änderung: Sie wird ohne Urteil über Zufall gezeigt. "
                      "Geldsummen, Quotenerreichung, Mediane und der Vergleich mit dem Vorjahr werden "
                      "nie getestet, die übrigen Kennzahlen nicht, wo eine Seite zu wenige Datensätze "
                      "hat."),
    "compare_untested_help": ("No test for this difference: it is shown as it is, without a judgement "
                              "on noise. Sums of money, quota attainment and medians are never tested; "
                              "the other figures not where either side has too few records.",
                              "Kein Test für diesen Unterschied: Er wird ohne Urteil über Zufall "
                              "gezeigt. Geldsummen, Quotenerreichung und Mediane werden nie getestet, "
                              "die übrigen Kennzahlen nicht, wo eine Seite zu wenige Datensätze hat."),
    "explain_kpi": ("What {kpi} means", "Was {kpi} bedeutet"),
    "company_target": ("Company target {value}", "Unternehmensziel {value}"),
    "noise": ("within noise", "im Rauschen"),
    "tentative": ("a hint: few reps or deals", "ein Hinweis: wenige Mitarbeiter oder Abschlüsse"),
    "significant_help": ("{p}: a change this large is unlikely to be chance (5 % level)",
                         "{p}: eine so große Änderung ist kaum Zufall (5-%-Niveau)"),
    "noise_help": ("{p}: a change this large can be chance (5 % level); do not read it as a trend",
                   "{p}: eine so große Änderung kann Zufall sein (5-%-Niveau); kein Trend"),
    "pace": ("pace {value}", "Tempo {value}"),
    "pace_help": ("Pace: 100 % is exactly on target. Sums and counts: the figure so far against the "
                  "target times the share of the period gone; rates and averages: the figure against "
                  "the target.",
                  "Tempo: 100 % heißt genau im Ziel. Summen und Anzahlen: der bisherige Wert gegenüber "
                  "dem Ziel mal dem verstrichenen Anteil des Zeitraums; Quoten und Mittelwerte: der Wert "
                  "gegenüber dem Ziel."),
    "target_status": ("Target status", "Zielstatus"),
    "not_applicable": ("Not shown with these filters", "Mit diesen Filtern nicht verfügbar"),
    "show_records": ("Show the records behind {what}", "Datensätze zu {what} anzeigen"),
    # charts
    "charts": ("Charts", "Diagramme"),
    "revenue_trend": ("Revenue per {grain}", "Umsatz pro {grain}"),
    "revenue_per_product": ("Revenue per product", "Umsatz pro Produkt"),
    "activity_mix": ("Activities by type", "Aktivitäten nach Art"),
    "nps_mix": ("NPS answers", "NPS-Antworten"),
    "quota_per_rep": ("Quota attainment per rep", "Quotenerreichung pro Mitarbeiter"),
    "cycle": ("Sales cycle of won deals", "Verkaufszyklus gewonnener Deals"),
    "cycle_bucket": ("{low}–{high} days", "{low}–{high} Tage"),
    "cycle_open": ("{low}+ days", "ab {low} Tagen"),
    "deals_count": ("{n} deals", "{n} Deals"),
    "deals_count_one": ("1 deal", "1 Deal"),
    "cycle_axis": ("Days from creation to win", "Tage von der Anlage bis zum Gewinn"),
    "vs_median": ("vs median", "ggü. Median"),
    "detractor": ("Detractors (0–6)", "Kritiker (0–6)"),
    "passive": ("Passives (7–8)", "Passive (7–8)"),
    "promoter": ("Promoters (9–10)", "Promotoren (9–10)"),
    "data_table": ("Data table", "Datentabelle"),
    "no_data": ("No data for this period.", "Keine Daten für diesen Zeitraum."),
    "target_line": ("100 % of quota", "100 % der Quote"),
    "target_line_to_date": ("100 % of quota to date", "100 % der bisherigen Quote"),
    # A running period's quota is pro-rated to its days so far: 117 % was read as over the quota
    # where 87 % of it was won (a tester).
    "quota_chart_to_date": ("Each quota is pro-rated to the days so far: at 100 %, a rep is on pace "
                            "for the whole of it.",
                            "Jede Quote anteilig für die bisherigen Tage: bei 100 % liegt ein "
                            "Mitarbeiter im Plan für die ganze Quote."),
    # the trend's lines (web/views.trend_chart)
    "this_period": ("This period", "Dieser Zeitraum"),
    "previous_period": ("Period before", "Vorperiode"),
    "trend_target": ("Target", "Ziel"),
    "chart_summary": ("{n} bars; highest: {label} ({value})", "{n} Balken; höchster: {label} ({value})"),
    # leaderboard
    "leaderboard": ("Reps", "Vertriebsmitarbeiter"),
    "revenue": ("Revenue", "Umsatz"),
    "deals": ("Deals won", "Gewonnene Deals"),
    "win_rate": ("Win rate", "Gewinnrate"),
    "quota": ("Quota attainment", "Quotenerreichung"),
    "activities": ("Activities", "Aktivitäten"),
    "needs_attention": ("Needs attention", "Braucht Aufmerksamkeit"),
    "attention_off_track": ("off track on {kpi}: {value} against the target {target}",
                            "nicht im Plan bei {kpi}: {value} gegenüber dem Ziel {target}"),
    # the period is over: the target was missed, as its badge says
    "attention_missed": ("missed the target on {kpi}: {value} against {target}",
                         "Ziel bei {kpi} verfehlt: {value} gegenüber dem Ziel {target}"),
    # A rep's quota is a target of 100 % of itself (dashboard.against_quota).
    "attention_below_quota": ("behind quota: {value} of it to date, where 100 % is on pace",
                              # "bisher", not "bis heute": as of a past day too
                              "hinter der Quote: {value} der bisherigen, wobei 100 % im Plan sind"),
    "attention_quota_missed": ("missed quota: {value} of it reached",
                               "Quote verfehlt: {value} davon erreicht"),
    "attention_all": ("and {n} more: show all", "und {n} weitere: alle zeigen"),
    "attention_drop": ("{kpi} dropped to {value} from {previous} ({change}; {p}: beyond noise)",
                       # no verb to agree: "Aktivitäten" is plural, "Abschlussquote" singular
                       "{kpi}: Rückgang auf {value} von {previous} ({change}; {p}: jenseits des "
                       "Rauschens)"),
    "and_more": ("... and {n} more", "... und {n} weitere"),
    "reps_shown": ("The {shown} reps with the most revenue, of {total}. Filter by team, or",
                   "Die {shown} Vertriebsmitarbeiter mit dem meisten Umsatz, von {total}. Nach Team "
                   "filtern, oder"),
    "show_all_reps": ("show all {total}", "alle {total} zeigen"),
    "quota_chart_cut": ("The {n} highest and the {n} lowest of {total} reps with a quota.",
                        "Die {n} höchsten und die {n} niedrigsten von {total} Vertriebsmitarbeitern mit "
                        "Quote."),
    "small_sample_mark": ("small sample", "kleine Stichprobe"),
    "small_sample_legend": ("a figure resting on fewer than 30 records: read its interval before ranking "
                            "anyone on it.",
                            "ein Wert aus weniger als 30 Datensätzen: erst das Intervall lesen, dann "
                            "vergleichen."),
    "diagnosis_legend": ("Diagnosis: activity and win rate against the rep's team, as on the rep's page.",
                         "Einschätzung: Aktivität und Gewinnrate im Vergleich zum Team, wie auf der Seite "
                         "des Mitarbeiters."),
    "diagnosis_not_enough_data": ("not enough data", "zu wenig Daten"),
    "diagnosis_needs_more_activity": ("needs more activity", "braucht mehr Aktivität"),
    "diagnosis_needs_training": ("needs training", "braucht Schulung"),
    "diagnosis_needs_activity_and_training": ("needs activity and training",
                                              "braucht Aktivität und Schulung"),
    "diagnosis_strong": ("strong", "stark"),
    "diagnosis_in_line": ("in line with the team", "im Rahmen des Teams"),
    # in line, but with activity beyond the team's: its win rate is not told apart (the rep's page)
    "diagnosis_in_line_busy": ("works more than the team", "arbeitet mehr als das Team"),
    # drill-down
    "records_behind": ("Records behind {kpi}", "Datensätze zu {kpi}"),
    "records_count": ("{n} records", "{n} Datensätze"),
    "records_word": ("records", "Datensätzen"),
    "records_sum": ("sum {value}", "Summe {value}"),
    "records_sum_of_quota": ("sum {value} against a quota of {quota}: {share}",
                             "Summe {value} gegenüber einer Quote von {quota}: {share}"),
    "showing": ("Showing the first {shown} of {total}; the CSV has them all.",
                "Angezeigt werden die ersten {shown} von {total}; die CSV-Datei enthält alle."),
    "download_csv": ("Download CSV", "CSV herunterladen"),
    "download_pdf": ("Download PDF", "PDF herunterladen"),
    "download_xlsx": ("Download Excel", "Excel herunterladen"),
    "back": ("Back to the dashboard", "Zurück zum Dashboard"),
    "no_records": ("No records.", "Keine Datensätze."),
    # rep page
    "rep_title": ("{name}", "{name}"),
    "rep_intro": ("Team {team}; hired {hired}.", "Team {team}; eingestellt am {hired}."),
    "rep_vs_team": ("Against the team's median", "Im Vergleich zum Median des Teams"),
    "kpi": ("KPI", "Kennzahl"),
    "this_rep": ("This rep", "Mitarbeiter"),
    "team_median": ("Team median", "Team-Median"),
    "median_of": ("median of {n} reps", "Median von {n} Mitarbeitern"),
    "median_of_one": ("the one rep with a figure", "der einzige Mitarbeiter mit einem Wert"),
    "rep_trend": ("Revenue per {grain}", "Umsatz pro {grain}"),
    "unknown": ("unknown", "unbekannt"),
    "diagnosis": ("Diagnosis", "Einschätzung"),
    "diagnosis_basis": ("Activity and conversion against the team's median; a difference counts only "
                        "beyond noise (95 % intervals).",
                        "Aktivität und Abschlussquote im Vergleich zum Team-Median; ein Unterschied zählt "
                        "nur jenseits des Rauschens (95-%-Intervalle)."),
    "reading": ("Reading", "Einordnung"),
    "reading_high": ("above the team", "über dem Team"),
    "reading_low": ("below the team", "unter dem Team"),
    "reading_typical": ("like the team (within noise)", "wie das Team (im Rauschen)"),
    "per_closed_deal": ("Activities per closed deal", "Aktivitäten je abgeschlossenem Deal"),
    "closed_deals": ("Closed deals", "Abgeschlossene Deals"),
    "won_of": ("{won} won of {closed}", "{won} von {closed} gewonnen"),
    "interval": ("95 % interval", "95-%-Intervall"),
    "previous_periods": ("Earlier periods", "Frühere Zeiträume"),
    # insights
    "forecast_title": ("Forecast", "Prognose"),
    "forecast_intro": ("What the period will close at, against quota, as it stood at the end of {day}. "
                       "The deals behind each part: its figure in the chart's data table, or in the rows "
                       "below.",
                       "Womit der Zeitraum abschließt, gegen die Quote, Stand Ende {day}. Die Deals hinter "
                       "jedem Teil: sein Betrag in der Datentabelle des Diagramms oder in den Zeilen unten."),
    "forecast_by": ("Rows by", "Zeilen nach"),
    "forecast_rows": ("By rep or team", "Nach Mitarbeiter oder Team"),
    "forecast_all_deals": ("All deals behind the bar", "Alle Deals hinter dem Balken"),
    "no_forecast_deals": ("No deal behind this part.", "Kein Deal hinter diesem Teil."),
    "moved_out_h": ("Moved out of the period", "Aus dem Zeitraum herausgeschoben"),
    "accuracy_h": ("Accuracy of past quarters", "Genauigkeit vergangener Quartale"),
    "accuracy_explained": ("The commit call (closed won + commit) as the workspace knew it at the start "
                           "and the middle of each quarter, against what closed; the error is relative "
                           "to what closed.",
                           "Die Commit-Prognose (Gewonnen + Commit), wie der Arbeitsbereich sie zu Beginn "
                           "und zur Mitte jedes Quartals kannte, gegen das Gewonnene; der Fehler ist "
                           "relativ zum Gewonnenen."),
    "losses_h": ("Why deals are lost", "Warum Deals verloren gehen"),
    "losses_note": ("Each reason's lost rate is its share of all deals closed in the period (won or "
                    "lost), with its 95 % interval; the change is in points from the period before.",
                    "Die Verlustquote eines Grundes ist sein Anteil an allen im Zeitraum "
                    "abgeschlossenen Deals (gewonnen oder verloren), mit 95-%-Intervall; die Änderung "
                    "ist in Punkten ggü. der Vorperiode."),
    "no_losses": ("No deal was lost in this period or the one before.",
                  "In diesem und im vorigen Zeitraum wurde kein Deal verloren."),
    "overdue_more": ("... and {count} more: the API's /api/v1/forecast lists them all.",
                     "... und {count} weitere: /api/v1/forecast der API listet alle."),
    "deals_more": ("... and {count} more, all listed by the API:",
                   "... und {count} weitere; die API listet alle:"),
    "insights_title": ("Insights", "Analysen"),
    "insights_intro": ("What the figures mean: which activities go with won deals, where deals stall, "
                       "and whether happy customers spend more.",
                       "Was die Zahlen bedeuten: welche Aktivitäten mit gewonnenen Deals einhergehen, wo "
                       "Deals hängen bleiben und ob zufriedene Kunden mehr ausgeben."),
    "effectiveness": ("Activity effectiveness", "Wirksamkeit der Aktivitäten"),
    "effectiveness_note": ("Deals closed in the period, with the activities logged on them. This shows "
                           "association, not cause: good deals get demos.",
                           "Im Zeitraum abgeschlossene Deals mit den daran erfassten Aktivitäten. Das "
                           "zeigt einen Zusammenhang, keine Ursache: Gute Deals bekommen Demos."),
    "effectiveness_overlap": ("A deal with a call, an email and a meeting counts under all three: the "
                              "revenue of deals with each type overlaps and does not add up to revenue "
                              "(won deals in all: {total}).",
                              "Ein Deal mit Anruf, E-Mail und Termin zählt bei allen dreien: Der Umsatz "
                              "der Deals mit einer Aktivität überschneidet sich und ergibt zusammen nicht "
                              "den Umsatz (gewonnene Deals insgesamt: {total})."),
    "no_deal_activities": ("No activities are logged on the closed deals: import activities with their "
                           "deal_id (activities.csv) to set them against outcomes.",
                           "Keine Aktivitäten an den abgeschlossenen Deals: Aktivitäten mit deal_id "
                           "importieren (activities.csv), um sie den Ergebnissen gegenüberzustellen."),
    # "Closed deals: 1" reads right for any number, where "1 closed deals" would not.
    # Closed deals without any activity logged on them: no ratios of nothing (the note says why).
    "effectiveness_deals": ("Closed deals: {closed}, won: {won}.", "Abgeschlossene Deals: {closed}, "
                            "gewonnen: {won}."),
    "effectiveness_summary": ("Closed deals: {closed}, won: {won}; activities per won deal {per_won}, "
                              "per lost deal {per_lost}; meeting to win {meeting}, demo to win {demo}.",
                              "Abgeschlossene Deals: {closed}, gewonnen: {won}; Aktivitäten je "
                              "gewonnenem Deal {per_won}, je verlorenem {per_lost}; Termin zu Gewinn "
                              "{meeting}, Demo zu Gewinn {demo}."),
    "deals_with": ("Closed deals with it", "Abgeschl. Deals damit"),
    "won_with": ("Won", "Gewonnen"),
    "revenue_with": ("Revenue of deals with it", "Umsatz der Deals damit"),
    "rate_with": ("Win rate with", "Gewinnrate mit"),
    "rate_without": ("Win rate without", "Gewinnrate ohne"),
    "per_won_deal": ("Per won deal", "Je gew. Deal"),
    "per_lost_deal": ("Per lost deal", "Je verl. Deal"),
    "no_closed_deals": ("No closed deals in this period.", "Keine abgeschlossenen Deals in diesem Zeitraum."),
    "funnel": ("Funnel", "Vertriebstrichter"),
    "funnel_note": ("Stays in a stage that ended in the period. Conversion = advanced / (advanced + "
                    "dropped out); deals still in a stage are counted apart, never as lost.",
                    "Phasen-Aufenthalte, die im Zeitraum endeten. Konversion = weiter / (weiter + "
                    "ausgeschieden); Deals, die noch in einer Phase sind, zählen gesondert, nie als "
                    "verloren."),
    "stage": ("Stage", "Phase"),
    "entered": ("Entered", "Eingetreten"),
    "advanced": ("Advanced", "Weiter"),
    "dropped": ("Dropped out", "Ausgeschieden"),
    "still_open": ("Still in it", "Noch darin"),
    "conversion": ("Conversion", "Konversion"),
    "stage_to_win": ("Stage to win", "Phase zu Gewinn"),
    "days_in_stage": ("Days in stage (median)", "Tage in Phase (Median)"),
    # No command-line flag here: a page's reader imports on the Import page.
    "no_stage_history": ("No stage history imported: the funnel is read from stage_history (deal_id, "
                         "stage, entered_at). Import stage_history.csv on the Import page; a CRM's own "
                         "export, imported again from time to time, records the stage changes between "
                         "imports.",
                         "Kein Phasenverlauf importiert: Der Trichter wird aus stage_history (deal_id, "
                         "stage, entered_at) gelesen. Importieren Sie stage_history.csv auf der Seite "
                         "Import; der Export eines CRM, von Zeit zu Zeit neu importiert, hält die "
                         "Phasenwechsel zwischen Importen fest."),
    "no_stage_moves": ("No deal was in any stage during this period, by the stage history.",
                       "Laut Phasenverlauf war in diesem Zeitraum kein Deal in einer Phase."),
    "at_start": ("In it at the start", "Zu Beginn darin"),
    "moved_back": ("Moved back", "Zurück"),
    "funnel_adds_up": ("Each row adds up: in it at the start + entered = advanced + dropped out + moved "
                       "back + still in it. Advanced means to any later stage or won: {skipped} of those "
                       "skipped the next stage, so a stage's advanced can exceed the next one's entered; "
                       "moved back ({back}) counts moves to an earlier stage and re-entering the same one.",
                       "Jede Zeile geht auf: zu Beginn darin + eingetreten = weiter + ausgeschieden + "
                       "zurück + noch darin. „Weiter“ heißt in eine spätere Phase oder gewonnen: {skipped} "
                       "davon übersprangen die nächste Phase, daher kann „weiter“ einer Phase größer sein "
                       "als „eingetreten“ der nächsten; „zurück“ ({back}) zählt Rückschritte in eine "
                       "frühere Phase und erneutes Eintreten in dieselbe."),
    "funnel_adds_up_cohort": ("Each row adds up: entered = advanced + dropped out + moved back + still in "
                              "it. Advanced means to any later stage or won: {skipped} of those skipped "
                              "the next stage; moved back ({back}) counts moves to an earlier stage and "
                              "re-entering the same one.",
                              "Jede Zeile geht auf: eingetreten = weiter + ausgeschieden + zurück + noch "
                              "darin. „Weiter“ heißt in eine spätere Phase oder gewonnen: {skipped} davon "
                              "übersprangen die nächste Phase; „zurück“ ({back}) zählt Rückschritte in "
                              "eine frühere Phase und erneutes Eintreten in dieselbe."),
    "pipeline_h": ("Pipeline at the period's end", "Pipeline am Ende des Zeitraums"),
    "open_deals": ("Open deals", "Offene Deals"),
    "open_amount": ("Open amount", "Offener Betrag"),
    # The funnel's pipeline and the forecast's weighted figure read as the same thing, and differed
    # by millions (the forecast tester): said whose deals each holds.
    "pipeline_basis": ("The pipeline is every deal open at the period's end (today, for a period still "
                       "running), whatever its expected close date, each weighted by its stage's win "
                       "rate; the forecast's weighted figure holds the deals expected in its period alone, "
                       "each at its own probability.",
                       "Die Pipeline sind alle am Ende des Zeitraums offenen Deals (heute, wenn er noch "
                       "läuft), gleich wann sie abschließen sollen, jeder mit der Gewinnrate seiner Phase "
                       "gewichtet; die gewichtete Prognose enthält nur die in ihrem Zeitraum erwarteten "
                       "Deals, jeden mit seiner eigenen Wahrscheinlichkeit."),
    "weighted_pipeline": ("Weighted pipeline", "Gewichtete Pipeline"),
    "weighted_no_history": ("no stage history", "kein Phasenverlauf"),
    "weighted_no_rate": ("no figure: an open deal has no exchange rate",
                         "keine Zahl: ein offener Deal hat keinen Wechselkurs"),
    "velocity": ("Sales velocity per day", "Vertriebsgeschwindigkeit pro Tag"),
    "satisfaction": ("Order value by satisfaction", "Bestellwert nach Zufriedenheit"),
    "satisfaction_note": ("Accounts that answered the NPS survey in the period and ordered, by their "
                          "latest answer; their orders are their won deals up to the period's end. "
                          "Filtered to a team or rep, the answers too are those given to its reps.",
                          "Kunden, die im Zeitraum an der NPS-Umfrage teilnahmen und bestellten, nach "
                          "ihrer letzten Antwort; ihre Bestellungen sind ihre gewonnenen Deals bis zum "
                          "Ende des Zeitraums. Nach Team oder Mitarbeiter gefiltert, zählen auch nur "
                          "die Antworten an diese Mitarbeiter."),
    "group": ("Group", "Gruppe"),
    "accounts": ("Accounts", "Kunden"),
    "orders": ("Orders", "Bestellungen"),
    "average_order": ("Average order", "Ø Bestellung"),
    "ratio": ("Promoters' average order against detractors'", "Ø Bestellung Promotoren ggü. Kritikern"),
    "difference": ("Difference per order", "Unterschied je Bestellung"),
    "p_value": ("p-value", "p-Wert"),
    "times": ("{value} ×", "{value}-fach"),
    "claim": ("The article claims happy customers spend {value} more.",
              "Der Artikel behauptet, zufriedene Kunden gäben {value} mehr aus."),
    "bootstrap_note": ("Interval of the ratio: bootstrap over accounts (orders of one account move "
                       "together).",
                       "Intervall des Verhältnisses: Bootstrap über Kunden (Bestellungen eines Kunden "
                       "hängen zusammen)."),
    # the insights' charts (web/views.py)
    "rate_with_ci": ("Win rate with it (95 % interval)", "Gewinnrate damit (95-%-Intervall)"),
    "rate_without_mark": ("Win rate without it", "Gewinnrate ohne"),
    "effectiveness_chart": ("Win rate with and without each activity type",
                            "Gewinnrate mit und ohne jede Aktivitätsart"),
    "effectiveness_chart_summary": ("{n} activity types; highest win rate with: {label} ({value})",
                                    "{n} Aktivitätsarten; höchste Gewinnrate damit: {label} ({value})"),
    "with_without": ("{with_} with, {without} without", "{with_} mit, {without} ohne"),
    "funnel_chart": ("Deals in each stage", "Deals je Phase"),
    "stage_deals": ("Deals in it", "Deals darin"),
    "funnel_chart_summary": ("{n} stages; {first}: {first_count} deals, {last}: {last_count} deals",
                             "{n} Phasen; {first}: {first_count} Deals, {last}: {last_count} Deals"),
    "in_stage": ("{n} in it, {rate} on", "{n} darin, {rate} weiter"),
    "in_stage_note": ("In it at the start plus entered; \"on\": advanced of the decided stays.",
                      "Zu Beginn darin plus eingetreten; „weiter“: weiter von den entschiedenen "
                      "Aufenthalten."),
    "satisfaction_chart": ("Average order by satisfaction", "Ø Bestellung nach Zufriedenheit"),
    "claim_h": ("The article's 33 % claim", "Die 33-%-Behauptung des Artikels"),
    "claim_says": ("What the article claims", "Was der Artikel behauptet"),
    "claim_text": ("Happy customers spend {value} more: promoters' average order is {ratio} × "
                   "detractors'.",
                   "Zufriedene Kunden geben {value} mehr aus: Die Ø Bestellung der Promotoren ist "
                   "{ratio}-mal so hoch wie die der Kritiker."),
    "data_says": ("What your records say", "Was Ihre Daten sagen"),
    "data_text": ("Promoters' average order is {ratio} × detractors' ({interval}), from {accounts} "
                  "accounts and {orders} orders.",
                  "Die Ø Bestellung der Promotoren ist {ratio}-mal so hoch wie die der Kritiker "
                  "({interval}), aus {accounts} Kunden und {orders} Bestellungen."),
    "data_text_none": ("Too few accounts to say: {promoters} promoter and {detractors} detractor "
                       "accounts with orders.",
                       "Zu wenige Kunden für eine Aussage: {promoters} Promotoren- und {detractors} "
                       "Kritiker-Kunden mit Bestellungen."),
    "verdict": ("Verdict", "Urteil"),
    "claim_chart": ("Promoters' average order against detractors'", "Ø Bestellung Promotoren ggü. Kritikern"),
    "claim_chart_summary": ("Ratio {ratio} with 95 % interval {interval}; the article claims {claim}",
                            "Verhältnis {ratio} mit 95-%-Intervall {interval}; der Artikel behauptet "
                            "{claim}"),
    "no_difference_line": ("same", "gleich"),
    "claim_line": ("article", "Artikel"),
    "ratio_mark": ("Ratio (95 % interval)", "Verhältnis (95-%-Intervall)"),
    "ratio_short": ("Ratio", "Verhältnis"),
    # a win rate's deals, won and lost apart (drilldown.won_lost)
    "won_lost_h": ("Won and lost", "Gewonnen und verloren"),
    "won_part": ("Won", "Gewonnen"),
    "lost_part": ("Lost", "Verloren"),
    "deals_amount": ("{n} deals · {amount}", "{n} Deals · {amount}"),
    "won_lost_rate": ("Win rate {rate}: {won} won of {closed} closed deals.",
                      "Gewinnrate {rate}: {won} von {closed} abgeschlossenen Deals gewonnen."),
    # under the terminal's list of records (salesmetrics records)
    "records_converted": ("amounts in {currency}: those in other currencies converted at the rate of their "
                          "close day, or of the day listed as of while open",
                          "Beträge in {currency}: solche in anderen Währungen umgerechnet zum Kurs ihres "
                          "Abschlusstags, offene zum Kurs des Tages, zu dem sie aufgeführt sind"),
    "records_shown": ("{shown} of {total} shown; --limit 0 shows all, --format csv writes them",
                      "{shown} von {total} gezeigt; --limit 0 zeigt alle, --format csv schreibt sie"),
    # records behind a count that hold deals no exchange rate converts (drilldown.without_rate_note)
    "without_rate": ("{n} deal(s) have no exchange rate to {base} for their currency; listed with the amount "
                     "empty: {deals}. Import fx_rates (date, currency, rate_to_base) covering them.",
                     "{n} Deal(s) ohne Wechselkurs nach {base} für ihre Währung, mit leerem Betrag "
                     "aufgeführt: {deals}. Importieren Sie fx_rates (date, currency, rate_to_base), die sie "
                     "abdecken."),
    "without_rate_more": ("{deals} and {more} more", "{deals} und {more} weitere"),
    "won_lost_without_rate": ("Deals among them without an exchange rate for their currency: {n}. An "
                              "amount holding one is left empty; the counts stand.",
                              "Deals ohne Wechselkurs für ihre Währung darunter: {n}. Ein Betrag mit "
                              "einem solchen Deal bleibt leer; die Anzahlen stimmen."),
    "won_lost_note": ("Won and lost amounts stay two figures: money won is revenue, money lost was "
                      "asked for and not had; a sum of both would be neither.",
                      "Gewonnene und verlorene Beträge bleiben zwei Zahlen: Gewonnenes ist Umsatz, "
                      "Verlorenes wurde angeboten und nicht erzielt; eine Summe beider wäre keins von "
                      "beiden."),
    "lost_reasons": ("Why deals were lost", "Warum Deals verloren gingen"),
    "lost_reasons_add_up": ("The reasons add up to the {n} lost deals.",
                            "Die Gründe ergeben zusammen die {n} verlorenen Deals."),
    "no_reason": ("No reason recorded", "Kein Grund erfasst"),
    "reason": ("Reason", "Grund"),
    "share_of_lost": ("Share of lost", "Anteil an verlorenen"),
    "lost_amount": ("Amount lost", "Verlorener Betrag"),
    "won_lost_link": ("The deals behind the win rate, won and lost apart, and why deals were lost",
                      "Die Deals hinter der Gewinnrate, gewonnen und verloren getrennt, und warum Deals "
                      "verloren gingen"),
    # programs
    "nav_programs": ("Programs", "Programme"),
    "programs_title": ("Enablement programs", "Enablement-Programme"),
    "programs_intro": ("Did the training, playbook or onboarding work? Each program's participants "
                       "against the other reps over the same months: the difference in differences, with "
                       "a 95 % interval from a bootstrap over reps.",
                       "Hat die Schulung, das Playbook oder die Einarbeitung gewirkt? Die Teilnehmer jedes "
                       "Programms gegenüber den übrigen Mitarbeitern in denselben Monaten: die Differenz "
                       "der Differenzen, mit einem 95-%-Intervall aus einem Bootstrap über Mitarbeiter."),
    "programs_none": ("No programs yet: add one with `salesmetrics program add`, or import programs.csv "
                      "and program_participants.csv.",
                      "Noch keine Programme: mit `salesmetrics program add` anlegen oder programs.csv und "
                      "program_participants.csv importieren."),
    "program_id": ("Id", "ID"),
    "program_name": ("Program", "Programm"),
    "program_kind": ("Kind", "Art"),
    "program_start": ("Start", "Beginn"),
    "program_end": ("End", "Ende"),
    "program_cost": ("Cost", "Kosten"),
    "program_participants": ("Participants", "Teilnehmer"),
    "program_windows": ("{days} days before the start ({before}) against {days} days from {after_from} "
                        "({after})",
                        "{days} Tage vor Beginn ({before}) gegenüber {days} Tagen ab {after_from} ({after})"),
    # The window after still running: the one before is cut to as many days (program_effect.py).
    "program_windows_cut": ("{days} days before the start ({before}) against the first {days} of {window} "
                            "days from {after_from} ({after}): the window after is not over yet, so the "
                            "one before is cut to as many days",
                            "{days} Tage vor Beginn ({before}) gegenüber den ersten {days} von {window} "
                            "Tagen ab {after_from} ({after}): das Zeitfenster danach läuft noch, darum "
                            "ist das davor auf ebenso viele Tage gekürzt"),
    "program_comparison": ("Comparison group ({rule}): {reps}", "Vergleichsgruppe ({rule}): {reps}"),
    "program_ramping": ("Still new in the window before (hired since {since}, not at the ramp rule's "
                        "target from its first day): {n} of {of} participants{reps}{compared}. New hires "
                        "improve with no program: among the participants their ramp counts as the "
                        "program's effect, among the others it hides one.",
                        "Im Zeitfenster vorher noch neu (eingestellt seit {since}, nicht ab seinem ersten "
                        "Tag am Ziel der Einarbeitungsregel): {n} von {of} Teilnehmern{reps}{compared}. "
                        "Neue Mitarbeiter werden auch ohne Programm besser: bei den Teilnehmern zählt "
                        "ihre Einarbeitung als Wirkung des Programms, bei den anderen verdeckt sie eine."),
    "program_ramping_others": ("; {m} of {others} in the comparison group",
                               "; {m} von {others} in der Vergleichsgruppe"),
    "program_not_measured": ("Not measured: {reps}.", "Nicht gemessen: {reps}."),
    "program_also_in": ("Also in another program within these windows: {programs}. Its effect is in "
                        "these figures too; the two cannot be told apart.",
                        "Zugleich in einem anderen Programm innerhalb dieser Zeitfenster: {programs}. "
                        "Dessen Wirkung steckt auch in diesen Zahlen; die beiden lassen sich nicht "
                        "trennen."),
    "program_also_in_one": ("{n} of {of} participants in '{name}' (from {start})",
                            "{n} von {of} Teilnehmenden in „{name}“ (ab {start})"),
    "program_added": ("added program '{name}' (id {id}): {kind} from {start}, {n} participant(s)",
                      "Programm „{name}“ angelegt (ID {id}): {kind} ab {start}, {n} Teilnehmende"),
    "program_enrolled": ("'{name}': {changes}; {n} participant(s)", "„{name}“: {changes}; {n} Teilnehmende"),
    "program_joined": ("enrolled {reps}", "aufgenommen: {reps}"),
    "program_left": ("withdrew {reps}", "herausgenommen: {reps}"),
    "program_unchanged": ("no change (already so)", "keine Änderung (schon so)"),
    "program_hired_from_start": (
        "note: hired on or after the start, so not measured by `program effect` (no window before): "
        "{reps}. A change of onboarding is measured on new hires: --kind onboarding.",
        "Hinweis: am oder nach dem Start eingestellt, daher von `program effect` nicht gemessen (kein "
        "Zeitfenster vorher): {reps}. Eine geänderte Einarbeitung wird an Neueinstellungen gemessen: "
        "--kind onboarding."),
    "not_measured_hired_after_start": ("{rep} (hired {hired}, after the start: no window before)",
                                       "{rep} (eingestellt am {hired}, nach dem Start: kein Zeitfenster "
                                       "vorher)"),
    "not_measured_inactive_before": ("{rep} (no closed deal or activity in the window before)",
                                     "{rep} (kein abgeschlossener Deal und keine Aktivität im Zeitfenster "
                                     "vorher)"),
    "not_measured_inactive_after": ("{rep} (no closed deal or activity in the window after)",
                                    "{rep} (kein abgeschlossener Deal und keine Aktivität im Zeitfenster "
                                    "nachher)"),
    "comparison_auto": ("reps active in both windows and in no other program then",
                        "in beiden Zeitfenstern aktive Mitarbeiter ohne anderes Programm in der Zeit"),
    "participants_before": ("Participants before", "Teilnehmer vorher"),
    "participants_after": ("Participants after", "Teilnehmer nachher"),
    "others_before": ("Comparison before", "Vergleich vorher"),
    "others_after": ("Comparison after", "Vergleich nachher"),
    "effect": ("Effect", "Effekt"),
    "reps_compared": ("Reps", "Mitarbeiter"),
    "notes": ("Notes", "Hinweise"),
    "cost_per_won_deal": ("Cost per extra won deal: {value}",
                          "Kosten je zusätzlich gewonnenem Deal: {value}"),
    "cost_per_revenue": ("Cost per extra unit of revenue: {value}",
                         "Kosten je zusätzlicher Umsatzeinheit: {value}"),
    "cost_prorated_note": (" (the cost of the {n} of {m} participants you see, pro rata: {cost})",
                           " (anteilige Kosten der {n} von {m} Teilnehmern, die Sie sehen: {cost})"),
    # Within noise, or untested (one rep on a side: no interval): either way no return shown.
    "cost_noise": (" (the effect is not shown beyond noise: maybe no return at all)",
                   " (der Effekt ist nicht jenseits des Rauschens belegt: vielleicht gar kein Ertrag)"),
    "cost_hint": (" (the effect rests on few reps or deals: a hint, not a finding)",
                  " (der Effekt beruht auf wenigen Mitarbeitern oder Abschlüssen: ein Hinweis, kein Befund)"),
    "cost_no_comparison": (" (no comparison group: the change may be the season's or the market's, not "
                           "the program's)",
                           " (ohne Vergleichsgruppe: Die Veränderung kann von Saison oder Markt kommen, "
                           "nicht vom Programm)"),
    "event_study": ("{kpi}, month by month", "{kpi}, Monat für Monat"),
    "event_participants": ("Participants", "Teilnehmer"),
    "event_others": ("Comparison group", "Vergleichsgruppe"),
    "event_start": ("Start", "Beginn"),
    "event_band": ("Shaded: 95 % interval of each month (bootstrap over reps). The dashed line marks the "
                   "program's start.",
                   "Schattiert: 95-%-Intervall jedes Monats (Bootstrap über Mitarbeiter). Die gestrichelte "
                   "Linie markiert den Programmbeginn."),
    "event_kpi": ("Chart of", "Diagramm für"),
    "onboarding_h": ("New hires' months to ramp", "Monate bis zur Einarbeitung der Neuzugänge"),
    "hired_before": ("Hired before", "Vorher eingestellt"),
    "hired_after": ("Hired from the start", "Ab Beginn eingestellt"),
    "hires": ("Hires", "Neuzugänge"),
    "ramped": ("Ramped", "Eingearbeitet"),
    "median_months": ("Median months to ramp", "Median Monate bis eingearbeitet"),
    "program_error": ("Cannot measure this program: {message}", "Dieses Programm lässt sich nicht messen: "
                      "{message}"),
    "rep_programs": ("Programs taken part in", "Teilnahme an Programmen"),
    "rep_no_programs": ("No programs on record.", "Keine Programme erfasst."),
    "program_marker": ("{name} starts", "Beginn {name}"),
    "programs_bad_query": ("Cannot show kpi={kpi} over window={window} days: the chart shows one of {kpis}, "
                           "over 1 to 3650 days.",
                           "kpi={kpi} über window={window} Tage lässt sich nicht zeigen: Das Diagramm zeigt "
                           "eine von {kpis}, über 1 bis 3650 Tage."),
    # targets
    "targets_title": ("Targets", "Ziele"),
    "targets_read_only": ("Targets are set by an admin of this workspace: here you see them and how they "
                          "stand.",
                          "Ziele setzt ein Admin dieses Arbeitsbereichs: Hier sehen Sie sie und wie sie "
                          "stehen."),
    "targets_intro": ("A goal per KPI for the company, a team or a rep, for one period or standing. A sum's "
                      "target is pro-rated to shorter periods; the pace says how far along it is.",
                      "Ein Ziel je Kennzahl für das Unternehmen, ein Team oder einen Mitarbeiter, für einen "
                      "Zeitraum oder dauerhaft. Das Ziel einer Summe wird auf kürzere Zeiträume anteilig "
                      "umgelegt; das Tempo zeigt, wie weit es erreicht ist."),
    "set_target": ("Set or change a target", "Ziel setzen oder ändern"),
    "target_for": ("For", "Für"),
    "company": ("The company", "Das Unternehmen"),
    # Under a table whose week or month is only partly in the period: "2026-W44 (Nov 1, 2026)".
    "bucket_days": ("(days): only these days are in the figure",
                    "(Tage): nur diese Tage sind mitgezählt"),
    # A group whose records have no value of what they are grouped by (deals without a segment).
    "group_none": ("(none)", "(keine Angabe)"),
    "no_deal_won": ("no deal won in this period", "kein gewonnener Deal in diesem Zeitraum"),
    "products_apart": ("Line items (quantity x price) add up to {items} of the {revenue} won: not every "
                       "won deal has them, or they differ from its amount",
                       "Die Positionen (Menge x Preis) ergeben {items} der gewonnenen {revenue}: nicht "
                       "jeder gewonnene Deal hat welche, oder sie weichen von seinem Betrag ab"),
    "summary_not_filtered": ("Not shown, as they cannot be filtered by {dims}: {kpis}",
                             "Nicht gezeigt, da nicht nach {dims} filterbar: {kpis}"),
    # What a list of records holds (RecordsBehind.kind), counted in its title.
    "record_kind_deals": ("deals", "Deals"),
    "record_kind_deal_items": ("deal items", "Positionen"),
    "record_kind_activities": ("activities", "Aktivitäten"),
    "record_kind_nps_responses": ("answers", "Antworten"),
    "record_kind_reps": ("reps", "Mitarbeiter"),
    # One of them: "1 deals" was written under a workbook of one deal.
    "record_kind_deals_one": ("deal", "Deal"),
    "record_kind_deal_items_one": ("deal item", "Position"),
    "record_kind_activities_one": ("activity", "Aktivität"),
    "record_kind_nps_responses_one": ("answer", "Antwort"),
    "record_kind_reps_one": ("rep", "Mitarbeiter"),
    "no_rate_below": ("no figure: money without an exchange rate (below)",
                      "keine Zahl: Beträge ohne Wechselkurs (siehe unten)"),
    "no_line_items_below": ("no figure: no deal has line items (deal_items), below",
                            "keine Zahl: kein Deal hat Positionen (deal_items), siehe unten"),
    "no_won_lines": ("no lines of won deals (deal_items) in this period",
                     "keine Positionen gewonnener Deals (deal_items) in diesem Zeitraum"),
    # Whom a target is for, in a table's cell: "team east", "Team east".
    "scope_company": ("company", "Unternehmen"),
    "scope_team": ("team {id}", "Team {id}"),
    "scope_rep": ("rep {id}", "Mitarbeiter {id}"),
    "target_value": ("Target", "Ziel"),
    "target_value_help": ("e.g. 250000, 30% or 0.3", "z. B. 250000, 30 % oder 0,3"),
    "target_period_help": ("e.g. 2026-Q4; empty: standing (rates and averages)",
                           "z. B. 2026-Q4; leer: dauerhaft (Quoten und Mittelwerte)"),
    "save": ("Save", "Speichern"),
    "target_status_h": ("Status in {period}", "Stand im Zeitraum {period}"),
    "so_far": ("Figure", "Wert"),
    "elapsed": ("Share of the period gone: {share}.", "Verstrichener Anteil des Zeitraums: {share}."),
    "no_targets_in_period": ("No target applies to this period.", "Für diesen Zeitraum gilt kein Ziel."),
    # Of one who sees part of the workspace: "No targets set yet." told a rep there were none at
    # all, where the company's and other teams' were set (the roles tester).
    "no_targets_of_yours_in_period": ("No target you may see applies to this period.",
                                      "Für diesen Zeitraum gilt kein Ziel, das Sie sehen dürfen."),
    "no_targets_of_yours": ("No target you may see is set yet.",
                            "Noch kein Ziel gesetzt, das Sie sehen dürfen."),
    "targets_set": ("Targets set", "Gesetzte Ziele"),
    "remove": ("Remove", "Entfernen"),
    "remove_target": ("Remove the target for {kpi}, {whom}, {period}",
                      "Ziel für {kpi} entfernen, {whom}, {period}"),
    "no_targets": ("No targets set yet.", "Noch keine Ziele gesetzt."),
    "standing": ("standing", "dauerhaft"),
    "target_saved": ("Target for {kpi} saved.", "Ziel für {kpi} gespeichert."),
    "target_removed": ("Target for {kpi} removed.", "Ziel für {kpi} entfernt."),
    # side by side
    "compare_title": ("Side by side", "Im Vergleich"),
    "compare_intro": ("Two or more teams, or reps, in columns: each KPI with its 95 % interval, and whether "
                      "a column differs from the first beyond noise.",
                      "Zwei oder mehr Teams oder Mitarbeiter in Spalten: jede Kennzahl mit ihrem "
                      "95-%-Intervall, und ob eine Spalte sich jenseits des Rauschens von der ersten "
                      "unterscheidet."),
    "compare_reps": ("Reps (choose two or more)", "Mitarbeiter (zwei oder mehr wählen)"),
    "compare_button": ("Compare", "Vergleichen"),
    "compare_two": ("Choose at least two to compare.", "Bitte mindestens zwei zum Vergleich wählen."),
    "compare_unfiltered": ("Compared whole, not filtered by {dims}: the comparison sets whole teams or reps "
                           "side by side.",
                           "Ganz verglichen, nicht nach {dims} gefiltert: Der Vergleich stellt ganze Teams "
                           "oder Mitarbeiter nebeneinander."),
    "forecast_omitted": ("Deals marked omitted, {amount} in all, count in no bar.",
                         "Als ausgenommen markierte Deals, zusammen {amount}, zählen in keinem Balken."),
    "forecast_omitted_unrated": ("Deals marked omitted count in no bar; their sum is unknown: one has no "
                                 "exchange rate.",
                                 "Als ausgenommen markierte Deals zählen in keinem Balken; ihre Summe ist "
                                 "unbekannt: einer hat keinen Wechselkurs."),
    "forecast_omitted_link": ("List them", "Auflisten"),
    "compare_alone": ("You see your own figures only, so there is nothing here to set side by side.",
                      "Sie sehen nur Ihre eigenen Zahlen, hier lässt sich also nichts gegenüberstellen."),
    "compare_alone_link": ("Your page sets them beside your team's median.",
                           "Ihre Seite stellt sie dem Median Ihres Teams gegenüber."),
    "compare_h": ("{groups}", "{groups}"),
    "compare_significant": ("significantly different", "signifikant anders"),
    "compare_noise": ("within noise", "im Rauschen"),
    "significant_help_compare": ("{p}: a difference this large from {first} is unlikely to be chance (5 % "
                                 "level)",
                                 "{p}: ein so großer Unterschied zu {first} ist kaum Zufall (5-%-Niveau)"),
    "noise_help_compare": ("{p}: a difference this large from {first} can be chance (5 % level)",
                           "{p}: ein so großer Unterschied zu {first} kann Zufall sein (5-%-Niveau)"),
    "compare_note": ("Each column after the first is tested against {first}: two proportions for rates, "
                     "Welch's t for averages, Poisson for counts; sums of money are not tested.",
                     "Jede Spalte nach der ersten wird gegen {first} getestet: zwei Anteile für Quoten, "
                     "der t-Test nach Welch für Mittelwerte, Poisson für Anzahlen; Geldsummen werden "
                     "nicht getestet."),
    # upload
    "upload_title": ("Import records", "Datensätze importieren"),
    "upload_intro": (
        "Drop CSV, Excel or Parquet files here. The file name says the table: deals.csv goes to deals. "
        "An export of another kind (another CRM, in another language) goes with its mapping file (.toml, "
        "proposed by salesmetrics import --inspect FILE): drop both. "
        "An import is all or nothing: any bad value and nothing is written.",
        "CSV-, Excel- oder Parquet-Dateien hier ablegen. Der Dateiname bestimmt die Tabelle: deals.csv wird "
        "zu deals. Ein anderer Export (eines anderen CRM, in einer anderen Sprache) kommt mit seiner "
        "Mapping-Datei (.toml, vorgeschlagen von salesmetrics import --inspect DATEI): beide ablegen. "
        "Ein Import gilt ganz oder gar nicht: Bei einem fehlerhaften Wert wird nichts "
        "geschrieben.",
    ),
    "choose_files": ("Choose files or drop them here", "Dateien auswählen oder hier ablegen"),
    # How the files write numbers and dates: the import command's --decimal-comma and --date-format.
    "upload_formats": ("How the files write numbers and dates", "Wie die Dateien Zahlen und Daten schreiben"),
    "upload_decimal_comma": ("Decimal comma: 1.234,56 (--decimal-comma)",
                             "Dezimalkomma: 1.234,56 (--decimal-comma)"),
    "upload_date_format": ("Dates (--date-format)", "Datumsformat (--date-format)"),
    "upload_encoding": ("Encoding (--encoding)", "Zeichenkodierung (--encoding)"),
    "inspect_refused": ("cannot propose a mapping for {file}: {n} problem(s) found.",
                        "Für {file} lässt sich kein Mapping vorschlagen: {n} Problem(e) gefunden."),
    "upload_source": ("Exported from (--from)", "Exportiert aus (--from)"),
    "upload_canonical": ("salesmetrics files",
                         "salesmetrics-Dateien"),
    "upload_cp1252": ("Windows-1252 (cp1252: Excel on Windows)",
                      "Windows-1252 (cp1252: Excel unter Windows)"),
    "import": ("Import", "Importieren"),
    "imported": ("Imported {files}.", "{files} importiert."),
    # importing/write.py counts them; the command line says the same.
    "emptied_warning": ("{column} emptied in {table} ({n} had a value): a file of this upload gives it "
                        "none, and the newest file replaces a record whole. Upload a file with the "
                        "column to keep it.",
                        "{column} in {table} geleert ({n} hatten einen Wert): eine Datei dieses Uploads "
                        "gibt keinen an, und die neueste Datei ersetzt einen Datensatz ganz. Laden Sie "
                        "eine Datei mit der Spalte hoch, um ihn zu behalten."),
    # An emptied currency changes money: 400 USD re-read as 400 in the base currency, said only as
    # "currency is emptied" (the analyst tester).
    "emptied_currency": ("Their amounts are now read in the workspace's base currency, not their own.",
                         "Ihre Beträge gelten jetzt in der Basiswährung des Arbeitsbereichs, nicht in "
                         "ihrer eigenen."),
    "upload_skipped": ("Skipped {n} rows in {file}: {reason}.",
                       "{n} Zeilen in {file} übersprungen: {reason}."),
    "upload_skipped_one": ("Skipped 1 row in {file}: {reason}.", "1 Zeile in {file} übersprungen: {reason}."),
    "upload_deleted": ("{n} of the {table} the export says were deleted are still in the workspace and "
                       "counted in every figure: an import removes no record.",
                       "{n} der {table}, die laut Export gelöscht wurden, sind weiter im Arbeitsbereich "
                       "und zählen in jeder Zahl mit: ein Import entfernt keinen Datensatz."),
    "upload_history": ("Kept the history of {n} deals (new, or with a changed amount, expected close "
                       "date, forecast category, probability or stage).",
                       "Verlauf von {n} Deals festgehalten (neu, oder mit geändertem Betrag, "
                       "erwartetem Abschlussdatum, Forecast-Kategorie, Wahrscheinlichkeit oder Phase)."),
    "refused": ("Import refused, nothing was written: {n} problem(s) found.",
                "Import abgelehnt, nichts wurde geschrieben: {n} Problem(e) gefunden."),
    "more_problems": ("... and {n} more", "... und {n} weitere"),
    "repeated_lines": ("{n} lines from {first}", "{n} Zeilen ab {first}"),
    "repeated_where": ("{n} lines from line {first}", "{n} Zeilen ab Zeile {first}"),
    "repeated_values": ("{n} different values: {values}", "{n} verschiedene Werte: {values}"),
    "values_more": ("and {n} more", "und {n} weitere"),  # filled in by errors.Repeated
    "characters": ("characters", "Zeichen"),  # a long value cut short: errors.quoted
    "file": ("File", "Datei"),
    "line": ("Line", "Zeile"),
    "column": ("Column", "Spalte"),
    "value": ("Value", "Wert"),
    "problem": ("Problem", "Problem"),
    "table": ("Table", "Tabelle"),
    "inserted": ("inserted", "neu"),
    "updated": ("updated", "geändert"),
    "same": ("unchanged", "unverändert"),
    "no_files": ("Choose at least one file.", "Bitte mindestens eine Datei wählen."),
    # the import command (cli/imports.py) says what the upload page says, with what to run
    "imported_into": ("Imported into {path}", "Importiert in {path}"),
    # A file written by --output (report --format xlsx, records, digest).
    "wrote": ("wrote {file}", "{file} geschrieben"),
    "wrote_rows": ("wrote {file} ({n} rows)", "{file} geschrieben ({n} Zeilen)"),
    "wrote_what": ("wrote {file} ({what})", "{file} geschrieben ({what})"),
    "import_skipped": ("skipped {n} {reason} in {file}", "{n} {reason} in {file} übersprungen"),
    "import_without_rows": ("warning: {file} has a header and no rows: nothing of it was imported (an export "
                            "filtered to nothing?)",
                            "Warnung: {file} hat eine Kopfzeile und keine Zeilen: nichts daraus wurde "
                            "importiert (ein Export, dessen Filter nichts übrig ließ?)"),
    "import_deleted": ("warning: {n} of the {table} the export says were deleted {verb} still in the "
                       "workspace and counted in every figure: {shown}. An import removes no record; to "
                       "drop them, import the current export into a new workspace.",
                       "Warnung: laut Export gelöschte {table}, weiter im Arbeitsbereich und in jeder "
                       "Zahl mitgezählt: {n} ({shown}). Ein Import entfernt keinen Datensatz; um sie "
                       "loszuwerden, den aktuellen Export in einen neuen Arbeitsbereich importieren."),
    "import_deleted_more": ("{shown} and {n} more", "{shown} und {n} weitere"),
    "import_emptied": ("warning: {column} is emptied in {n} {records} of {table} that had one: a file "
                       "of this import gives it no value, and the newest file replaces a record whole. "
                       "Import a file with the column to keep it.",
                       "Warnung: {column} in {table} geleert (Datensätze, die einen Wert hatten: {n}): "
                       "eine Datei dieses Imports gibt keinen an, und die neueste Datei ersetzt einen "
                       "Datensatz ganz. Eine Datei mit der Spalte importieren, um ihn zu behalten."),
    "import_ahead": ("warning: {n} of the {table} in the workspace are dated after this import's time "
                     "({column}, the latest {latest}): they count in the figures of their days. "
                     "Planned records that have not happened yet are best left out of the export.",
                     "Warnung: {table} im Arbeitsbereich, nach dem Zeitpunkt dieses Imports datiert "
                     "({column}): {n}, das späteste {latest}. Sie zählen in den Zahlen ihrer Tage mit. "
                     "Geplante Datensätze, die noch nicht stattgefunden haben, besser nicht "
                     "exportieren."),
    "import_overlapping": ("warning: {n} rep(s) with quotas whose days overlap, which quota attainment adds "
                           "up (e.g. {rep}: {first} and {second}). A corrected quota beside the one it "
                           "corrects? A quota's key is its days, so the old one stays: import the "
                           "corrected quotas into a new workspace if so.",
                           "Warnung: {n} Mitarbeiter mit Quoten, deren Tage sich überschneiden; die "
                           "Quotenerfüllung addiert sie (z. B. {rep}: {first} und {second}). Eine "
                           "korrigierte Quote neben der alten? Der Schlüssel einer Quote sind ihre Tage, "
                           "die alte bleibt also: dann die korrigierten Quoten in einen neuen "
                           "Arbeitsbereich importieren."),
    "import_unstaffed": ("warning: no rep is on {teams} after this import, of manager {user}'s teams: "
                         "their views hold none of those teams' deals, activities or answers. The reps "
                         "file's team column says who is on a team; `salesmetrics user remove` and "
                         "`user add --team` give the account other teams (and end its sign-ins and "
                         "tokens).",
                         "Warnung: Nach diesem Import ist in {teams} (Manager {user}) kein Mitarbeiter "
                         "mehr: Die Ansichten dieses Kontos enthalten keine Deals, Aktivitäten oder "
                         "Antworten davon. Wer in einem Team ist, sagt die Spalte team der "
                         "Mitarbeiterdatei; `salesmetrics user remove` und `user add --team` weisen dem "
                         "Konto andere Teams zu (und beenden seine Anmeldungen und Tokens)."),
    "import_look_alike": ("warning: answers in the workspace that look like copies of others (the "
                          "same score, account, rep and second under another id, e.g. '{first}' and "
                          "'{second}'): {n}. The same survey imported twice, its ids made differently? "
                          "NPS counts each copy, and its interval narrows as if more people had "
                          "answered. If they are copies, import the survey once into a new workspace, "
                          "with an id that stays the same from one export to the next.",
                          "Warnung: Antworten im Arbeitsbereich, die wie Kopien anderer aussehen "
                          "(gleiche Bewertung, gleicher Kunde, gleicher Mitarbeiter, gleiche Sekunde, "
                          "andere ID, z. B. '{first}' und '{second}'): {n}. Dieselbe Umfrage zweimal "
                          "importiert, mit unterschiedlich gebildeten IDs? Der NPS zählt jede Kopie, "
                          "und sein Intervall wird enger, als hätten mehr Personen geantwortet. Sind es "
                          "Kopien: die Umfrage einmal in einen neuen Arbeitsbereich importieren, mit "
                          "einer ID, die von Export zu Export gleich bleibt."),
    "import_history": ("kept the history of {n} deals (new, or with a changed amount, expected close "
                       "date, forecast category, probability or stage)",
                       "Verlauf festgehalten für Deals (neu, oder mit geändertem Betrag, erwartetem "
                       "Abschlussdatum, Forecast-Kategorie, Wahrscheinlichkeit oder Phase): {n}"),
    # errors
    "error": ("Something is not right", "Etwas stimmt nicht"),
    "not_found": ("Not found", "Nicht gefunden"),
    "forbidden": ("Not allowed", "Keine Berechtigung"),
}

# What a figure's n counts, per KPI.
N_WORDS: dict[str, tuple[str, str]] = {
    "total_revenue": ("won deals", "gewonnenen Deals"),
    "revenue_per_rep": ("won deals", "gewonnenen Deals"),
    "revenue_per_product": ("won deals", "gewonnenen Deals"),
    "average_deal_size": ("won deals", "gewonnenen Deals"),
    "sales_cycle_length": ("won deals", "gewonnenen Deals"),
    "sales_cycle_median_km": ("deals", "Deals"),
    "win_rate": ("closed deals", "abgeschlossenen Deals"),
    "pipeline_win_rate": ("opportunities", "Verkaufschancen"),
    "lost_deals": ("lost deals", "verlorenen Deals"),
    "lost_value": ("lost deals", "verlorenen Deals"),
    "quota_attainment": ("won deals", "gewonnenen Deals"),
    "activity_count": ("activities", "Aktivitäten"),
    "nps": ("answers", "Antworten"),
    "ramp_time": ("reps", "Mitarbeitern"),
}

# The same, for a figure resting on one record ("based on 1 rep", never "1 reps").
N_WORDS_ONE: dict[str, tuple[str, str]] = {
    "total_revenue": ("won deal", "gewonnenen Deal"),
    "revenue_per_rep": ("won deal", "gewonnenen Deal"),
    "revenue_per_product": ("won deal", "gewonnenen Deal"),
    "average_deal_size": ("won deal", "gewonnenen Deal"),
    "sales_cycle_length": ("won deal", "gewonnenen Deal"),
    "sales_cycle_median_km": ("deal", "Deal"),
    "win_rate": ("closed deal", "abgeschlossenen Deal"),
    "pipeline_win_rate": ("opportunity", "Verkaufschance"),
    "quota_attainment": ("won deal", "gewonnenen Deal"),
    "activity_count": ("activity", "Aktivität"),
    "nps": ("answer", "Antwort"),
    "ramp_time": ("rep", "Mitarbeiter"),
}

COLUMNS: dict[str, tuple[str, str]] = {
    "deal_id": ("Deal", "Deal"),
    "closed_at": ("Closed", "Abgeschlossen"),
    "created_at": ("Created", "Angelegt"),
    "rep": ("Rep", "Mitarbeiter"),
    "rep_name": ("Rep name", "Mitarbeitername"),
    "product_name": ("Product name", "Produktname"),
    "team": ("Team", "Team"),
    "account": ("Account", "Kunde"),
    "source": ("Source", "Quelle"),
    "pipeline": ("Pipeline", "Pipeline"),
    "status": ("Status", "Status"),
    "amount": ("Amount", "Betrag"),
    "cycle_days": ("Cycle", "Zyklus"),
    "won_in_period": ("Won in period", "Im Zeitraum gewonnen"),
    "product": ("Product", "Produkt"),
    "revenue": ("Revenue", "Umsatz"),
    "activity_id": ("Activity", "Aktivität"),
    "occurred_at": ("When", "Zeitpunkt"),
    "activity_type": ("Type", "Art"),
    "response_id": ("Answer", "Antwort"),
    "responded_at": ("Answered", "Beantwortet"),
    "score": ("Score", "Bewertung"),
    "category": ("Category", "Kategorie"),
    "days": ("Days", "Tage"),
    "lost_count": ("Lost", "Verloren"),
    "lost_value": ("Lost value", "Verlorener Wert"),
    "lost_rate": ("Lost rate", "Verlustquote"),
    "previous_rate": ("Before", "Vorher"),
    "change": ("Change", "Änderung"),
    "test": ("Beyond noise?", "Jenseits des Rauschens?"),
    "segment": ("Segment", "Segment"),
    "industry": ("Industry", "Branche"),
    "region": ("Region", "Region"),
    "lost_reason": ("Lost reason", "Verlustgrund"),
}

KINDS: dict[str, tuple[str, str]] = {
    "deals": ("deals", "Deals"),
    "deal_items": ("deal line items", "Deal-Positionen"),
    "activities": ("activities", "Aktivitäten"),
    "nps_responses": ("NPS answers", "NPS-Antworten"),
    "reps": ("reps", "Mitarbeiter"),
}

# Values the records hold as codes.
VALUES: dict[str, tuple[str, str]] = {
    "won": ("won", "gewonnen"),
    "lost": ("lost", "verloren"),
    "open": ("open", "offen"),
    "promoter": ("promoter", "Promotor"),
    "passive": ("passive", "Passiv"),
    "detractor": ("detractor", "Kritiker"),
    "ramped": ("productive", "produktiv"),
    "still_ramping": ("still ramping", "noch in Einarbeitung"),
    "call": ("call", "Anruf"),
    "email": ("email", "E-Mail"),
    "social": ("social", "Social Media"),
    "meeting": ("meeting", "Termin"),
    "demo": ("demo", "Demo"),
    "true": ("yes", "ja"),
    "false": ("no", "nein"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang.lower().startswith("de") else pair[0]


def text(key: str, lang: str, **values: object) -> str:
    words = _pick(_TEXT[key], lang)
    return words.format(**values) if values else words


def kind_count(n: int, kind: str, lang: str) -> str:
    """``3 deals``, ``1 deal``: how many records of a kind (RecordsBehind.kind) a list holds."""
    return f"{n} {text(f'record_kind_{kind}' + ('_one' if n == 1 else ''), lang)}"


# The periods named relative to today, as typed (periods.py): said in the reader's language.
RELATIVE_PERIODS = ("today", "yesterday", "this-week", "last-week", "this-month", "last-month",
                    "last-30-days", "last-90-days", "this-quarter", "last-quarter", "this-year",
                    "last-year")
_LAST_DAYS = re.compile(r"last (\d+) days to (\S+)")
_DAYS = re.compile(r"\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}")


def german_dates(label: str) -> str:
    """The ISO days of a label (``2026-10-01..2026-12-31``) as a German reader writes them."""
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3.\2.\1", label).replace("..", " – ")


def period_name(label: str, lang: str, *, sentence: bool = False) -> str:
    """A period's label for a German reader: ``Letzter Monat`` for last-month (``letzter Monat``
    inside a sentence; ``Letzter Monat (2026-11-01..2026-11-30)`` for the label as of a day says
    it); 2026-Q4 as it is. English keeps the token as typed, which scripts read back."""
    if not lang.lower().startswith("de"):
        return label
    if days := _LAST_DAYS.fullmatch(label):  # last-N-days as of a day: "last 30 days to 2026-11-15"
        said = text("last_days_to", lang, n=days[1], day=german_dates(days[2]))
        return said[:1].lower() + said[1:] if sentence else said
    head, sep, dates = label.partition(" (")
    if head not in RELATIVE_PERIODS:
        return german_dates(label) if _DAYS.fullmatch(label) else label
    name = text(head, lang)
    return (name[:1].lower() + name[1:] if sentence else name) + sep + german_dates(dates)


def lookup(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    return _pick(pair, lang) if pair else key
