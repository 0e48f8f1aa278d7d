"""Point set items at curriculum.Topic instead of quiz.Topic, keeping each item's topic.

The item's check constraint names the field, so it is dropped while the
field is swapped and then made again exactly as it was.
"""

import django.db.models.deletion
from django.db import migrations, models


def repoint(apps, schema_editor):
    new_topics = {t.slug: t.pk for t in apps.get_model("curriculum", "Topic").objects.all()}
    item = apps.get_model("classroom", "SetItem")
    for old in apps.get_model("quiz", "Topic").objects.all():
        item.objects.filter(quiz_topic_id=old.pk).update(topic_new_id=new_topics[old.slug])


class Migration(migrations.Migration):
    dependencies = [
        ("classroom", "0001_initial"),
        ("curriculum", "0002_topics_from_the_banks"),
        ("quiz", "0002_curriculum_topics"),
    ]
    run_before = [("quiz", "0003_remove_topic")]

    operations = [
        migrations.RemoveConstraint(model_name="setitem", name="classroom_item_is_challenge_or_topic"),
        migrations.AddField(
            model_name="setitem",
            name="topic_new",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="curriculum.topic",
            ),
        ),
        migrations.RunPython(repoint, migrations.RunPython.noop),
        migrations.RemoveField(model_name="setitem", name="quiz_topic"),
        migrations.RenameField(model_name="setitem", old_name="topic_new", new_name="quiz_topic"),
        migrations.AddConstraint(
            model_name="setitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("challenge__isnull", False), ("quiz_topic__isnull", True)),
                    models.Q(("challenge__isnull", True), ("quiz_topic__isnull", False)),
                    _connector="OR",
                ),
                name="classroom_item_is_challenge_or_topic",
            ),
        ),
    ]
