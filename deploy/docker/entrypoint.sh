#!/bin/sh
# The image's entrypoint: `nlstream run` with the container's defaults, given as the NLSTREAM_* variables that
# `nlstream run --help` names, so that `docker run -e` beats them and arguments beat both:
#   docker run IMAGE                          run: every network namespace it can see (--network host --pid host:
#                                             the host's), journal in /var/lib/nlstream (the VOLUME), HTTP on
#                                             0.0.0.0:9464, JSON logs, events only journalled (not printed)
#   docker run IMAGE --kafka kafka:9092       run with more options
#   docker run -e NLSTREAM_KAFKA_BOOTSTRAP=kafka:9092 -e NLSTREAM_HTTP_LISTEN= IMAGE    (empty: no HTTP)
#   docker run IMAGE state --kind link        another command: a first argument that is not an option
# Needs no root of its own: it sets variables and execs the launcher (NLSTREAM_LAUNCHER, for tests), which becomes
# the container's process and gets its signals (SIGTERM: stop and close the journal; SIGHUP: reload).
set -eu

# only when unset: an empty value is the app's "unset", which turns HTTP off
: "${NLSTREAM_CAPTURE_NETNS=all}"
: "${NLSTREAM_JOURNAL_DIR=/var/lib/nlstream}"
: "${NLSTREAM_HTTP_LISTEN=0.0.0.0:9464}"
: "${NLSTREAM_LOG_FORMAT=json}"
: "${NLSTREAM_STDOUT_FORMAT=none}"
export NLSTREAM_CAPTURE_NETNS NLSTREAM_JOURNAL_DIR NLSTREAM_HTTP_LISTEN NLSTREAM_LOG_FORMAT NLSTREAM_STDOUT_FORMAT

launcher=${NLSTREAM_LAUNCHER:-/opt/nlstream/bin/nlstream}
case ${1:-} in
  '' | -*) exec "$launcher" run "$@" ;;
  *) exec "$launcher" "$@" ;;
esac
