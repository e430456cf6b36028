#!/bin/sh
# Runs the irctest conformance suite against natterd's IRC listener.
#   contrib/irctest/run.sh /path/to/irctest [pytest arguments...]
# irctest is not a Debian package; it needs python3-pytest (and, for some files,
# python3-cryptography). Runs the tests irctest itself runs for a plain RFC server, minus the
# ones specific to other servers; a file or -k expression can narrow it.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 IRCTEST_DIR [pytest arguments...]" >&2; exit 2; }
irctest=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
NATTERD_BIN=${NATTERD_BIN:-$here/../../build/natterd}
export NATTERD_BIN
cp "$here/natterd.py" "$irctest/irctest/controllers/natterd.py"
cd "$irctest"
exec /usr/bin/python3 -m pytest --controller irctest.controllers.natterd \
    -m 'not services and not implementation-specific and not deprecated and not strict and not Ergo' \
    -p no:cacheprovider "$@"
