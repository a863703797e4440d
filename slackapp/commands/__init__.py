"""The `kindly` subcommands, one module per group; cli.py parses the command line and calls them."""
