# rhrt-bot: the Slack app. Dependencies from requirements.lock (exact versions and hashes,
# the same file ./run installs from); the knowledge packs and a default config baked in.
#
#   docker build -t rhrt-bot .
#   docker run -d --name rhrt-bot \
#     -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN -e RHRT_LOG_KEY \
#     -e RHRT_CONFIG=/config/config.yaml -v "$PWD/config.local.yaml:/config/config.yaml:ro" \
#     -v rhrt-log:/data rhrt-bot
#
# Configuration: a mounted file (RHRT_CONFIG) and/or environment variables (RHRT_PACK,
# RHRT_ADMINS, RHRT_KNOWLEDGE, RHRT_DB, RHRT_LOG_KEY); see README "Docker". Socket Mode (the
# default) connects out to Slack and opens no port. For the Events API over HTTP run
# `python -m bot serve --http` and publish a port (-p 3000:3000); for Microsoft Teams
# `python -m bot serve --teams --port 3978` (add --slack to serve both) and publish 3978.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RHRT_DB=/data/rhrt.db \
    RHRT_HEARTBEAT=/tmp/rhrt-heartbeat.json

RUN useradd --create-home --uid 10001 rhrt \
    && mkdir /data /config \
    && chown rhrt /data

WORKDIR /app
# requirements-teams.lock is requirements.lock plus the Teams front end's packages.
COPY requirements-teams.lock ./
RUN pip install --no-deps --require-hashes -r requirements-teams.lock

COPY bot ./bot
COPY handlers ./handlers
COPY config.yaml manifest.yaml ./
COPY knowledge ./knowledge
# A broken pack must never ship: the build fails here if it does not validate.
RUN python -m bot validate
# The bot's bytecode, made once here: PYTHONDONTWRITEBYTECODE stops Python writing it at
# run time, so otherwise every start would compile every module again.
RUN python -m compileall -q bot handlers

USER 10001
VOLUME ["/data"]
# Healthy while the running app can serve: in Socket Mode while its connection to Slack is
# up (a heartbeat file), over HTTP while its /healthz answers.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "handlers.health"]
CMD ["python", "-m", "bot", "serve"]
