"""Writes of the classroom: groups, memberships, sets and assignments.

Every function checks the actor's right to act itself (raising
ClassroomPermissionError), so a view cannot forget to; views turn that into 403.
"""

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import badge_award
from challenges.models import Challenge
from classroom.models import (
    Assignment,
    ChallengeSet,
    Membership,
    SetItem,
    StudyGroup,
    new_join_code,
)
from curriculum.models import Topic

Role = Membership.Role


class ClassroomError(Exception):
    """The request cannot be done; the message says why, for the person who asked."""


class ClassroomPermissionError(ClassroomError):
    pass


def _role(user: User, group: StudyGroup) -> str | None:
    return Membership.objects.filter(group=group, user=user).values_list("role", flat=True).first()


def _require(user: User, group: StudyGroup, *roles: str) -> None:
    if _role(user, group) not in roles:
        raise ClassroomPermissionError(
            "Only this group's " + " or ".join(r + "s" for r in roles) + " may do that."
        )


@transaction.atomic
def group_create(*, owner: User, name: str, description: str = "") -> StudyGroup:
    group = StudyGroup.objects.create(
        owner=owner, name=name.strip(), description=description.strip()
    )
    Membership.objects.create(group=group, user=owner, role=Role.OWNER)
    return group


def group_join(*, user: User, join_code: str) -> tuple[StudyGroup, bool]:
    """Join the group with this code; return (group, joined now). Codes are case-insensitive."""
    code = join_code.strip().upper().replace(" ", "").replace("-", "")
    group = StudyGroup.objects.filter(join_code=code).first()
    if group is None:
        raise ClassroomError(
            "No group has that join code. Check it with your instructor; an old code stops working when it is regenerated."
        )
    try:
        with transaction.atomic():
            Membership.objects.create(group=group, user=user, role=Role.MEMBER)
    except IntegrityError:
        return group, False
    badge_award(user=user, badge="team-player")
    return group, True


def group_leave(*, user: User, group: StudyGroup) -> None:
    role = _role(user, group)
    if role is None:
        raise ClassroomError("You are not in this group.")
    if role == Role.OWNER:
        raise ClassroomError("The owner cannot leave their own group.")
    Membership.objects.filter(group=group, user=user).delete()


def member_remove(*, actor: User, group: StudyGroup, user: User) -> None:
    _require(actor, group, Role.OWNER)
    if user == group.owner:
        raise ClassroomError("The owner cannot be removed.")
    if not Membership.objects.filter(group=group, user=user).delete()[0]:
        raise ClassroomError("That person is not in this group.")


def member_set_role(*, actor: User, group: StudyGroup, user: User, instructor: bool) -> Membership:
    """Make a member a co-instructor, or back into a member (the owner's call)."""
    _require(actor, group, Role.OWNER)
    membership = Membership.objects.filter(group=group, user=user).first()
    if membership is None:
        raise ClassroomError("That person is not in this group; they need to join first.")
    if membership.role == Role.OWNER:
        raise ClassroomError("The owner's role cannot change.")
    membership.role = Role.INSTRUCTOR if instructor else Role.MEMBER
    membership.save(update_fields=["role"])
    return membership


def join_code_regenerate(*, actor: User, group: StudyGroup) -> str:
    """Give the group a new join code; the old one stops working at once."""
    _require(actor, group, Role.OWNER, Role.INSTRUCTOR)
    group.join_code = new_join_code()
    group.save(update_fields=["join_code"])
    return group.join_code


def _items_from(slugs: list[str]) -> list[tuple[str, object]]:
    """Resolve `challenge:<slug>` / `quiz:<topic-slug>` strings, refusing unknown ones by name."""
    items = []
    for entry in slugs:
        kind, _, slug = entry.partition(":")
        if kind == "challenge":
            target = Challenge.objects.filter(slug=slug, is_active=True).first()
        elif kind == "quiz":
            target = Topic.objects.filter(slug=slug, questions__is_active=True).distinct().first()
        else:
            target = None
        if target is None:
            raise ClassroomError(f"There is no challenge or quiz topic called {entry!r}.")
        items.append((kind, target))
    if not items:
        raise ClassroomError("A set needs at least one challenge or quiz topic.")
    if len({(kind, target.pk) for kind, target in items}) != len(items):
        raise ClassroomError("Each challenge or topic can be in a set only once.")
    return items


@transaction.atomic
def set_save(
    *,
    author: User | None,
    title: str,
    description: str,
    items: list[str],
    challenge_set: ChallengeSet | None = None,
    slug: str | None = None,
) -> ChallengeSet:
    """Create a set, or replace the title, description and items of `challenge_set` (its author's call)."""
    resolved = _items_from(items)
    if challenge_set is None:
        challenge_set = ChallengeSet.objects.create(
            author=author, title=title.strip(), description=description.strip(), slug=slug
        )
    else:
        if challenge_set.author_id != getattr(author, "pk", None) and author is not None:
            raise ClassroomPermissionError(
                "Only the set's author may change it; make a copy instead."
            )
        challenge_set.title, challenge_set.description = title.strip(), description.strip()
        challenge_set.save(update_fields=["title", "description"])
        challenge_set.items.all().delete()
    SetItem.objects.bulk_create(
        SetItem(
            challenge_set=challenge_set,
            position=position,
            **{("challenge" if kind == "challenge" else "quiz_topic"): target},
        )
        for position, (kind, target) in enumerate(resolved)
    )
    return challenge_set


def assignment_create(
    *, actor: User, group: StudyGroup, challenge_set: ChallengeSet, due_at=None
) -> Assignment:
    _require(actor, group, Role.OWNER, Role.INSTRUCTOR)
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                group=group, challenge_set=challenge_set, due_at=due_at, assigned_by=actor
            )
    except IntegrityError:
        raise ClassroomError(
            "This set is already assigned to this group; change its due date instead."
        ) from None


def assignment_update(*, actor: User, assignment: Assignment, due_at) -> Assignment:
    _require(actor, assignment.group, Role.OWNER, Role.INSTRUCTOR)
    assignment.due_at = due_at
    assignment.save(update_fields=["due_at"])
    return assignment


def assignment_delete(*, actor: User, assignment: Assignment) -> None:
    _require(actor, assignment.group, Role.OWNER, Role.INSTRUCTOR)
    assignment.delete()
