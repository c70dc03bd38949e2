"""The office side of the queue: ticket states, the calling policy, counters, the engine and live events.

- :mod:`server.queue.states`   — waiting → called → serving → done, plus no_show; which action moves what
- :mod:`server.queue.policy`   — which ticket a counter calls next (priority first, never starving anyone)
- :mod:`server.queue.counters` — which services a counter serves, pause/resume
- :mod:`server.queue.engine`   — the officer's actions on the database (call, recall, no-show, transfer, serve)
- :mod:`server.queue.snapshot` — what the hall display and the follow page show (numbers only, nothing personal)
- :mod:`server.queue.events`   — live updates: an in-process hub, fed across workers by PostgreSQL LISTEN/NOTIFY
- :mod:`server.queue.voice`    — the Vietnamese call announcements (espeak-ng clips joined into WAV files)
"""
