"""Copy the two old topic lists (quiz.Topic, challenges.ChallengeTopic) into the one list.

Topics are matched by slug; where both banks had a topic, the quiz's title and
summary are kept (load_content rewrites them from topics.yaml anyway). The
later migrations of quiz, challenges and classroom point their rows at these.
"""

from django.db import migrations


def copy_topics(apps, schema_editor):
    topic = apps.get_model("curriculum", "Topic")
    for model in (apps.get_model("quiz", "Topic"), apps.get_model("challenges", "ChallengeTopic")):
        for old in model.objects.all():
            topic.objects.get_or_create(
                slug=old.slug,
                defaults={"title": old.title, "summary": old.summary, "order": old.order},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0001_initial"),
        ("quiz", "0001_initial"),
        ("challenges", "0003_recordedexchange_bounds"),
    ]

    operations = [migrations.RunPython(copy_topics, migrations.RunPython.noop)]
