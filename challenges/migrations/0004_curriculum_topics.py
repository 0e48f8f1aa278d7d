"""Point challenges at curriculum.Topic, drop ChallengeTopic, add spaced-review fields.

The new foreign key is filled by slug from the old one before the old one and
its model go, so every challenge keeps its topic and every submission, solve
and progress row stays as it was.
"""

import django.db.models.deletion
from django.db import migrations, models


def repoint(apps, schema_editor):
    new_topics = {t.slug: t.pk for t in apps.get_model("curriculum", "Topic").objects.all()}
    challenge = apps.get_model("challenges", "Challenge")
    for old in apps.get_model("challenges", "ChallengeTopic").objects.all():
        challenge.objects.filter(topic_id=old.pk).update(curriculum_topic_id=new_topics[old.slug])


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0002_topics_from_the_banks"),
        ("challenges", "0003_recordedexchange_bounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="challenge",
            name="curriculum_topic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="curriculum.topic",
            ),
        ),
        migrations.RunPython(repoint, migrations.RunPython.noop),
        migrations.RemoveField(model_name="challenge", name="topic"),
        migrations.RenameField(
            model_name="challenge", old_name="curriculum_topic", new_name="topic"
        ),
        migrations.AlterField(
            model_name="challenge",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="challenges",
                to="curriculum.topic",
            ),
        ),
        migrations.DeleteModel(name="ChallengeTopic"),
        migrations.AddField(
            model_name="challengeprogress",
            name="in_review",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="challengeprogress",
            name="review_box",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="challengeprogress",
            name="review_passes",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="challengeprogress",
            name="review_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
