"""JSON fixtures that name the object they fail on and are validated before saving.

Registered as the "json" serialization format in settings. Dumping is Django's own; loading
adds, for every object, the model's field validation (choices such as the development stage,
lengths, ranges) and an error message that says which object of the fixture was wrong.
loaddata runs in one transaction, so a failing fixture leaves the database as it was.
"""

from django.core.exceptions import ValidationError
from django.core.serializers import json as django_json
from django.core.serializers.base import DeserializationError

Serializer = django_json.Serializer


def describe(obj: dict) -> str:
    """A human label for one fixture entry: model, natural identity and owner."""
    fields = obj.get("fields") or {}
    identity = next(
        (fields[key] for key in ("slug", "email", "code", "name") if fields.get(key)),
        f"pk={obj['pk']}" if "pk" in obj else "(no slug)",
    )
    label = f'{obj.get("model", "?")} "{identity}"'
    owner = fields.get("organization") or fields.get("event")
    if owner:
        owner_key = "/".join(map(str, owner)) if isinstance(owner, list) else owner
        label += f" of {owner_key}"
    return label


class Deserializer(django_json.Deserializer):
    def __init__(self, stream_or_string, **options):
        super().__init__(stream_or_string, **options)
        # Our fixtures list what they refer to first (taxonomy, then organizations, then
        # assets), so a reference that does not resolve is an error of this very object,
        # reported here with its name rather than after the whole file.
        self.handle_forward_references = False

    def _handle_object(self, obj):
        label = describe(obj)
        try:
            for deserialized in super()._handle_object(obj):
                instance = deserialized.object
                relations = [f.name for f in instance._meta.fields if f.is_relation]
                try:
                    instance.full_clean(exclude=relations, validate_unique=False)
                except ValidationError as exc:
                    problems = "; ".join(
                        f"{field}: {' '.join(messages)}"
                        for field, messages in exc.message_dict.items()
                    )
                    raise DeserializationError(f"{label}: {problems}") from exc
                yield deserialized
        except DeserializationError as exc:
            if str(exc).startswith(label):
                raise
            raise DeserializationError(f"{label}: {exc}") from exc
