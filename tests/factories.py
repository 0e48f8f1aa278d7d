import factory
from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    display_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- Quiz ---------------------------------------------------------------------

_TYPE_DATA = {
    "single": {
        "options": [
            {"text": "201 Created", "correct": True},
            {"text": "200 OK", "correct": False},
            {"text": "204 No Content", "correct": False},
        ]
    },
    "multi": {
        "options": [
            {"text": "GET", "correct": True},
            {"text": "HEAD", "correct": True},
            {"text": "POST", "correct": False},
            {"text": "PATCH", "correct": False},
        ]
    },
    "truefalse": {"answer": True},
    "typed": {"accept": ["404", "Not Found"]},
    "spot_line": {
        "message": "POST /orders HTTP/1.1\nHost: shop.example\nContent-Type : application/json\n",
        "message_lines": [
            "POST /orders HTTP/1.1",
            "Host: shop.example",
            "Content-Type : application/json",
        ],
        "answer_line": 3,
    },
    "match": {
        "pairs": [["401", "Send credentials"], ["403", "Not allowed"], ["404", "Nothing here"]]
    },
}


def question_data(kind: str, slug: str, topic: str = "methods", difficulty: int = 1) -> dict:
    """A question dict shaped like quiz.questions' loader output."""
    return {
        "slug": slug,
        "topic": topic,
        "type": kind,
        "difficulty": difficulty,
        "position": 0,
        "prompt": f"Prompt of {slug}?",
        "explanation": f"Why {slug}.",
        "reference": "RFC 9110 §9.2.2",
        "reference_url": "https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2",
        **_TYPE_DATA[kind],
    }


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Topic"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.LazyAttribute(lambda t: t.slug.replace("-", " ").title())
    summary = "A topic."
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quiz.Question"

    class Params:
        kind = "single"

    slug = factory.Sequence(lambda n: f"question-{n}")
    topic = factory.SubFactory(TopicFactory)
    type = factory.LazyAttribute(lambda q: q.kind)
    difficulty = 1
    prompt = factory.LazyAttribute(lambda q: f"Prompt of {q.slug}?")
    explanation = factory.LazyAttribute(lambda q: f"Why {q.slug}.")
    reference = "RFC 9110 §9.2.2"
    data = factory.LazyAttribute(
        lambda q: question_data(q.kind, q.slug, q.topic.slug, q.difficulty)
    )


# --- Challenges -------------------------------------------------------------

GET_BOOK_STEP = {
    "name": "Fetch book 1",
    "checks": [
        {"check": "request_method", "is": "GET"},
        {"check": "request_target", "is": "/books/1"},
        {"check": "response_status", "is": 200},
    ],
}
REVALIDATE_STEP = {
    "name": "Revalidate it",
    "checks": [
        {
            "check": "request_header_equals_previous_response_header",
            "request": "If-None-Match",
            "response": "ETag",
        },
        {"check": "response_status", "is": 304},
    ],
}


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.Challenge"

    slug = factory.Sequence(lambda n: f"challenge-{n}")
    topic = factory.SubFactory(TopicFactory)
    title = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    difficulty = 1
    points = 20
    brief = "Fetch **book 1**."
    starter = "GET / HTTP/1.1\nHost: sandbox.localhost\n\n"
    hints = factory.LazyFunction(
        lambda: [{"cost": 5, "text": "Use GET."}, {"cost": 10, "text": "The target is /books/1."}]
    )
    solution = factory.LazyFunction(lambda: ["GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"])
    steps = factory.LazyFunction(lambda: [GET_BOOK_STEP])


class TwoStepChallengeFactory(ChallengeFactory):
    steps = factory.LazyFunction(lambda: [GET_BOOK_STEP, REVALIDATE_STEP])
    solution = factory.LazyFunction(
        lambda: [
            "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n",
            "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\nIf-None-Match: <<previous.header.ETag>>\n\n",
        ]
    )


# --- Classroom --------------------------------------------------------------


def group_with(owner=None, *, instructors=(), members=()):
    """A study group with its owner, co-instructors and members, made through the real services."""
    from classroom.models import Membership
    from classroom.services import group_create

    group = group_create(owner=owner or UserFactory(), name="HTTP 101")
    for user in instructors:
        Membership.objects.create(group=group, user=user, role=Membership.Role.INSTRUCTOR)
    for user in members:
        Membership.objects.create(group=group, user=user, role=Membership.Role.MEMBER)
    return group


# --- Misconceptions (added for the review/beliefs work) ------------------------


class MisconceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Misconception"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"belief-{n}")
    belief = factory.LazyAttribute(lambda m: f"The wrong idea called {m.slug}.")
    correction = factory.LazyAttribute(lambda m: f"What is true instead of {m.slug}.")
    reference = "RFC 9110 §9.2.2"
    diagnostics = factory.LazyFunction(list)


# --- Curriculum: units and lessons of the path (added for the path, issue 12) ---


class UnitFactory(factory.django.DjangoModelFactory):
    """An active unit with a one-paragraph lesson; pass checkpoint_questions/_challenges as slugs."""

    class Meta:
        model = "curriculum.Unit"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"unit-{n}")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda u: u.slug.replace("-", " ").title())
    summary = "Do one thing with HTTP."
    topic = factory.SubFactory(TopicFactory)
    checkpoint_questions = factory.LazyFunction(list)
    checkpoint_challenges = factory.LazyFunction(list)
    lesson = factory.RelatedFactory("tests.factories.LessonFactory", factory_related_name="unit")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "curriculum.Lesson"

    unit = factory.SubFactory(UnitFactory, lesson=None)
    blocks = factory.LazyFunction(
        lambda: [{"text": "A GET asks for a resource and changes nothing (RFC 9110 §9.3.1)."}]
    )
    words = 12
