import re
import zoneinfo
from functools import cache
from pathlib import Path

from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User

_AREAS = re.compile(
    r"^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z]"
)


@cache
def canonical_zones() -> list[str]:
    """The zones a person picks from: the Area/Location names of zone.tab, plus UTC.

    zoneinfo.available_timezones() also lists "Factory", "localtime", "posixrules" and
    backward-compatible aliases such as Asia/Calcutta; zone.tab names each country's
    zones once, by their current names. Without zone.tab, keep the Area/Location names.
    """
    available = zoneinfo.available_timezones()
    for root in zoneinfo.TZPATH:
        table = Path(root) / "zone.tab"
        if table.is_file():
            names = {
                line.split("\t")[2]
                for line in table.read_text().splitlines()
                if line and not line.startswith("#")
            }
            break
    else:
        names = {name for name in available if _AREAS.match(name)}
    return sorted((names & available) | {"UTC"})


@cache
def _zone_aliases() -> dict[str, str]:
    """Old name -> current name (Asia/Calcutta -> Asia/Kolkata), from tzdata.zi's link lines."""
    for root in zoneinfo.TZPATH:
        data = Path(root) / "tzdata.zi"
        if data.is_file():
            links = (line.split() for line in data.read_text().splitlines() if line[:2] == "L ")
            return {link[2]: link[1] for link in links if len(link) == 3}
    return {}


def canonical_zone(name: str) -> str:
    """The listed zone for `name`: itself, the zone an alias stands for, or UTC."""
    zones = set(canonical_zones())
    if name in zones:
        return name
    target = _zone_aliases().get(name)
    if target in zones:
        return target
    utc_names = {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"}
    return "UTC" if name in utc_names or name in zoneinfo.available_timezones() else name


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in canonical_zones()]


class ZoneField(forms.ChoiceField):
    """A canonical zone; an alias a browser reports (Asia/Calcutta) is read as its current name."""

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_zone(value) if value else value


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Used only to reset your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        max_length=60,
        required=False,
        help_text="How other learners see you. Leave empty to use your username.",
    )

    time_zone = ZoneField(
        choices=zone_choices,
        initial="UTC",
        required=False,  # a client without the field (or without JavaScript) gets UTC
        help_text="Your daily streak starts and ends at midnight in this zone. You can change it later.",
        error_messages={
            "invalid_choice": "Choose a time zone from the list, such as Europe/Berlin or UTC."
        },
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name", "time_zone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # static/js/timezone.js puts the browser's own zone here; the choice is still checked above.
            self.fields["time_zone"].widget.attrs["data-browser-zone"] = "fill"

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or "UTC"

    def clean_email(self) -> str:
        """Keep the address off the new account until its mailbox confirms it.

        Saying "this address has an account" would tell anyone who has one, so
        every sign-up answers alike and the account starts with no address.
        The typed one goes in `address`; `existing_account` is the account that
        already has it, if any. The view mails that account's owner, or else a
        link that adds the address (see accounts.views.signup).
        """
        self.address = self.cleaned_data["email"].strip()
        self.existing_account = User.objects.filter(email__iexact=self.address).first()
        return ""


# Fixed goals rather than any number: a named pace is easier to pick than a figure,
# and a quiz answer pays 10 to 20 XP, a challenge 15 to 60, so these span
# "one question a day" to "an evening's work". The names follow the usual ladder.
DAILY_GOALS = [
    (10, "Casual: 10 XP a day (about one question)"),
    (20, "Regular: 20 XP a day"),
    (30, "Serious: 30 XP a day"),
    (50, "Intense: 50 XP a day"),
    (100, "Marathon: 100 XP a day"),
]


class ProfileForm(forms.ModelForm):
    time_zone = ZoneField(
        choices=zone_choices,
        help_text="Your daily streak starts and ends at midnight in this zone.",
    )
    daily_goal_xp = forms.TypedChoiceField(
        label="Daily goal",
        choices=DAILY_GOALS,
        coerce=int,
        required=False,  # a client that sends no goal keeps the one it has
        help_text="How much XP you aim for each day. The header shows how far you are today.",
        error_messages={
            "invalid_choice": "Choose one of the goals in the list: 10, 20, 30, 50 or 100 XP a day."
        },
    )

    class Meta:
        model = User
        fields = ("display_name", "time_zone", "daily_goal_xp", "show_on_leaderboards")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An account saved with an old name (Asia/Calcutta) shows its current one selected.
        self.initial["time_zone"] = canonical_zone(self.instance.time_zone)
        # A goal set elsewhere (the admin) stays selectable, so saving the form keeps it.
        goal = self.instance.daily_goal_xp
        if goal not in dict(DAILY_GOALS):
            self.fields["daily_goal_xp"].choices = [
                (goal, f"{goal} XP a day (your current goal)"),
                *DAILY_GOALS,
            ]

    def clean_daily_goal_xp(self) -> int:
        return self.cleaned_data.get("daily_goal_xp") or self.instance.daily_goal_xp
