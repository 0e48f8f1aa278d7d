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

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")

    def clean_email(self) -> str:
        """Never say whether the address has an account: that would tell anyone who has one.

        A taken address is kept off the new account (the owner gets a mail
        instead, see accounts.views.signup) and put in `existing_account`.
        """
        email = self.cleaned_data["email"].strip()
        self.existing_account = User.objects.filter(email__iexact=email).first()
        return "" if self.existing_account else email


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Your daily streak starts and ends at midnight in this zone.",
    )

    class Meta:
        model = User
        fields = ("display_name", "time_zone", "show_on_leaderboards")
