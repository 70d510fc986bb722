from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_seed_procedure_list"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="logbookentry",
            name="client_key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="logbookentry",
            constraint=models.UniqueConstraint(
                fields=("trainee", "client_key"), name="training_entry_client_key"
            ),
        ),
    ]
