from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]  # noqa: RUF012 (as Django generates it)

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("event", models.CharField(max_length=60)),
                ("reference", models.CharField(blank=True, max_length=100)),
                ("body", models.BinaryField()),
                ("signature", models.CharField(max_length=128)),
                ("received_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
