import base64
import binascii
import re

from django import forms

_BARE_LF = re.compile(rb"(?<!\r)\n")


class SendForm(forms.Form):
    """The editor's form. With JavaScript, `raw_b64` carries the text exactly as typed
    (a browser would turn every line ending of a textarea into CRLF on submit)."""

    LINE_ENDINGS = [
        ("crlf", "Send line endings as CRLF (what HTTP/1.1 requires)"),
        ("typed", "Send line endings as I typed them"),
    ]

    request = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    raw_b64 = forms.CharField(required=False, widget=forms.HiddenInput)
    line_endings = forms.ChoiceField(choices=LINE_ENDINGS, initial="crlf", widget=forms.RadioSelect)

    def raw_bytes(self) -> bytes:
        """The bytes to send: the editor text, with bare LF turned into CRLF unless asked not to."""
        data = self.cleaned_data
        text = data["request"]
        if data["raw_b64"]:
            try:
                text = base64.b64decode(data["raw_b64"], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                text = data["request"]
        raw = text.encode("utf-8")
        if data["line_endings"] == "crlf":
            raw = _BARE_LF.sub(b"\r\n", raw)
        return raw
