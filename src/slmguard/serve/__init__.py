"""The HTTP server: OpenAI moderation and chat shapes over the guard (app factory in `app`, routes in `routes/`)."""
