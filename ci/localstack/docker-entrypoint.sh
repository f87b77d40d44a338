#!/bin/bash
# Starts LocalStack's own supervisor (from the localstack-core wheel) in the venv, with every switch that would make
# 4.13.1 reach the internet turned off: in the test's Docker network nothing off the machine is reachable, and a
# start-up that waits on a download or a DNS upstream would only stall. Names from localstack/config.py at v4.13.1.
set -euo pipefail

export DISABLE_EVENTS=1            # no analytics events to LocalStack's API
export SKIP_SSL_CERT_DOWNLOAD=1    # no download of LocalStack's signed localhost.localstack.cloud certificate
export DNS_ADDRESS=0               # no DNS server of its own (it would forward to an upstream resolver)
export LOCALSTACK_HOST="${LOCALSTACK_HOST:-127.0.0.1}"

mkdir -p /var/lib/localstack/logs
# shellcheck disable=SC1091  # the venv exists only inside the image
source /opt/code/localstack/.venv/bin/activate
# exec, no pipe: the supervisor receives the container's SIGTERM and stops LocalStack cleanly.
exec localstack-supervisor
