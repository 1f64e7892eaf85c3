"""The production topology on one machine, on existing engines (`make cluster`, issue 14).

- layout: where everything lives (var/cluster), its ports and the processes' environment, from settings
  and CLUSTER_* variables;
- render: nginx, supervisord and Redis configuration generated from settings (body limits from
  geoportal.request_guard, the one source);
- postgres: a primary and a hot-standby streaming replica (pg_basebackup) with pg_ctl, the app's roles;
- control: start, stop, status (`python -m geoportal.topology start|stop|status`).

The same topology for Docker is docker/compose.yaml.
"""
