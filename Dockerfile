# The atrisk service: production mode, non-root, uvicorn with ATRISK_WORKERS processes.
# Build: docker build -t atrisk .      Run with PostgreSQL: see docker-compose.yml and README.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/atrisk \
    PATH=/opt/atrisk/bin:$PATH

RUN groupadd --system atrisk \
    && useradd --system --gid atrisk --home-dir /app --no-create-home --shell /usr/sbin/nologin atrisk

WORKDIR /app
COPY . /app
# The dependencies exactly as locked, each checked against its hash; then the project
# itself, installed in place (editable): the migrations and the web page are read from /app.
# Dependencies are byte-compiled here, as the non-root user cannot write .pyc files.
RUN python -m venv /opt/atrisk \
    && pip install --require-hashes --no-deps -r /app/requirements.lock \
    && pip install --no-deps -e /app \
    && mkdir -p /app/data \
    && chown atrisk:atrisk /app/data

USER atrisk

ENV ATRISK_ENV=production \
    ATRISK_HOST=0.0.0.0 \
    ATRISK_PORT=8000 \
    ATRISK_WORKERS=2

EXPOSE 8000
VOLUME ["/app/data"]

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('ATRISK_PORT', '8000'), timeout=4)"]

# SIGTERM lets in-flight requests finish (up to ATRISK_SHUTDOWN_TIMEOUT seconds).
STOPSIGNAL SIGTERM
CMD ["atrisk", "serve"]
