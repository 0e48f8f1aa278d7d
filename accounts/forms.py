from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User, time_zone_choices


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

    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
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


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Your daily streak starts and ends at midnight in this zone.",
    )

    class Meta:
        model = User
        fields = ("display_name", "time_zone", "show_on_leaderboards")
