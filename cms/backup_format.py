"""The serialization format of `backup_site`'s data.json: Django's JSON, with every foreign key
written as the primary key it holds, except keys to content types and permissions, written as
natural keys (those two tables are rebuilt by `migrate` on the new server, with other ids).

Why not `dumpdata --natural-foreign`: it replaces EVERY foreign key to a model that has a natural
key (Wagtail's pages, collections, sites…) by a lookup of the row it points to. Wagtail keeps the
log entries of deleted pages (the audit record, `on_delete=DO_NOTHING` without a database
constraint), and their lookup fails ("Page matching query does not exist"). Every other row is
dumped with its own primary key, so a primary key is exact; the dangling ids of the audit log are
kept as they are.

The output is plain Django JSON: `loaddata` (Django's own JSON deserializer) reads it on SQLite
and PostgreSQL alike.
"""

from django.core import serializers
from django.core.serializers.json import Deserializer  # noqa: F401 (the module's reading half)
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "backup-json"
# Tables that migrations rebuild on the new server with their own ids: referenced by natural key.
REBUILT_MODELS = ("contenttypes.contenttype", "auth.permission")


def _by_natural_key(field):
    return field.remote_field.model._meta.label_lower in REBUILT_MODELS


class Serializer(JSONSerializer):
    """Django's JSON serializer choosing, per field, natural key (rebuilt tables) or primary key."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _by_natural_key(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = _by_natural_key(field)
        super().handle_m2m_field(obj, field)


def register():
    """Make the format known to dumpdata (idempotent)."""
    if FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(FORMAT, __name__)
