"""The ``liaison`` command: the GUI when run alone, and sub-commands for scripts.

Exit codes: 0 done, 1 the user's problem (one clear line on stderr, never a traceback),
2 wrong usage. Passphrases come from ``--passphrase-file``, ``LIAISON_PASSPHRASE`` or a
hidden prompt, never from the command line itself (it would land in the shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app import __version__
from app.cli_pick import UserError, resolve_case, resolve_outsider, resolve_party, resolve_text
from app.core.errors import LiaisonError, VaultExists
from app.terminal import label as _label
from app.terminal import terminal_safe

if TYPE_CHECKING:
    from app.core.vault import Vault

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
PASSPHRASE_ENV = "LIAISON_PASSPHRASE"
NEW_PASSPHRASE_ENV = "LIAISON_NEW_PASSPHRASE"
MIN_PASSPHRASE = 8


# A passphrase or password is one line of a file; a longer first line is refused (and a
# device such as /dev/zero given as the file ends there instead of filling the memory).
_MAX_SECRET_BYTES = 64 * 1024


def _read_secret_file(path: str, what: str = "passphrase file") -> str:
    """The first line of a passphrase (or password) file, which must be UTF-8 text: without
    a byte order mark in front, nor the end of the line (LF, CRLF or CR)."""
    try:
        with open(path, "rb") as f:
            first = f.readline(_MAX_SECRET_BYTES + 1)
    except OSError as exc:
        raise UserError(f"Cannot read the {what} “{path}”: {exc.strerror}.") from exc
    if len(first) > _MAX_SECRET_BYTES:
        raise UserError(
            f"The first line of the {what} “{path}” is longer than "
            f"{_MAX_SECRET_BYTES // 1024} KiB; it holds no usable secret."
        )
    try:
        line = first.decode("utf-8-sig")  # -sig: a leading byte order mark is dropped
    except UnicodeDecodeError:
        raise UserError(f"The {what} “{path}” is not UTF-8 text; save it as UTF-8.") from None
    secret = re.split("\r\n|\r|\n", line, maxsplit=1)[0]
    if not secret:
        raise UserError(f"The {what} “{path}” is empty.")
    return secret


def _env_secret(name: str) -> str | None:
    """The secret in the environment variable ``name``, if set (and UTF-8 text)."""
    value = os.environ.get(name)
    if not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
        raise UserError(f"The {name} variable is not UTF-8 text.") from None
    return value


def get_passphrase(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    if getattr(args, "passphrase_file", None):
        return _read_secret_file(args.passphrase_file)
    env = _env_secret(PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        raise UserError(
            f"No passphrase: give --passphrase-file or set {PASSPHRASE_ENV}, or run in a terminal."
        )
    secret = getpass.getpass(prompt)
    if not secret:
        raise UserError("No passphrase was typed.")
    return secret


def get_new_passphrase(args: argparse.Namespace) -> str:
    if getattr(args, "new_passphrase_file", None):
        secret = _read_secret_file(args.new_passphrase_file)
    elif os.environ.get(NEW_PASSPHRASE_ENV):
        secret = _env_secret(NEW_PASSPHRASE_ENV) or ""
    elif sys.stdin.isatty():
        secret = getpass.getpass("New passphrase: ")
        if getpass.getpass("Repeat the new passphrase: ") != secret:
            raise UserError("The two passphrases differ; nothing was changed.")
    else:
        raise UserError(
            "No new passphrase: give --new-passphrase-file or set "
            f"{NEW_PASSPHRASE_ENV}, or run in a terminal."
        )
    if len(secret) < MIN_PASSPHRASE:
        raise UserError(f"A passphrase needs at least {MIN_PASSPHRASE} characters.")
    return secret


def get_passphrase_for_new_vault(args: argparse.Namespace) -> str:
    if getattr(args, "passphrase_file", None) or os.environ.get(PASSPHRASE_ENV):
        secret = get_passphrase(args)
    elif sys.stdin.isatty():
        secret = getpass.getpass("Passphrase for the new vault: ")
        if getpass.getpass("Repeat it: ") != secret:
            raise UserError("The two passphrases differ; no vault was created.")
    else:
        raise UserError(
            f"No passphrase: give --passphrase-file or set {PASSPHRASE_ENV}, or run in a terminal."
        )
    if len(secret) < MIN_PASSPHRASE:
        raise UserError(f"A passphrase needs at least {MIN_PASSPHRASE} characters.")
    return secret


def open_vault(args: argparse.Namespace) -> Vault:
    from app.core.vault import Vault

    vault = Vault(args.vault)
    vault.unlock_any(get_passphrase(args))
    return vault


def _print_recovery_key(key: str) -> None:
    print("Recovery key (write it down and keep it apart from this computer;")
    print("it opens the vault if the passphrase is forgotten):")
    print()
    print("    " + key)
    print()


# --- commands -------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from app.core.vault import Vault

    if Path(args.vault).exists():
        raise VaultExists(f"“{args.vault}” already exists; choose another name.")
    vault = Vault.create(args.vault, get_passphrase_for_new_vault(args))
    try:
        print(f"Created {args.vault}")
        _print_recovery_key(vault.recovery_key())
    finally:
        vault.lock()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from app.core.demo import build_demo
    from app.core.vault import Vault

    if Path(args.vault).exists():
        raise VaultExists(f"“{args.vault}” already exists; the demo goes into a new file.")
    # Built under a temporary name and given the name only when complete (see Vault.create).
    vault = Vault.create(args.vault, get_passphrase_for_new_vault(args), fill=build_demo)
    try:
        print(f"Created the demo notebook in {args.vault}")
    finally:
        vault.lock()
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    try:
        new = get_new_passphrase(args)
        key = vault.change_passphrase(new)
        print("The passphrase was changed. The old recovery key no longer works.")
        _print_recovery_key(key)
    finally:
        vault.lock()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    try:
        problems = vault.check()
    finally:
        vault.lock()
    if problems:
        print(f"{args.vault}: {len(problems)} problem(s) found:", file=sys.stderr)
        for p in problems[:50]:
            print(f"  {terminal_safe(p)}", file=sys.stderr)
        return EXIT_USER
    print(f"{args.vault}: encryption and database checks passed.")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    try:
        dest = vault.backup_to(args.dest)
    finally:
        vault.lock()
    print(f"Encrypted backup written to {dest} (same passphrase and recovery key).")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from app.core.services.search import MARK_END, MARK_START, marks_to_text, search

    vault = open_vault(args)
    try:
        hits = search(vault, args.query, case_id=args.case, limit=args.limit, prefix_last=False)
    finally:
        vault.lock()
    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    # Vault text is escaped first; only the match marks become terminal sequences.
    marks = MARK_START + MARK_END
    for h in hits:
        where = f" · {terminal_safe(h.case_title)}" if h.case_title else ""
        title = marks_to_text(terminal_safe(h.title, keep=marks), bold, plain)
        print(f"{terminal_safe(h.kind)} #{h.record_id}{where}: {title}")
        if h.snippet:
            snippet = terminal_safe(h.snippet, keep=marks + "\n\t").replace("\n", "\n    ")
            print(f"    {marks_to_text(snippet, bold, plain)}")
    if not hits:
        print("No matches.", file=sys.stderr)
    return EXIT_OK


def cmd_recovery_key(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    try:
        _print_recovery_key(vault.recovery_key())
    finally:
        vault.lock()
    return EXIT_OK


def cmd_export_json(args: argparse.Namespace) -> int:
    from app.core.export.jsonio import export_json

    _check_output(args, Path(args.file))
    vault = open_vault(args)
    try:
        counts = export_json(vault, args.file)
    finally:
        vault.lock()
    print(f"Exported {sum(counts.values()):,} records to {args.file}.")
    print("Note: this file is NOT encrypted. Keep it safe, and delete it when done.")
    return EXIT_OK


def cmd_import_json(args: argparse.Namespace) -> int:
    from app.core.export.jsonio import import_json, read_document, validate_document
    from app.core.vault import Vault

    # Validate before creating anything, so a bad file leaves no empty vault behind.
    validate_document(read_document(args.file))
    counts: dict[str, int] = {}
    if Path(args.vault).exists():
        vault = open_vault(args)
        try:
            counts = import_json(vault, args.file)
        finally:
            vault.lock()
    else:
        # A new vault gets its name only once the import is in (see Vault.create): all or
        # nothing, even when the process is killed.
        vault = Vault.create(
            args.vault,
            get_passphrase_for_new_vault(args),
            fill=lambda v: counts.update(import_json(v, args.file)),
        )
        vault.lock()
    print(f"Imported {sum(counts.values()):,} records into {args.vault}.")
    return EXIT_OK


def _read_password_file(path: str) -> str:
    return _read_secret_file(path, "password file")


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a date like 2025-03-14") from None


def _check_output(args: argparse.Namespace, out: Path) -> None:
    """Before the passphrase is even asked for: never the vault or a copy of it (the core
    checks again when it writes), and an existing file only with --force."""
    from app.core.errors import OutputExists
    from app.core.outputs import check_output
    from app.core.vault import Vault

    check_output(out, Vault(args.vault))
    if out.exists() and not args.force:
        raise OutputExists(f"“{out}” already exists; use --force to replace it.")


def cmd_export(args: argparse.Namespace) -> int:
    from app.core.export.pdf import export_pdf, export_recovery_sheet

    out = Path(args.output)
    if out.is_dir():
        raise UserError(f"“{out}” is a folder; give the name of the PDF file to write.")
    _check_output(args, out)
    password = _read_password_file(args.password_file) if args.password_file else None
    vault = open_vault(args)
    try:
        if args.kind == "recovery":
            result = export_recovery_sheet(vault, out, password=password)
        else:
            case_id = resolve_case(vault, args.case)
            party_id = outsider_id = None
            if args.kind == "debrief":  # always for an outside audience of the case
                outsider_id = resolve_outsider(vault, case_id, args.audience)
            elif args.audience:
                party_id = resolve_party(vault, case_id, args.audience)
            text_id = resolve_text(vault, case_id, args.text) if args.kind == "text" else None
            result = export_pdf(
                vault,
                kind=args.kind,
                case_id=case_id,
                out_path=out,
                audience_party_id=party_id,
                audience_outsider_id=outsider_id,
                codenames=args.codenames,  # None: on for a debrief, off otherwise
                include_own=args.include_own,
                password=password,
                date_from=args.date_from,
                date_to=args.date_to,
                session_id=args.session,
                text_id=text_id,
                draft_number=args.draft,
                against_number=args.against,
                clean=True if args.clean else None,
            )
    finally:
        vault.lock()
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
    print(f"Wrote {out} ({pages}, for: {_label(result.audience)}).")
    if result.audience != "me" and result.kind != "text":  # (a draft is never cut)
        # For the mediator's eyes only: the party's copy never says how much it does not see.
        print(
            f"{result.withheld:,} item{'s' if result.withheld != 1 else ''} left out of "
            f"{_label(result.audience)}'s copy (the PDF does not say so)."
        )
    if result.missing_characters:
        chars = terminal_safe(" ".join(sorted(result.missing_characters)))
        print(f"Warning: no bundled font has these characters; they print as \ufffd: {chars}")
    if result.encrypted:
        print("The PDF is protected with the password (AES-256).")
    else:
        print("Note: this PDF is NOT encrypted. Keep it safe, and delete it when done.")
    return EXIT_OK


def cmd_restore_test(args: argparse.Namespace) -> int:
    from app.core.services.backups import restore_test

    report = restore_test(args.vault, get_passphrase(args))
    counts = ", ".join(f"{n:,} {table}" for table, n in report.records.items())
    if report.problems:
        print(f"{args.vault}: the backup opens but has problems:", file=sys.stderr)
        for p in report.problems[:20]:
            print(f"  {terminal_safe(p)}", file=sys.stderr)
        return EXIT_USER
    print(f"{args.vault}: the backup opens and checks out (schema {report.revision}; {counts}).")
    print("It was opened from a temporary copy; the backup itself was not changed.")
    return EXIT_OK


def cmd_self_check(args: argparse.Namespace) -> int:
    from app.core.selfcheck import run_self_check

    return EXIT_OK if run_self_check() else EXIT_USER


def cmd_gui(args: argparse.Namespace) -> int:
    from app.gui.app import run_gui

    return run_gui(vault_path=args.vault, demo=args.demo)


# --- parser ---------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="liaison",
        description="Liaison: an encrypted, offline case notebook for mediators.",
        epilog=f"Passphrases: --passphrase-file F, the {PASSPHRASE_ENV} variable, or a prompt.",
    )
    parser.add_argument("--version", action="version", version=f"Liaison {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the demo notebook")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check this installation (temporary vault, search, PDF) without a display",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> _Parser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=fn)
        p.add_argument("vault", metavar="VAULT", help="the vault file (*.liaison)")
        p.add_argument("--passphrase-file", metavar="F", help="read the passphrase from F")
        return p

    add("init", cmd_init, "create a new, empty vault")
    p = add("passwd", cmd_passwd, "change a vault's passphrase (and so its recovery key)")
    p.add_argument("--new-passphrase-file", metavar="F", help="read the new passphrase from F")
    add("check", cmd_check, "verify a vault's encryption and database integrity")
    p = add("backup", cmd_backup, "write an encrypted copy of a vault")
    p.add_argument("dest", metavar="DEST")
    p = add("search", cmd_search, "full-text search in a vault")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--case", type=int, metavar="ID", help="only in this case")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    add("demo", cmd_demo, "create VAULT holding the fictional demo notebook")
    add(
        "restore-test",
        cmd_restore_test,
        "open a backup (from a temporary copy) and check it, without changing it",
    )
    add("recovery-key", cmd_recovery_key, "show a vault's recovery key")
    p = add("export-json", cmd_export_json, "export a whole vault as (unencrypted) JSON")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = add("import-json", cmd_import_json, "import a JSON export (creates VAULT if needed)")
    p.add_argument("file", metavar="FILE")
    p = add(
        "export",
        cmd_export,
        "export a case as PDF: a dossier, a session brief, a shuttle log, the options matrix, "
        "a session's notes, a draft of a text, the commitments register, a debrief for an "
        "outside audience, or the vault's recovery sheet",
    )
    p.add_argument(
        "--case", metavar="ID|TITLE", help="the case (may be omitted when the vault holds one)"
    )
    p.add_argument(
        "--kind",
        required=True,
        choices=[
            "dossier",
            "brief",
            "log",
            "options",
            "notes",
            "text",
            "commitments",
            "debrief",
            "recovery",
        ],
        help="the kind of document",
    )
    p.add_argument(
        "--audience",
        metavar="ID|NAME",
        help="prepare it for this party: what it may not see is left out (default: for me); "
        "a debrief: the outside audience of the case it is for (required)",
    )
    p.add_argument(
        "--codenames",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show people by their codenames (a neutral label for those who have none); "
        "on by default for a debrief, off for the rest",
    )
    p.add_argument(
        "--include-own",
        action="store_true",
        help="with --audience: add that party's own statements at every level, marked as its own",
    )
    p.add_argument(
        "--password-file", metavar="F", help="protect the PDF with the password in F (AES-256)"
    )
    p.add_argument("--session", type=int, metavar="ID", help="the session (brief, notes)")
    p.add_argument(
        "--from", dest="date_from", type=_date_arg, metavar="DATE", help="log: first day"
    )
    p.add_argument("--to", dest="date_to", type=_date_arg, metavar="DATE", help="log: last day")
    p.add_argument("--text", metavar="ID|TITLE", help="text: which (may be omitted if only one)")
    p.add_argument(
        "--draft", type=int, metavar="N", help="text: draft N (default: the working draft; "
        "for a party, the newest draft it was given)",
    )  # fmt: skip
    p.add_argument(
        "--against", type=int, metavar="M", help="text: compare with draft M (default: N-1)"
    )
    p.add_argument(
        "--clean", action="store_true", help="text: the clean copy for circulation (a party's "
        "copy always is; yours is otherwise the annotated copy)",
    )  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF to write")
    p.add_argument("--force", action="store_true", help="replace FILE.pdf if it exists")
    return parser


def run() -> int:
    """The `liaison` command and `python -m app`: harden the process, then :func:`main`.
    (Tests call ``main`` in their own process, which stays as it is.)"""
    from app.core.hardening import harden_process

    harden_process()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    from app.core.hardening import disable_core_dumps

    disable_core_dumps()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # `liaison VAULT` opens the GUI on that vault (file managers call it that way).
    if argv and not argv[0].startswith("-") and argv[0] not in _commands(parser):
        args = argparse.Namespace(vault=argv[0], demo=False, func=cmd_gui)
        if len(argv) > 1:
            parser.error(f"unexpected arguments after the vault: {' '.join(argv[1:])}")
    else:
        args = parser.parse_args(argv)
        if getattr(args, "self_check", False):
            args.func = cmd_self_check
        if not getattr(args, "func", None):
            args.vault = None
            args.func = cmd_gui
    try:
        return int(args.func(args))
    except LiaisonError as exc:
        # One line, whatever the message holds (a name from the vault, a file name).
        print(f"liaison: {terminal_safe(str(exc))}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("liaison: interrupted; nothing was changed.", file=sys.stderr)
        return EXIT_USER
    except OSError as exc:
        # A file problem the core did not anticipate: say what, not a traceback.
        what = terminal_safe(f"{exc.strerror or exc} ({exc.filename or ''})")
        print(f"liaison: {what}.", file=sys.stderr)
        return EXIT_USER


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


if __name__ == "__main__":
    sys.exit(main())
