"""A controller that lets the irctest IRC conformance suite test natterd's IRC listener.

Copy it into an irctest checkout as irctest/controllers/natterd.py (run.sh does) and select it
with `--controller irctest.controllers.natterd`. For every test it starts the real natterd in
the foreground: a fresh data directory, no flood limit, the IRC listener on the port the suite
chose, and the operator `operuser` / `operpassword` the suite's OPER tests use.

Environment: NATTERD_BIN, the natterd to test (default: natterd on the PATH).
"""

import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Optional, Set, Type

from irctest.basecontrollers import (
    BaseServerController,
    DirectoryBasedController,
    NotImplementedByController,
)

NATTERD_BIN = os.environ.get("NATTERD_BIN", "natterd")

# The capabilities natterd offers (natterd(1), IRC): a NAK of one of these is a failure.
NATTERD_CAPS = {"batch", "echo-message", "multi-prefix", "server-time", "userhost-in-names"}

# natterd says this on stdout once its IRC listener is bound.
_LISTENING = re.compile(r"^natterd IRC listening on (.*):(\d+)$")


class NatterdController(BaseServerController, DirectoryBasedController):
    software_name = "natterd"
    supported_sasl_mechanisms: Set[str] = set()
    supports_sts = False

    # What natterd(1) says its RPL_ISUPPORT holds; the suite checks the server says the same.
    isupport = {
        "AWAYLEN": "256",
        "CASEMAPPING": "rfc7613",
        "CHANLIMIT": "#:50",
        "CHANMODES": "b,k,l,imnst",
        "CHANNELLEN": "32",
        "CHANTYPES": "#",
        "KICKLEN": "256",
        "MAXTARGETS": "4",
        "MODES": "4",
        "NETWORK": "natter",
        "NICKLEN": "24",
        "PREFIX": "(ov)@+",
        "TOPICLEN": "390",
    }

    def supports_cap(self, cap: str) -> bool:
        return cap in NATTERD_CAPS

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str] = None,
        **unsupported,
    ) -> None:
        if ssl:
            raise NotImplementedByController("TLS")
        if run_services:
            raise NotImplementedByController("services")
        if any(unsupported.values()):
            raise NotImplementedByController(", ".join(k for k, v in unsupported.items() if v))
        assert self.proc is None
        self.port = port
        self.port_open = False
        self.create_config()
        assert self.directory
        opers = self.directory / "opers"
        opers.write_text("operuser operpassword\n")
        opers.chmod(0o600)  # natterd refuses an operator file others may read
        cmd = [
            NATTERD_BIN,
            "--port", "0",  # the natter listener: any free port
            "--irc-bind", hostname,
            "--irc-port", str(port),
            "--data", str(self.directory / "data"),
            "--server-name", "My.Little.Server",
            "--no-flood-limit",
            "--irc-oper-file", str(opers),
        ]
        if password is not None:
            cmd += ["--irc-password", password]
        self.log_path = self.directory / "natterd.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log
        )

    def wait_for_port(self) -> None:
        # natterd's own word that it listens, rather than a probing connection that would
        # show up in LUSERS.
        if self.port_open:
            return
        assert self.proc and self.proc.stdout
        deadline = time.time() + 30
        seen = b""
        while time.time() < deadline:
            self.check_is_alive()
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise Exception("natterd closed its stdout before listening")
            seen += chunk
            for line in seen.decode(errors="replace").splitlines():
                if _LISTENING.match(line.strip()):
                    self.port_open = True
                    return
        raise Exception(f"natterd did not listen on {self.port} within 30 s: {seen!r}")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.terminate()  # natterd says goodbye to its clients and exits 0
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            if self.proc.stdout:
                self.proc.stdout.close()
            self.proc = None
            self._log.close()
            # pytest shows this for failing tests only
            print(Path(self.log_path).read_text(errors="replace")[-6000:])
        with self._used_ports() as used_ports:
            for hostname, port in list(self._own_ports):
                used_ports.discard((hostname, port))
                self._own_ports.discard((hostname, port))
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


def get_irctest_controller_class() -> Type[NatterdController]:
    return NatterdController
