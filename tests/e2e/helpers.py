from tests.factories import PASSWORD, UserFactory


def logged_in(page, **user_fields):
    """Create a learner and log in through the real form; return the user."""
    user = UserFactory(**user_fields)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    return user


def editor_text(page, within="body") -> str:
    """The text in the request editor: CodeMirror's own document (what the learner sees)."""
    content = page.locator(within).locator(".request-editor .cm-content").first
    return content.evaluate("(el) => window.HttpSchoolEditor.viewOf(el).state.doc.toString()")
