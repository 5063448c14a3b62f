"""The meeting guard, whichever row changes.

Migration 0003 made the database refuse a meeting whose request is not accepted, but it
checked only when the meeting row was written. A request cancelled (or given other sides)
after its meeting was written kept the meeting. Now:

- an update of a request's status or sides is refused while a meeting stands on it, unless
  the request stays accepted with the meeting's two sides (withdrawing a request takes its
  meeting away first, as the participants' cancel does);
- on PostgreSQL, writing a meeting takes a share lock on its request's row, so a cancel and
  a scheduler saving at the same moment are checked one after the other: whichever commits
  second sees the other's work and is refused.
"""

import importlib

from django.db import migrations

# 0003's guard function, replaced in place: the same checks, with a share lock on the request.
# 0003's `_run` runs the SQL of the database in use.
_0003 = importlib.import_module("kbio.events.migrations.0003_meeting_guard")
_FUNCTION = _0003.POSTGRES_FORWARD[: _0003.POSTGRES_FORWARD.index("CREATE TRIGGER")].replace(
    "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"
)
_READ_REQUEST = "FROM events_meetingrequest WHERE id = NEW.request_id;"
assert _READ_REQUEST in _FUNCTION
MEETING_GUARD_LOCKING = _FUNCTION.replace(
    _READ_REQUEST, "FROM events_meetingrequest WHERE id = NEW.request_id FOR SHARE;"
)

POSTGRES_FORWARD = (
    MEETING_GUARD_LOCKING
    + """
CREATE FUNCTION events_request_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM events_meeting
     WHERE request_id = NEW.id
       AND (NEW.status <> 'accepted'
            OR requester_id <> NEW.requester_id OR recipient_id <> NEW.recipient_id)
  ) THEN
    RAISE EXCEPTION 'meeting guard: request % is placed on the schedule; its status and sides stay until its meeting is removed', NEW.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER events_request_guard
  AFTER UPDATE OF status, requester_id, recipient_id ON events_meetingrequest
  FOR EACH ROW EXECUTE FUNCTION events_request_guard();
"""
)

POSTGRES_BACKWARD = (
    """
DROP TRIGGER IF EXISTS events_request_guard ON events_meetingrequest;
DROP FUNCTION IF EXISTS events_request_guard();
"""
    + _FUNCTION
)

SQLITE_FORWARD = [
    """CREATE TRIGGER events_request_guard
    AFTER UPDATE OF status, requester_id, recipient_id ON events_meetingrequest
    FOR EACH ROW BEGIN
      SELECT RAISE(ABORT, 'meeting guard: a request placed on the schedule keeps its status and sides until its meeting is removed')
       WHERE EXISTS (
         SELECT 1 FROM events_meeting m
          WHERE m.request_id = NEW.id
            AND (NEW.status <> 'accepted'
                 OR m.requester_id <> NEW.requester_id OR m.recipient_id <> NEW.recipient_id));
    END;""",
]

SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS events_request_guard;"]


def add_guard(apps, schema_editor):
    _0003._run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def remove_guard(apps, schema_editor):
    _0003._run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_organizer_permission"),
    ]

    operations = [migrations.RunPython(add_guard, remove_guard)]
