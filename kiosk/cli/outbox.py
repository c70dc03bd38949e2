"""``kiosk outbox [list|flush|retry ID]``: what is waiting to be sent, for technicians and scripts."""

from __future__ import annotations

import argparse
import json
import time

from kiosk.cli.common import EXIT_FAIL, EXIT_OK, UsageError, config_from_args, eprint


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("outbox", help="list, flush or retry what is waiting to be sent")
    p.add_argument("action", nargs="?", default="list", choices=["list", "flush", "retry"])
    p.add_argument("item", nargs="?", metavar="ID")
    p.add_argument("--all", action="store_true", help="list: include acknowledged items")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outbox)


def _open(config, with_client: bool):
    from kiosk.backend.client import BackendClient
    from kiosk.backend.outbox import Outbox

    client = None
    if with_client:
        client = BackendClient.from_config(config)
    return Outbox(config.data_path("outbox", "outbox.db"), client=client), client


def cmd_outbox(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if args.action == "list":
        box, _ = _open(config, False)
        items = box.items() if args.all else box.pending()
        if args.json:
            print(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        else:
            for i in items:
                when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(i.created_at))
                err = f"  {i.last_error}" if i.last_error else ""
                print(f"{i.id}  {i.kind:7}  {i.state:8}  {when}  attempts={i.attempts}  {i.summary}{err}")
            eprint(f"{len(items)} item(s)")
        return EXIT_OK
    if args.action == "retry":
        if not args.item:
            raise UsageError("retry needs an item ID (see `kiosk outbox list`)")
        box, client = _open(config, True)
        try:
            if not box.retry(args.item):
                eprint(f"kiosk outbox: no waiting or rejected item {args.item}")
                return EXIT_FAIL
            state = box._send_by_id(args.item)
        finally:
            client.close()
        print(json.dumps({"id": args.item, "state": state}) if args.json else f"{args.item}: {state}")
        return EXIT_OK if state == "acked" else EXIT_FAIL
    box, client = _open(config, True)
    try:
        report = box.flush()
    finally:
        client.close()
    out = {"sent": report.sent, "failed": report.failed, "rejected": report.rejected, "remaining": report.remaining}
    print(json.dumps(out) if args.json else
          f"sent {report.sent}, failed {report.failed}, rejected {report.rejected}, still waiting {report.remaining}")
    return EXIT_OK if report.remaining == 0 else EXIT_FAIL
