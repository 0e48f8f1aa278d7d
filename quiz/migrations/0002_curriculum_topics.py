"""Point questions and runs at curriculum.Topic, and add what the learning path needs.

Each row keeps its topic: the new foreign key is filled by slug from the old
one before the old one goes, so no answer, run or progress row changes.
quiz.Topic itself is removed in 0003, once classroom no longer points at it.
"""

import django.db.models.deletion
from django.db import migrations, models


def repoint(apps, schema_editor):
    new_topics = {t.slug: t.pk for t in apps.get_model("curriculum", "Topic").objects.all()}
    old_topics = {t.pk: t.slug for t in apps.get_model("quiz", "Topic").objects.all()}
    for model_name in ("Question", "QuizRun"):
        model = apps.get_model("quiz", model_name)
        for old_pk, slug in old_topics.items():
            model.objects.filter(topic_id=old_pk).update(curriculum_topic_id=new_topics[slug])


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0002_topics_from_the_banks"),
        ("quiz", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="curriculum_topic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="curriculum.topic",
            ),
        ),
        migrations.AddField(
            model_name="quizrun",
            name="curriculum_topic",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="curriculum.topic",
            ),
        ),
        migrations.RunPython(repoint, migrations.RunPython.noop),
        migrations.RemoveField(model_name="question", name="topic"),
        migrations.RemoveField(model_name="quizrun", name="topic"),
        migrations.RenameField(model_name="question", old_name="curriculum_topic", new_name="topic"),
        migrations.RenameField(model_name="quizrun", old_name="curriculum_topic", new_name="topic"),
        migrations.AlterField(
            model_name="question",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="curriculum.topic",
            ),
        ),
        migrations.AlterField(
            model_name="quizrun",
            name="topic",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="runs",
                to="curriculum.topic",
            ),
        ),
    ]
