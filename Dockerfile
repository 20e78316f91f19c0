# rhrt-bot: the Slack app with the bundled knowledge pack and config baked in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    RHRT_DB=/data/rhrt.db
RUN useradd --create-home --uid 10001 rhrt && mkdir /data && chown rhrt /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN pip install ".[teams]"
COPY config.yaml manifest.yaml* ./
COPY knowledge ./knowledge
# A broken pack must never ship: the build fails here if it does not validate.
RUN python -m bot validate

USER rhrt
VOLUME ["/data"]
EXPOSE 3000 3978
HEALTHCHECK --interval=60s --timeout=10s CMD python -m bot validate > /dev/null || exit 1
# Socket Mode when SLACK_APP_TOKEN is set; `serve --http --port 3000` for the Events API;
# `serve --teams --port 3978` for Microsoft Teams (add --slack to serve both).
CMD ["python", "-m", "bot", "serve"]
