"""What `vulture` (.ci/run) must not call dead: code that is used, but by something vulture cannot see.

Each entry says who uses it. Vulture reads this file as Python and counts every name here as used; it is
never imported or run. Settings are in pyproject.toml ([tool.vulture]): Bolt listeners (`@app.*`) and
SQLAlchemy event hooks (`@event.listens_for`) count as used by their decorator.
"""

# ruff: noqa: B018, F821  (bare names and attributes are the format vulture reads)

# -- called by gunicorn, not by us (slackapp/buffering_worker.py, slackapp/server.py) ----------------------
_.nr_conns  # the worker's connection count, which gunicorn's arbiter reads
_.on_client_socket_readable  # gunicorn's thread worker calls it for a kept-alive connection
_.data_ready  # gunicorn's TConn flag: the request is buffered, the parser may read it
_.load_config  # gunicorn's BaseApplication hook

# -- set on objects of the standard library and slack_sdk, which read them -----------------------------
_.format  # logging.Formatter.format, overridden (slackapp/logs.py)
_.levelno  # logging.LogRecord (slackapp/socket_mode.py: a record restated as a warning)
_.disabled  # logging.Logger (slackapp/socket_mode.py: the token check's quiet logger)
_.auto_reconnect_enabled  # slack_sdk's SocketModeClient: no reconnect while draining

# -- SQLAlchemy's TypeDecorator interface (slackapp/store/types.py) ---------------------------------------
impl
cache_ok
_.process_bind_param
_.process_result_value

# -- columns: written for the database, read by people and forensics, not by code ------------------------
updated_at
claimed_at
finished_at
added_at
enrolled_at
taken_at

# -- dataclass fields read only by the templates (templates/) -------------------------------------------
emoji  # practices/strengths.py: Strength.emoji
practice_name  # rendering/entries.py: EntrySummary.practice_name
is_hr  # rendering/journal.py: HomeContext.is_hr
named_leads  # rendering/programs.py: TeamPage.named_leads
first_day  # rendering/programs.py: the program-started view
repeats_after_weeks  # rendering/programs.py: the program-started view
digest_day  # rendering/shoutouts.py: Destination.digest_day
strength_name  # rendering/shoutouts.py: RemovalChoice.strength_name
began  # rendering/self_check.py: TrendWeek.began
bar  # rendering/self_check.py: TrendWeek.bar
hidden_below  # practices/insights.py: Figure.hidden_below, the k a hidden population fell short of

# -- read by the tests, which vulture does not scan --------------------------------------------------------
_.wait_idle  # request_ids.py: tests wait for the listeners to finish their work after the ack
EVERY_DAY  # scheduling/occurrences.py: tests and benchmarks schedule reminders on every day
audit_entries  # store/audit.py: tests read the audit log through it
downgrade_to  # store/migrate.py: the migration tests step back to an older schema
_.days_held  # store/quota.py: the housekeeping tests check how long quota counters are kept
read_meta  # store/reflections.py: tests open a row's sealed metadata (its practice) through it
EVENTS  # listeners/events.py: tests/test_manifest.py checks the events' scopes
_.__qualname__  # listeners/hr.py: Bolt's logs name a wrapped listener by its function
GLOBAL_SHORTCUTS  # listeners/shortcuts.py: tests/test_manifest.py checks the manifest declares them
MESSAGE_SHORTCUTS  # listeners/shortcuts.py: likewise

# -- issue 18, in progress: the machinery is tested (tests/test_catalogues.py); surfaces adopt it next ----
catalogue_locale  # slackapp/rendering/locales.py: a member's Slack locale to the catalogue that speaks it
