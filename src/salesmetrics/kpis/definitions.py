"""The KPI catalogue: each KPI defined once, with its words in English and German and its formula.

Sources: the seed article (a CRM vendor's blog on sales-enablement KPIs) and KPIS.md. Every face
(CLI, dashboard, API, docs) reads these definitions; none repeats them.
"""

from __future__ import annotations

from . import formulas as f
from . import samples as s
from . import survival
from .model import KPI, Text

# What every deal-based KPI is grouped and filtered by; segment, industry and region are those of the
# deal's account (accounts).
ALL_CATEGORIES = frozenset({"rep", "team", "source", "pipeline", "segment", "industry", "region"})
TIME = frozenset({"day", "week", "month", "quarter"})

KPIS: tuple[KPI, ...] = (
    KPI(
        id="total_revenue",
        section="revenue",
        title=Text("Total revenue", "Gesamtumsatz"),
        description=Text(
            "Revenue from deals won in the period. It shows whether selling got easier: the easier reps "
            "close, the more often they do. Sum of the won deals' amounts (price x quantity sold); per "
            "product, the sum of the won deals' line items.",
            "Umsatz aus den im Zeitraum gewonnenen Deals. Er zeigt, ob Verkaufen leichter geworden ist. "
            "Summe der Beträge gewonnener Deals (Preis x verkaufte Menge); je Produkt die Summe der "
            "Positionen gewonnener Deals.",
        ),
        unit="money",
        higher_is_better=True,
        formula="sum(amount of deals won in the period); by product: sum(quantity x unit_price)",
        dimensions=ALL_CATEGORIES | {"product"} | TIME,
        aggregation="sum",
        compute=f.revenue,
        finalize=f.money_sum,
    ),
    KPI(
        id="revenue_per_rep",
        section="revenue",
        title=Text("Revenue per rep", "Umsatz pro Vertriebsmitarbeiter"),
        description=Text(
            "Revenue each rep brought in during the period. Reps who close at a steady clip show the "
            "strategy works; those who struggle show where coaching should start. Sum of each rep's "
            "won deals.",
            "Umsatz, den jeder Vertriebsmitarbeiter im Zeitraum erzielt hat. Wer stetig abschließt, "
            "zeigt, dass die Strategie wirkt; wer sich schwertut, zeigt, wo Coaching ansetzen sollte. "
            "Summe der gewonnenen Deals je Mitarbeiter.",
        ),
        unit="money",
        higher_is_better=True,
        formula="sum(amount of deals won in the period) per rep",
        dimensions=ALL_CATEGORIES | {"product"} | TIME,
        aggregation="sum",
        always_by=("rep",),
        compute=f.revenue,
        finalize=f.money_sum,
    ),
    KPI(
        id="revenue_per_product",
        section="revenue",
        title=Text("Revenue per product", "Umsatz pro Produkt"),
        description=Text(
            "Revenue per product or service: which offerings are worth the most, so the sales process "
            "and content can put them first. Price x quantity of each product on deals won in the period.",
            "Umsatz je Produkt oder Dienstleistung: welche Angebote am wertvollsten sind, damit "
            "Vertriebsprozess und Inhalte sie priorisieren. Preis x Menge je Produkt auf den im "
            "Zeitraum gewonnenen Deals.",
        ),
        unit="money",
        higher_is_better=True,
        formula="sum(quantity x unit_price) of items on deals won in the period, per product",
        dimensions=ALL_CATEGORIES | {"product"} | TIME,
        aggregation="sum",
        always_by=("product",),
        compute=f.revenue,
        finalize=f.money_sum,
    ),
    KPI(
        id="average_deal_size",
        section="productivity",
        title=Text("Average deal size", "Durchschnittliche Dealgröße"),
        description=Text(
            "Average money per won deal: what a new customer is worth. Too low, and reps should focus on "
            "better-qualified leads or upsell. Revenue of deals won in the period / their number.",
            "Durchschnittlicher Betrag je gewonnenem Deal: was ein Neukunde wert ist. Ist er zu niedrig, "
            "sollten sich Mitarbeiter auf besser qualifizierte Leads oder Upselling konzentrieren. "
            "Umsatz der im Zeitraum gewonnenen Deals / deren Anzahl.",
        ),
        unit="money",
        higher_is_better=True,
        formula="sum(amount) / count(deals won in the period)",
        dimensions=ALL_CATEGORIES | TIME,
        aggregation="mean",
        compute=f.average_deal_size,
        finalize=f.money_mean,
        empty=Text("no deal won", "kein Deal gewonnen"),
        sample=s.mean,
    ),
    KPI(
        id="sales_cycle_length",
        section="productivity",
        title=Text("Sales cycle length", "Länge des Verkaufszyklus"),
        description=Text(
            "Days from a deal's creation (first engagement) to its win: how easily deals move and where "
            "friction slows them. Calendar days from created_at to closed_at, averaged over deals won in "
            "the period. It sees only closed deals, so it runs short while many deals are still open.",
            "Tage von der Anlage eines Deals (erster Kontakt) bis zum Gewinn: wie leicht Deals "
            "vorankommen und wo sie hängen. Kalendertage von created_at bis closed_at, gemittelt über "
            "die im Zeitraum gewonnenen Deals. Sieht nur abgeschlossene Deals und fällt daher kurz aus, "
            "solange viele Deals offen sind.",
        ),
        unit="days",
        higher_is_better=False,
        formula="sum(closed_at date - created_at date) / count(deals won in the period)",
        dimensions=ALL_CATEGORIES | TIME,
        aggregation="mean",
        compute=f.sales_cycle_length,
        finalize=f.mean_days,
        empty=Text("no deal won", "kein Deal gewonnen"),
        sample=s.mean,
    ),
    KPI(
        id="sales_cycle_median_km",
        section="productivity",
        title=Text("Sales cycle (median, open deals counted)",
                   "Verkaufszyklus (Median, offene Deals mitgezählt)"),
        description=Text(
            "Median days from a deal's creation to its win, by Kaplan-Meier: deals won in the period "
            "count with their cycle, deals still open at the period's end count as not won yet at their "
            "age then (censored), lost deals are left out. The simple average ignores the open deals, so it "
            "runs short while long deals are still open; this median does not.",
            "Median der Tage von der Anlage eines Deals bis zum Gewinn, nach Kaplan-Meier: im Zeitraum "
            "gewonnene Deals zählen mit ihrem Zyklus, am Ende des Zeitraums noch offene Deals als bis "
            "dahin nicht gewonnen (zensiert), verlorene Deals bleiben außen vor. Der einfache "
            "Durchschnitt übersieht die offenen Deals und fällt kurz aus, solange lange Deals offen "
            "sind; dieser Median nicht.",
        ),
        unit="days",
        higher_is_better=False,
        formula="Kaplan-Meier median of days to win; won in the period: event, open at its end: censored",
        dimensions=ALL_CATEGORIES,
        aggregation="median",
        compute=survival.sales_cycle_km,
        finalize=survival.km_median,
        dated=False,
        empty=Text("no deal won or open", "kein Deal gewonnen oder offen"),
        sample=s.survival,
        notes=Text(
            "Interval: Brookmeyer-Crowley (log-log Greenwood band of the curve). Flag "
            "median_not_reached when fewer than half of the deals have been won yet; lower_bound then "
            "holds the longest time observed, which the median lies beyond (\"over N days\").",
            "Intervall: Brookmeyer-Crowley (log-log-Greenwood-Band der Kurve). Hinweis "
            "median_not_reached, wenn noch nicht die Hälfte der Deals gewonnen ist; lower_bound hält "
            "dann die längste beobachtete Zeit, jenseits derer der Median liegt („über N Tage“).",
        ),
    ),
    KPI(
        id="win_rate",
        section="productivity",
        title=Text("Win rate (closed)", "Gewinnrate (abgeschlossen)"),
        description=Text(
            "Share of opportunities turned into customers, in the common CRM reading: won / (won + lost) "
            "among deals closed in the period. It reflects lead quality and training. The seed's literal "
            "reading is pipeline_win_rate.",
            "Anteil der Verkaufschancen, die zu Kunden wurden, in der üblichen CRM-Lesart: gewonnen / "
            "(gewonnen + verloren) unter den im Zeitraum abgeschlossenen Deals. Sie spiegelt Lead-"
            "Qualität und Schulung. Die wörtliche Lesart des Artikels ist pipeline_win_rate.",
        ),
        unit="ratio",
        higher_is_better=True,
        formula="count(won) / count(won + lost), deals closed in the period",
        dimensions=ALL_CATEGORIES | TIME,
        aggregation="share",
        compute=f.win_rate,
        finalize=f.share,
        empty=Text("no deal closed", "kein Deal abgeschlossen"),
        sample=s.proportion,
    ),
    KPI(
        id="pipeline_win_rate",
        section="productivity",
        title=Text("Win rate (pipeline)", "Gewinnrate (Pipeline)"),
        description=Text(
            "The article's literal reading of win rate: deals won in the period / all opportunities that "
            "were open at any time in the period (including those still open and those lost). Lower than "
            "the closed reading while deals are still open.",
            "Die wörtliche Lesart des Artikels: im Zeitraum gewonnene Deals / alle Verkaufschancen, die "
            "irgendwann im Zeitraum offen waren (auch noch offene und verlorene). Niedriger als die "
            "abgeschlossene Lesart, solange Deals offen sind.",
        ),
        unit="ratio",
        higher_is_better=True,
        formula="count(won in the period) / count(open at any time in the period)",
        dimensions=ALL_CATEGORIES,
        aggregation="share",
        compute=f.pipeline_win_rate,
        finalize=f.share,
        dated=False,
        empty=Text("no deal open", "kein offener Deal"),
        sample=s.proportion,
    ),
    KPI(
        id="lost_deals",
        section="productivity",
        title=Text("Lost deals by reason", "Verlorene Deals nach Grund"),
        description=Text(
            "Deals lost in the period, per lost reason: why deals are lost, and how often. Count of "
            "deals lost in the period (closed_at in it), grouped by their lost_reason; deals lost "
            "without a reason form a group of their own. `salesmetrics losses` sets each reason "
            "against all closed deals, with intervals and the period before.",
            "Im Zeitraum verlorene Deals je Verlustgrund: warum Deals verloren gehen und wie oft. "
            "Anzahl der im Zeitraum verlorenen Deals (closed_at darin), gruppiert nach lost_reason; "
            "Deals ohne Grund bilden eine eigene Gruppe. `salesmetrics losses` setzt jeden Grund "
            "ins Verhältnis zu allen abgeschlossenen Deals, mit Intervallen und der Vorperiode.",
        ),
        unit="count",
        higher_is_better=False,
        formula="count(deals lost in the period) per lost_reason",
        dimensions=ALL_CATEGORIES | {"lost_reason"} | TIME,
        aggregation="count",
        always_by=("lost_reason",),
        compute=f.lost_deals,
        finalize=f.count,
        sample=s.count,
    ),
    KPI(
        id="lost_value",
        section="productivity",
        title=Text("Lost value by reason", "Verlorener Wert nach Grund"),
        description=Text(
            "The amount of the deals lost in the period, per lost reason: what each reason costs. "
            "Sum of the amounts of deals lost in the period, grouped by their lost_reason.",
            "Der Betrag der im Zeitraum verlorenen Deals je Verlustgrund: was jeder Grund kostet. "
            "Summe der Beträge der im Zeitraum verlorenen Deals, gruppiert nach lost_reason.",
        ),
        unit="money",
        higher_is_better=False,
        formula="sum(amount of deals lost in the period) per lost_reason",
        dimensions=ALL_CATEGORIES | {"lost_reason"} | TIME,
        aggregation="sum",
        always_by=("lost_reason",),
        compute=f.lost_value,
        finalize=f.money_sum,
    ),
    KPI(
        id="quota_attainment",
        section="team",
        title=Text("Quota attainment", "Quotenerreichung"),
        reads_money=True,
        description=Text(
            "Share of the sales target reached, per rep or team: are reps equipped to close? Revenue won "
            "in the period / quota for the period. A quota that the period cuts is pro-rated by days "
            "(flag quota_prorated). A team's quota is its own where set, else the sum of its reps'; "
            "where that leaves deals won by reps without a quota on top of the ratio only, the figure "
            "says so (flag unquoted_revenue).",
            "Anteil des erreichten Verkaufsziels je Mitarbeiter oder Team: Sind die Mitarbeiter für den "
            "Abschluss gerüstet? Im Zeitraum gewonnener Umsatz / Quote für den Zeitraum. Eine vom "
            "Zeitraum angeschnittene Quote wird tagesgenau anteilig gerechnet (Hinweis quota_prorated). "
            "Die Quote eines Teams ist seine eigene, sonst die Summe der Quoten seiner Mitarbeiter; "
            "stehen dann Abschlüsse von Mitarbeitern ohne Quote nur im Zähler, sagt die Zahl es "
            "(Hinweis unquoted_revenue).",
        ),
        unit="ratio",
        higher_is_better=True,
        formula="sum(won amount) / sum(quota pro-rated by days to the period)",
        dimensions=frozenset({"rep", "team"}) | TIME,
        aggregation="ratio",
        compute=f.quota_attainment,
        finalize=f.attainment,
        empty=Text("no quota", "keine Quote"),
    ),
    KPI(
        id="activity_count",
        section="team",
        title=Text("Activities", "Aktivitäten"),
        description=Text(
            "Calls, emails, social engagements, meetings booked and demos given: how reps spend their "
            "time. Set against conversion, it tells whether a rep needs to work more or needs better "
            "training. Count of activities that happened in the period.",
            "Anrufe, E-Mails, Social-Media-Kontakte, vereinbarte Termine und Demos: wie Mitarbeiter ihre "
            "Zeit verbringen. Neben die Abschlussquote gestellt, zeigt es, ob jemand mehr arbeiten muss "
            "oder besser geschult werden sollte. Anzahl der Aktivitäten im Zeitraum.",
        ),
        unit="count",
        higher_is_better=True,
        formula="count(activities that happened in the period)",
        dimensions=frozenset({"rep", "team", "activity_type"}) | TIME,
        aggregation="count",
        compute=f.activity_count,
        finalize=f.count,
        sample=s.count,
        needs=("activities", "activity_id", "no_activities"),
        reads=("activities",),
    ),
    KPI(
        id="nps",
        section="team",
        title=Text("Net Promoter Score", "Net Promoter Score"),
        description=Text(
            "How satisfied customers are: happy customers stay longer and spend more per order. Share of "
            "promoters (9-10) minus share of detractors (0-6) among all answers in the period, on a "
            "-100..100 scale; passives (7-8) count in the base.",
            "Wie zufrieden Kunden sind: Zufriedene Kunden bleiben länger und geben pro Bestellung mehr "
            "aus. Anteil der Promotoren (9-10) minus Anteil der Kritiker (0-6) an allen Antworten im "
            "Zeitraum, auf einer Skala von -100 bis 100; Passive (7-8) zählen im Nenner mit.",
        ),
        unit="score",
        higher_is_better=True,
        formula="100 x (count(score >= 9) - count(score <= 6)) / count(answers)",
        dimensions=frozenset({"rep", "team"}) | TIME,
        aggregation="score",
        compute=f.nps,
        finalize=f.net_promoter,
        empty=Text("no answers", "keine Antworten"),
        sample=s.nps,
        reads=("nps_responses",),
    ),
    KPI(
        id="ramp_time",
        section="team",
        title=Text("Ramp time", "Einarbeitungszeit"),
        description=Text(
            "Days a new hire needs to become productive: at the ramp rule's target for a sustained "
            "stretch, not in one lucky month (RAIN Group: about 9 months to competency, 15 to top "
            "performer). A rep is ramped at the first month that completes K months at target within N "
            "consecutive months (setting ramp_sustain, default 2 of 3); the days run from hire to the "
            "end of the first of those K months. The target: by default 100 % of the rep's quota, or "
            "without quotas the median monthly revenue of reps with more than 12 months of tenure, over "
            "complete months. "
            "Averages the reps whose ramp was confirmed in the period; a group whose reps are all still "
            "ramping has no value, only their days so far.",
            "Tage, die neue Mitarbeiter brauchen, um produktiv zu werden: dauerhaft am Ziel der "
            "Einarbeitungsregel, nicht in einem einzelnen Glücksmonat (RAIN Group: etwa 9 Monate bis "
            "zur Kompetenz, 15 bis zur Spitzenleistung). Eingearbeitet ist, wer in K von N "
            "aufeinanderfolgenden Monaten das Ziel erreicht (Einstellung ramp_sustain, standardmäßig 2 "
            "von 3), ab dem Monat, der das vollendet; gezählt wird von der Einstellung bis zum Ende des "
            "ersten dieser K Monate. Das Ziel: standardmäßig 100 % der Quote, ohne Quoten der "
            "Median-Monatsumsatz der Mitarbeiter mit mehr als 12 Monaten Betriebszugehörigkeit, über "
            "vollständige Monate gerechnet. "
            "Mittelt über Mitarbeiter, deren Einarbeitung im Zeitraum feststand; eine Gruppe, in der "
            "alle noch in der Einarbeitung sind, hat keinen Wert, nur die bisherigen Tage.",
        ),
        unit="days",
        higher_is_better=False,
        formula="mean(end of first of K months at target within N consecutive - hired_on), reps "
                "whose ramp was confirmed in the period",
        dimensions=frozenset({"rep", "team"}),
        aggregation="mean",
        compute=f.ramp_time,
        finalize=f.ramp,
        dated=False,
        empty=Text("no new rep ramped", "kein Neuzugang eingearbeitet"),
        needs=("reps", "hired_on", "no_hire_dates"),
        sample=s.ramp_mean,
    ),
)
