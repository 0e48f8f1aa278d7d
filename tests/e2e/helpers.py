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
