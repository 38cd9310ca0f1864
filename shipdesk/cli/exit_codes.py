"""The exit codes of the design's command-line contract (``docs/command-line.md``)."""

EXIT_OK = 0  # all done
EXIT_SOME_FAILED = 1  # some items failed (listed), or a failure stopped the command
EXIT_USAGE = 2  # usage or configuration error
EXIT_INTERRUPTED = 130  # stopped with Ctrl+C (128 + SIGINT, as shells report it)
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (`| head`): 128 + SIGPIPE, as shells report it
