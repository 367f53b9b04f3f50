"""The audit log: who changed the democratic record or members' data, in Wagtail's reports.

Services write one entry per action, inside their transaction, with Wagtail's own
`wagtail.log_actions.log(instance=…, action="li.…", user=…, data={…})`. Each app registers the
actions it logs from its `wagtail_hooks` ("register_log_actions" hook) with `register_actions`,
so Admin › Reports › Site history names and filters them and reads their message.

Who sees an entry there:
- An object whose model an app registers with `register_audited(actions, model, visible_to)` is
  logged in `cms.AuditLogEntry`, shown to the users for whom `visible_to(user)` (a queryset of
  that model) holds the object: the app's own rights, which come from relations (a branch's team
  sees its branch's items, a convener their group's proposals). Wagtail's ModelLogEntry could only
  show a model's entries to everyone holding a permission on it.
- Anything else (members: the membership officer holds a permission on them) stays in Wagtail's
  ModelLogEntry: shown to the users with a permission on its model.
Superusers see everything. The data of an entry holds no more personal data than the record
shows, and labels of members' entries name the member by id only: an erasure must not leave the
person's name behind in the log.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_action_registry
from wagtail.models.audit_log import ModelLogEntryManager

# Audited model -> visible_to(user): the queryset of its objects whose entries the user may see.
_visible_to = {}


def register_audited(actions, model, visible_to):
    """Log `model`'s objects (and its subclasses') in cms.AuditLogEntry, visible per `visible_to`.
    Call it from a "register_log_actions" hook, with the registry the hook receives."""
    actions.register_model(model, apps.get_model("cms", "AuditLogEntry"))
    _visible_to[model] = visible_to


def register_actions(actions, formatters):
    """Register {action: formatter} (the hook's registry as `actions`): a LogFormatter subclass, or
    (label, message) for a `Message` whose message is a template filled from the entry's data."""
    for action, formatter in formatters.items():
        if isinstance(formatter, tuple):
            label, message = formatter
            formatter = type("Message", (Message,), {"label": label, "message": message})
        actions.register_action(action)(formatter)


class Message(LogFormatter):
    """A formatter whose `message` is a template filled from the entry's data ({reference},
    {outcome}…); a key the entry lacks reads as empty."""

    message = ""

    def format_message(self, log_entry):
        return self.message.format_map(_Blank(log_entry.data or {}))


class _Blank(dict):
    def __missing__(self, key):
        return ""


def votes_text(data):
    """ (11 for, 2 against, 1 abstention)" from an entry's data, or nothing without votes."""
    if data.get("votes_for") is None:
        return ""
    text = f"{data['votes_for']} for, {data.get('votes_against') or 0} against"
    if data.get("abstentions"):
        abstained = data["abstentions"]
        text += f", {abstained} abstention{'s' if abstained != 1 else ''}"
    return f" ({text})"


def _audited_model(cls):
    return next((model for model in _visible_to if issubclass(cls, model)), None)


class AuditLogEntryManager(ModelLogEntryManager):
    """Entries are written against the audited model itself, whatever subclass the service holds
    (a Motion is logged as its Item), so one object has one history and one type in the filters."""

    def _as_audited(self, instance):
        model = _audited_model(type(instance))
        return instance if model is None or type(instance) is model else model(pk=instance.pk)

    def log_action(self, instance, action, **kwargs):
        kwargs["title"] = kwargs.get("title") or self.get_instance_title(instance)
        return super().log_action(self._as_audited(instance), action, **kwargs)

    def for_instance(self, instance):
        return super().for_instance(self._as_audited(instance))

    def viewable_by_user(self, user):
        """The entries of the objects `user` may see (see the module docstring)."""
        if getattr(user, "is_superuser", False):
            return self.all()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        log_action_registry.scan_for_actions()
        scope = Q(pk__in=[])
        for model, visible_to in _visible_to.items():
            ids = visible_to(user).order_by().annotate(_audit_id=Cast("pk", CharField())).values("_audit_id")
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            scope |= Q(content_type=content_type, object_id__in=ids)
        return self.filter(scope)
