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
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. Try logging in."
            )
        return email


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Your daily streak starts and ends at midnight in this zone.",
    )

    class Meta:
        model = User
        fields = ("display_name", "time_zone", "show_on_leaderboards")
