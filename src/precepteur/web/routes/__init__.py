"""One module per resource: pages, auth, chat, conversations, models, admin, library,
openai (/v1), health and metrics. Each exposes `router` (and `api_router` when it
has both pages and JSON endpoints)."""
