"""The bot scopes Kindly asks for: the same list as manifest.yml (a test keeps them equal)."""

BOT_SCOPES = (
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "dnd:read",
    "files:write",
    "groups:read",
    "im:write",
    "usergroups:read",
    "users:read",
)
