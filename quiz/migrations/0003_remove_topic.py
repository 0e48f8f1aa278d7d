"""Drop quiz.Topic: questions, runs and set items all point at curriculum.Topic now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("quiz", "0002_curriculum_topics")]

    operations = [migrations.DeleteModel(name="Topic")]
