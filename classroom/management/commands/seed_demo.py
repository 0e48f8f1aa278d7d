"""Synthetic learners, a study group and XP awards, for demos and the leaderboard benchmark."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import LearnerTotals, XpAward
from accounts.services import week_start
from classroom.models import Assignment, ChallengeSet, Membership, StudyGroup

BATCH = 5000


class Command(BaseCommand):
    help = "Create N synthetic learners with M XP awards in all, and a study group of some of them."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100)
        parser.add_argument(
            "--events", type=int, default=1000, help="XP awards to spread over the learners"
        )
        parser.add_argument(
            "--group-size", type=int, default=50, help="members of the demo group (at most --users)"
        )
        parser.add_argument(
            "--prefix", default="demo", help="username prefix, so runs do not collide"
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--password",
            help="also make PREFIX-instructor (owner of the group) and PREFIX-learner (a member) "
            "who log in with this password, and print how to log in",
        )

    def handle(
        self,
        *args,
        users: int,
        events: int,
        group_size: int,
        prefix: str,
        seed: int,
        password: str | None = None,
        **options,
    ):
        if users < 1 or events < 0 or group_size < 0:
            raise CommandError(
                "--users must be at least 1; --events and --group-size cannot be negative."
            )
        if password is not None and len(password) < 8:
            raise CommandError("--password needs at least 8 characters.")
        User = get_user_model()
        if User.objects.filter(username__startswith=f"{prefix}-").exists():
            raise CommandError(f"Learners named {prefix}-* exist already; pass another --prefix.")
        rng = random.Random(seed)
        now = timezone.now()
        with transaction.atomic():
            created = self._learners(User, prefix, users, rng)
            totals = self._awards(created, events, rng, now)
            LearnerTotals.objects.bulk_create(totals, batch_size=BATCH)
            group = self._group(created, min(group_size, users), prefix)
            people = self._people(User, group, prefix, password) if password else None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {users} learners, {events} XP awards and the group {group.name!r} (id {group.pk}, {group.memberships.count()} members)."
            )
        )
        if people:
            self._print_log_ins(group, people, password)

    def _learners(self, User, prefix, count, rng):
        learners = [
            User(
                username=f"{prefix}-{n:06d}",
                email=f"{prefix}-{n:06d}@example.invalid",
                display_name=f"Learner {n}",
                password="!",
                show_on_leaderboards=rng.random() > 0.05,
            )
            for n in range(count)
        ]
        User.objects.bulk_create(learners, batch_size=BATCH)
        return list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))

    def _awards(self, learners, events, rng, now):
        sums: dict[int, list] = {}
        this_week = week_start(now)
        batch = []
        for n in range(events):
            learner = learners[n % len(learners)] if n < len(learners) else rng.choice(learners)
            points = rng.choice((5, 10, 15, 20, 30))
            at = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
            batch.append(XpAward(user=learner, source=f"demo:{n}", points=points, awarded_at=at))
            entry = sums.setdefault(learner.pk, [0, at, 0, at])
            entry[0] += points
            entry[1] = max(entry[1], at)
            if week_start(at) == this_week:
                entry[2] += points
                entry[3] = max(entry[3], at)
            if len(batch) >= BATCH:
                XpAward.objects.bulk_create(batch)
                batch = []
        XpAward.objects.bulk_create(batch)
        listed = {learner.pk: learner.show_on_leaderboards for learner in learners}
        return [
            LearnerTotals(
                user_id=user_id,
                listed=listed[user_id],
                xp=xp,
                xp_reached_at=reached,
                week_start=this_week,
                week_xp=week,
                week_reached_at=week_at,
            )
            for user_id, (xp, reached, week, week_at) in sums.items()
        ]

    def _group(self, learners, size, prefix):
        owner = learners[0]
        group = StudyGroup.objects.create(owner=owner, name=f"{prefix.title()} group of {size}")
        Membership.objects.create(group=group, user=owner, role=Membership.Role.OWNER)
        Membership.objects.bulk_create(
            [Membership(group=group, user=learner) for learner in learners[1:size]],
            batch_size=BATCH,
        )
        return group

    def _people(self, User, group, prefix, password):
        """A demo instructor who owns the group (with a set assigned, if one is loaded) and a learner in it."""
        instructor = User.objects.create_user(
            f"{prefix}-instructor",
            f"{prefix}-instructor@example.invalid",
            password,
            display_name="Demo instructor",
        )
        learner = User.objects.create_user(
            f"{prefix}-learner",
            f"{prefix}-learner@example.invalid",
            password,
            display_name="Demo learner",
        )
        Membership.objects.filter(group=group, role=Membership.Role.OWNER).update(
            role=Membership.Role.MEMBER
        )
        group.owner = instructor
        group.save(update_fields=["owner"])
        Membership.objects.create(group=group, user=instructor, role=Membership.Role.OWNER)
        Membership.objects.create(group=group, user=learner)
        ready_made = ChallengeSet.objects.filter(slug__isnull=False).first()
        if ready_made:
            Assignment.objects.create(
                group=group,
                challenge_set=ready_made,
                assigned_by=instructor,
                due_at=timezone.now() + timedelta(days=7),
            )
        return instructor, learner

    def _print_log_ins(self, group, people, password):
        group_url = reverse("classroom:detail", args=[group.pk])
        self.stdout.write(f"Log in at {reverse('accounts:login')} with either account:")
        for user, role in zip(
            people, ("instructor (owns the group)", "learner (a member)"), strict=True
        ):
            self.stdout.write(f"  {role}: username {user.username}, password {password}")
        self.stdout.write(f"Then open the demo group at {group_url}")
