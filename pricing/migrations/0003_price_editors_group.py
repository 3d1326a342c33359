"""The "Price editors" group: staff in it may publish price versions and decide proposals."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Price editors"
CODENAMES = [
    "edit_prices",
    "view_priceversion",
    "add_priceversion",
    "view_pricetier",
    "view_languagemodel",
    "add_languagemodel",
    "change_languagemodel",
    "view_provider",
    "add_provider",
    "change_provider",
    "view_importrun",
    "view_priceproposal",
    "change_priceproposal",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pricing", codename__in=CODENAMES)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0002_no_overlapping_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
