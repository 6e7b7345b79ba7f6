"""Words of a closed stage in the languages a CRM's screens are set to, read alike where a stage is
imported (a deal's status from its stage) and where the funnel tells an outcome written as a stage
from a step of it.

A word of winning or losing anywhere in the stage; a word of closing only at its start, where the
standard stages have it: "Qualifizierung abgeschlossen" (qualification done), "Discovery closed" or
"Offre ferme envoyée" are open stages. A regular expression both Python and DuckDB read.
"""

CLOSED_WORDS = (r"(^|[^a-z])(won|lost|gewonnen|verloren|gagn(é|e)e?s?|perdue?s?|ganad[oa]s?|perdid[oa]s?|"
                r"vint[oa]|pers[oa]|ganh[oa]s?)([^a-z]|$)|^(closed|geschlossen|abgeschlossen|ferm(é|e)e?s?|"
                r"conclue?s?|cerrad[oa]s?|chius[oa]|gesloten|fechad[oa]s?)([^a-z]|$)")
