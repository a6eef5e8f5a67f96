"""The composition root: the `dothixanh` command line and the services it shares with the dashboard.

Only this package may see every stage; the dashboard calls its services (ingest a file, initialise a
ward, evaluate, build a report) instead of reaching into pipelines/ itself.
"""
