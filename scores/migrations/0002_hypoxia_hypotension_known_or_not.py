# Hypoxia and hypotension become yes / no / not known. No findings exist outside demonstration
# data yet, so the old yes/no columns are replaced rather than converted.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scores", "0001_case_findings_and_scores"),
    ]

    operations = [
        migrations.RemoveField(model_name="casefindings", name="hypoxia"),
        migrations.RemoveField(model_name="casefindings", name="hypotension"),
        migrations.AddField(
            model_name="casefindings",
            name="hypoxia",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes or suspected"), ("no", "No")],
                max_length=3,
                verbose_name="hypoxia before admission",
            ),
        ),
        migrations.AddField(
            model_name="casefindings",
            name="hypotension",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes or suspected"), ("no", "No")],
                max_length=3,
                verbose_name="hypotension before admission",
            ),
        ),
    ]
