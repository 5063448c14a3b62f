"""Scheduling: accepted meeting requests into slots and tables, and the schedule in the app.

- `solver/`: the scheduler over plain data (no Django import, tested and benchmarked alone);
- `service.py`: loads an event into a solver problem, saves and publishes the result;
- `report.py`: the typed run report kept in `ScheduleRun.details`, put into words per language;
- `page.py` and `views.py`: the organizer's schedule page and its buttons (background jobs);
- `management/commands/schedule_meetings.py`: the same from the command line.

The rule that folds accepted requests into meetings (a mutual pair meets once) is
`kbio.events.pairs.fold`, shared with agendas, e-mails and the dashboard.
"""
