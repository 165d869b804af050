#!/usr/bin/env python3
"""Cut a real OCS Inventory agent output down to a fixture.

    python3 cut.py vm-2026-11-23-07-22-17.ocs > debian-vm.ocs

The input is what `ocsinventory-agent --local=DIR` (Debian 12 package
2:2.10.0-3) wrote on the machine that made the fixtures. The script keeps
the agent's bytes, removing whole <SOFTWARES> elements except those named
in KEEP, and the <LOCAL_USERS> and <LOCAL_GROUPS> elements (accounts of the
machine, not software). Nothing inside a kept element is changed.
"""
import re
import sys

KEEP = {"bash", "curl", "git", "libreoffice-common", "libreoffice-core-nogui", "libreoffice-writer-nogui",
        "ocsinventory-agent", "openssh-client", "p7zip-full", "postgresql-15", "libpq5", "vim", "wget",
        "python3"}

data = open(sys.argv[1], encoding="utf-8").read()


def keep(m):
    name = re.search(r"<NAME>([^<]*)</NAME>", m.group(0)).group(1)
    return m.group(0) if name in KEEP else ""


data = re.sub(r"    <SOFTWARES>\n.*?</SOFTWARES>\n", keep, data, flags=re.S)
data = re.sub(r"    <LOCAL_(USERS|GROUPS)>\n.*?</LOCAL_\1>\n", "", data, flags=re.S)
sys.stdout.write(data)
