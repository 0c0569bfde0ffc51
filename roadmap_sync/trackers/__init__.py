"""Where the issues live, behind one protocol (``base.Tracker``, with the records it takes and
returns): GitHub through PyGithub (``github`` for the objects, ``github_http`` for pacing,
retries and rate limits, ``etags`` for conditional requests), and the local tracker file
(``local`` for its IO and lock, ``local_state`` for what each operation does to its records).

Imports ``errors`` and ``files`` only; PyGithub and requests are imported nowhere else.
"""
