"""The demo's sales team: 22 reps in three teams, each with a profile of how they sell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


# -- the team --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    rep_id: str
    name: str
    team: str
    hired_days_ago: int | None  # None: the export has no hire date for this rep
    volume: float = 1.0  # deals created, relative to the average rep
    skill: float = 1.0  # win probability, relative
    activity: float = 1.0  # activities logged per deal, relative
    size: float = 1.0  # seats per deal, relative
    quota_level: float = 1.0  # quota relative to a standard account executive


PROFILES: tuple[Profile, ...] = (
    Profile("R001", "Olivia Bennett", "east", 1420),
    Profile("R002", "Marcus Chen", "east", 1300, volume=1.1, skill=1.05, size=1.4,
             quota_level=2.0),
    Profile("R003", "Priya Raman", "east", 1050, skill=1.05),
    Profile("R004", "Daniel Okafor", "east", 820, volume=1.15, skill=0.55, activity=2.4, size=0.9),
    Profile("R005", "Sophie Laurent", "east", 600),
    Profile("R006", "Jonas Weber", "east", 210),
    Profile("R007", "Emily Carter", "east", 45),
    Profile("R008", "Carlos Mendoza", "west", None, volume=1.1, skill=1.1, size=1.25,
             quota_level=1.25),
    Profile("R009", "Hannah Schultz", "west", 1380, volume=0.9, skill=1.5, activity=0.45,
             size=1.1),
    Profile("R010", "Ethan Brooks", "west", 1150, skill=0.95),
    Profile("R011", "Aisha Khan", "west", 960, volume=1.1, skill=1.1, size=1.5, quota_level=2.0),
    Profile("R012", "Lucas Moreau", "west", 700, volume=0.9, skill=0.9, size=0.9),
    Profile("R013", "Grace Kim", "west", 480),
    Profile("R014", "Noah Fischer", "west", 130),
    Profile("R015", "Isabella Rossi", "central", 1440),
    Profile("R016", "Michael O'Brien", "central", 1250, volume=1.05, skill=1.05, size=1.25,
             quota_level=1.25),
    Profile("R017", "Fatima Haddad", "central", 1000),
    Profile("R018", "Ryan Patel", "central", 880, skill=0.85, size=0.9),
    Profile("R019", "Chloe Dubois", "central", 640, skill=1.05),
    Profile("R020", "Samuel Nowak", "central", 520, volume=0.9, skill=0.95),
    Profile("R021", "Mia Johansson", "central", 400),
    Profile("R022", "Tom Becker", "central", 250),
)


@dataclass
class Rep:
    profile: Profile
    hired_on: date | None
    active_from: date  # first day the rep works deals in the simulation
    won_accounts: list[tuple[datetime, str]] = field(default_factory=list)

    @property
    def rep_id(self) -> str:
        return self.profile.rep_id

    def tenure_days(self, day: date) -> int:
        # The rep without a hire date is a long-standing one; the export just lost the date.
        return 10_000 if self.hired_on is None else (day - self.hired_on).days

    def volume_ramp(self, day: date) -> float:
        # New hires spend two weeks in training, then build a pipeline over about four months.
        days = self.tenure_days(day)
        if days < 14:
            return 0.0
        return min(1.0, (days - 14) / 120)

    def skill_ramp(self, day: date) -> float:
        return 0.6 + 0.4 * min(1.0, self.tenure_days(day) / 180)
