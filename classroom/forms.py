from types import SimpleNamespace

from django import forms
from django.db.models import Q
from django.utils import timezone

from challenges.models import Challenge
from classroom.models import ChallengeSet, StudyGroup
from curriculum.models import Topic


class GroupForm(forms.ModelForm):
    class Meta:
        model = StudyGroup
        fields = ("name", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class JoinForm(forms.Form):
    join_code = forms.CharField(
        max_length=20,
        label="Join code",
        help_text="Eight letters and digits, from your instructor.",
    )


class UsernameForm(forms.Form):
    username = forms.CharField(max_length=150)


def item_choices() -> list[tuple[str, list]]:
    """Grouped choices for a set: every active challenge by topic, then every quiz topic.

    Topics are the curriculum's one list, so only those with active questions are quiz items.
    """
    groups: dict[str, list] = {}
    for challenge in Challenge.objects.filter(is_active=True).select_related("topic"):
        groups.setdefault(f"Challenges: {challenge.topic.title}", []).append(
            (f"challenge:{challenge.slug}", challenge.title)
        )
    groups["Quiz topics"] = [
        (f"quiz:{topic.slug}", f"Quiz: {topic.title}")
        for topic in Topic.objects.filter(questions__is_active=True).distinct()
    ]
    return list(groups.items())


class SetForm(forms.Form):
    title = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    items = forms.MultipleChoiceField(
        choices=item_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Learners see the items in the order listed here.",
        error_messages={"required": "Choose at least one challenge or quiz topic."},
    )

    def details(self) -> SimpleNamespace:
        """The title and description only, for _form_fields.html (the set form lays out its items itself)."""
        return SimpleNamespace(
            non_field_errors=self.non_field_errors(),
            hidden_fields=[],
            visible_fields=[self["title"], self["description"]],
        )

    def item_layout(self) -> tuple[list, list]:
        """(chosen, groups): the chosen items in their order, then every other choice by group.

        The order is the order of the submitted (or saved) keys, so it survives a form error.
        """
        keys = self.data.getlist("items") if self.is_bound else self.initial.get("items", [])
        groups = list(self.fields["items"].choices)
        labels = {key: label for _, options in groups for key, label in options}
        chosen = [(key, labels[key]) for key in dict.fromkeys(keys) if key in labels]
        taken = {key for key, _ in chosen}
        rest = [
            (group, [(key, label) for key, label in options if key not in taken])
            for group, options in groups
        ]
        return chosen, [(group, options) for group, options in rest if options]


def _due_field():
    return forms.DateTimeField(
        required=False,
        label="Due (optional)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your own time zone. Work done after it is marked late.",
    )


class DueForm(forms.Form):
    due_at = _due_field()

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at and due_at < timezone.now():
            raise forms.ValidationError("That date has passed; choose a due date in the future.")
        return due_at


class AssignForm(DueForm):
    challenge_set = forms.ModelChoiceField(
        queryset=ChallengeSet.objects.none(), label="Set", empty_label="Choose a set…"
    )
    field_order = ["challenge_set", "due_at"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge_set"].queryset = ChallengeSet.objects.filter(
            Q(slug__isnull=False) | Q(author=user)
        )
