#!/usr/bin/env python3
"""Regenerate the error-code tables in data/codes/ (see data/codes/SOURCES.md).

Python 3 standard library only.  Inputs:

* Debian package ``mingw-w64-common`` (``/usr/share/mingw-w64/include``):
  names and values of Win32 error codes, HRESULTs, NTSTATUS values and
  ESE/JET errors.  Nothing is compiled: ``#define``s and a few ``enum``s are
  read with a small C-preprocessor-style evaluator below.
* The Linux UAPI headers (``/usr/include/asm-generic/errno*.h``, Debian
  package ``linux-libc-dev``) and glibc's ``<bits/errno.h>`` for errno names
  and values, and glibc's ``strerror`` (via ``os.strerror``) for errno
  messages.
* Message texts for Win32 / HRESULT / NTSTATUS codes: ``// MessageText:``
  comments in the headers are used where present (mingw-w64 10.0.0 has none),
  otherwise the [MS-ERREF] transcriptions shipped in the PyPI package
  ``impacket`` (``system_errors.py``, ``hresult_errors.py``,
  ``nt_errors.py``).  The files are parsed with ``ast`` and never imported.
  Only the *messages* are taken from there, never names or values.

Usage::

    apt-get install -y mingw-w64-common
    pip download impacket==0.13.1 --no-deps -d /tmp/whl
    python3 scripts/gen_code_tables.py --impacket /tmp/whl/impacket-0.13.1-py3-none-any.whl
    python3 scripts/gen_code_tables.py --impacket ... --check   # compare only

Without ``--impacket`` an importable ``impacket`` is looked up (not
imported).  Other options: ``--include-dir``, ``--out-dir``,
``--no-ms-messages``, ``--only-permissive-headers``.  Writes the TSVs and the
generated section of data/codes/SOURCES.md.  Output is deterministic for a
given set of input versions, which are printed on stderr.
"""

import argparse
import ast
import importlib.util
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INCLUDE = "/usr/share/mingw-w64/include"
DEFAULT_OUT = os.path.join(REPO, "data", "codes")

# Versions the shipped tables were generated from (a mismatch is only warned
# about: the output is then simply what the installed versions give).
PINNED = {
    "mingw-w64-common": "10.0.0-3",
    "impacket": "0.13.1",
    "glibc": "2.36",
    "linux-libc-dev": "6.1.187-1",
}

HEADER = "code\tname\tmessage\n"

# Names that are range markers, masks or bases rather than codes.  (Kept
# narrow on purpose: STATUS_IMAGE_NOT_AT_BASE, FWP_E_INVALID_NET_MASK,
# VER_E_INNERMOST_FIRST, WU_E_PT_SOAPCLIENT_BASE ... are real codes.)
MARKER_RE = re.compile(
    r"^(FACILITY_|SEVERITY_|__)|^WSABASEERR$"
    r"|^DNS_ERROR_(\w+_BASE|MASK|RCODE_LAST)$"
    r"|_[ES]_(FIRST|LAST)$|^INET_E_ERROR_(FIRST|LAST)$|^CTL_E_CUSTOM_FIRST$"
)

# enums whose members are HRESULT values:
# (header, enum tag or first member, regex the member names must match)
HRESULT_ENUMS = [
    ("wbemcli.h", "tag_WBEMSTATUS", None),
    ("wbemprov.h", "tag_WBEM_EXTRA_RETURN_CODES", None),
    ("wbemdisp.h", "WbemErrorEnum", None),
    ("mqoai.h", "MQERROR", None),
    ("xmllite.h", "XmlError", None),
    ("comadmin.h", "COMAdminErrorCodes", None),
    ("mtsadmin.h", "mtsErrObjectErrors", None),  # not mtxadmin.h: older copy
                                                # with a wrong value for
                                                # mtsErrCoReqCompInstalled
    ("comsvcs.h", "mtsErrCtxAborted", None),
    ("txdtc.h", "XACT_DTC_CONSTANTS", r"^XACT_"),
    ("d3dx9.h", "_D3DXERR", None),
    ("msimcsdk.h", "IM_E_CONNECT", None),
    ("qedit.h", "E_NOTINTREE", None),
    ("cdonts.h", "CdoErrorType", None),
    ("adoint.h", "ErrorValueEnum", None),
    ("adoint_backcompat.h", "ErrorValueEnum", None),
]

# Preferred first name where a value has several (otherwise: winerror.h,
# then other headers' #defines, then enum members; aliases last in each).
PREFERRED = {"S_OK", "S_FALSE"}

# Headers whose *untyped* 32-bit constants (no HRESULT cast) are HRESULTs.
UNTYPED_HRESULT_HEADERS = {"bitsmsg.h"}


# --------------------------------------------------------------------------
# Reading headers
# --------------------------------------------------------------------------

TOKEN_RE = re.compile(
    r"\s+|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|"
    r"<<|>>|<=|>=|==|!=|&&|\|\||##|.",
    re.S,
)
COMMENT_OR_STRING_RE = re.compile(
    r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S
)
DEFINE_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?(.*)$")
ENUM_RE = re.compile(r"\benum\s+(\w*)\s*\{([^{}]*)\}\s*(\w*)", re.S)


def tokenize(text):
    return [t for t in TOKEN_RE.findall(text) if not t.isspace()]


def strip_comments(text):
    """Replace comments by a space (keeping newlines); leave strings."""

    def repl(m):
        s = m.group(0)
        if s.startswith("/*"):
            return " " + "\n" * s.count("\n")
        if s.startswith("//"):
            return " "
        return s

    return COMMENT_OR_STRING_RE.sub(repl, text)


def message_text_comments(lines):
    """Map define name -> message from Microsoft mc-style comments:

        // MessageText:
        //
        // The system cannot find the path specified.
        //
        #define ERROR_PATH_NOT_FOUND 3L
    """
    out = {}
    i = 0
    n = len(lines)
    while i < n:
        if re.match(r"^\s*//\s*MessageText:\s*$", lines[i]):
            i += 1
            parts = []
            while i < n and re.match(r"^\s*//", lines[i]):
                parts.append(re.sub(r"^\s*//\s?", "", lines[i]).strip())
                i += 1
            while i < n and not lines[i].strip():
                i += 1
            if i < n:
                m = DEFINE_RE.match(lines[i])
                if m and not m.group(2):
                    msg = clean_message(" ".join(p for p in parts if p))
                    if msg:
                        out.setdefault(m.group(1), msg)
            continue
        i += 1
    return out


def clean_message(s):
    return re.sub(r"\s+", " ", s).strip()


def licence_notice(head):
    """Classify the licence notice at the top of a mingw-w64 header."""
    if "placed in the Public Domain" in head:
        return "public domain (DISCLAIMER.PD)"
    if "GNU Lesser General Public" in head:
        return "LGPL-2.1-or-later (Wine-derived)"
    m = re.search(r"Autogenerated by WIDL [\d.]+ from (\S+\.idl)", head)
    if m:
        return "generated by WIDL from %s (notice in the .idl, not packaged)" % m.group(1)
    if "refer to the file DISCLAIMER within this package" in head:
        return "mingw-w64 DISCLAIMER notice (the ZPL-2.1 text), no copyright line"
    return "no notice in the file"


class Header:
    def __init__(self, relpath, raw):
        self.relpath = relpath
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        self.notice = licence_notice(raw[:2500])
        self.messages = message_text_comments(raw.split("\n"))
        # join continuation lines (line numbers are only used for ordering)
        text = re.sub(r"\\\n", " ", raw)
        text = strip_comments(text)
        self.text = text
        self.objects = {}  # name -> (tokens, line)
        self.functions = {}  # name -> (params, tokens, line)
        self.order = []  # object-like define names in file order (with line)
        for lineno, line in enumerate(text.split("\n"), 1):
            m = DEFINE_RE.match(line)
            if not m:
                continue
            name, params, body = m.group(1), m.group(2), m.group(3)
            if params is not None:
                plist = [p.strip() for p in params[1:-1].split(",") if p.strip()]
                self.functions.setdefault(name, (plist, tokenize(body), lineno))
            else:
                toks = tokenize(body)
                if name not in self.objects:
                    self.objects[name] = (toks, lineno)
                self.order.append((name, toks, lineno))

    def enums(self):
        """Yield (tag, [(member, expr_tokens_or_None, line)]) for each enum."""
        for m in ENUM_RE.finditer(self.text):
            body = m.group(2)
            # drop preprocessor lines inside the enum body
            body_lines = [
                "" if re.match(r"^\s*#", ln) else ln for ln in body.split("\n")
            ]
            start_line = self.text.count("\n", 0, m.start(2)) + 1
            members = []
            depth = 0
            cur = []
            cur_line = start_line
            for ch_line_index, ln in enumerate(body_lines):
                for ch in ln + "\n":
                    if ch == "(":
                        depth += 1
                    elif ch == ")":
                        depth -= 1
                    if ch == "," and depth == 0:
                        members.append(("".join(cur), cur_line))
                        cur = []
                        cur_line = start_line + ch_line_index
                        continue
                    if not cur or "".join(cur).isspace():
                        cur_line = start_line + ch_line_index
                    cur.append(ch)
            if "".join(cur).strip():
                members.append(("".join(cur), cur_line))
            parsed = []
            for item, line in members:
                item = item.strip()
                if not item:
                    continue
                mm = re.match(r"^([A-Za-z_]\w*)\s*(?:=\s*(.*))?$", item, re.S)
                if not mm:
                    parsed = None
                    break
                expr = mm.group(2)
                parsed.append(
                    (mm.group(1), tokenize(expr) if expr is not None else None, line)
                )
            if not parsed:
                continue
            tag = m.group(1) or m.group(3) or parsed[0][0]
            yield tag, parsed


def read_headers(include_dir):
    headers = {}
    for root, dirs, files in os.walk(include_dir):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".h"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, include_dir).replace(os.sep, "/")
            with open(path, "rb") as fh:
                raw = fh.read().decode("latin-1")
            headers[rel] = Header(rel, raw)
    return headers


# --------------------------------------------------------------------------
# A small macro expander and integer-expression evaluator
# --------------------------------------------------------------------------

HRESULT_MARKERS = {
    "_HRESULT_TYPEDEF_",
    "HRESULT",
    "SCODE",
    "MAKE_HRESULT",
    "MAKE_SCODE",
    "HRESULT_FROM_WIN32",
    "__HRESULT_FROM_WIN32",
    "HRESULT_FROM_NT",
}
NTSTATUS_MARKERS = {"NTSTATUS"}
# Type names that appear in casts; never macro-expanded.
TYPE_NAMES = {
    "HRESULT", "SCODE", "NTSTATUS", "LONG", "ULONG", "DWORD", "INT", "UINT",
    "__LONG32", "SECURITY_STATUS", "long", "int", "unsigned", "signed",
    "short", "char",
}


class EvalError(Exception):
    pass


def parse_int(tok):
    t = tok.rstrip("uUlL")
    if t.lower().startswith("0x"):
        return int(t, 16)
    if len(t) > 1 and t.startswith("0"):
        return int(t, 8)
    return int(t)


def hresult_from_win32(x):
    x = to_signed32(x)
    if x <= 0:
        return x & 0xFFFFFFFF
    return (x & 0xFFFF) | (7 << 16) | 0x80000000


def to_signed32(x):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x


BUILTINS = {
    # name: (arity, function on ints)
    "__MSABI_LONG": (1, lambda x: x),
    "MAKE_HRESULT": (3, lambda s, f, c: ((s & 1) << 31) | ((f & 0x1FFF) << 16) | (c & 0xFFFF)),
    "MAKE_SCODE": (3, lambda s, f, c: ((s & 1) << 31) | ((f & 0x1FFF) << 16) | (c & 0xFFFF)),
    "HRESULT_FROM_WIN32": (1, hresult_from_win32),
    "__HRESULT_FROM_WIN32": (1, hresult_from_win32),
    "HRESULT_FROM_NT": (1, lambda x: (x | 0x10000000) & 0xFFFFFFFF),
    "_HRESULT_TYPEDEF_": (1, lambda x: x),
}


class Evaluator:
    def __init__(self, headers, home="winerror.h"):
        self.headers = headers
        self.home = headers.get(home)
        self.global_objects = {}
        self.global_functions = {}
        for rel in sorted(headers):
            h = headers[rel]
            for k, v in h.objects.items():
                self.global_objects.setdefault(k, v)
            for k, v in h.functions.items():
                self.global_functions.setdefault(k, v)

    def lookup_object(self, name, header, extra):
        if extra is not None and name in extra:
            return extra[name]
        for h in (header, self.home):
            if h is not None and name in h.objects:
                return h.objects[name][0]
        v = self.global_objects.get(name)
        return v[0] if v else None

    def lookup_function(self, name, header):
        for h in (header, self.home):
            if h is not None and name in h.functions:
                return h.functions[name][:2]
        v = self.global_functions.get(name)
        return v[:2] if v else None

    def expand(self, toks, header, hide, markers, extra, depth=0):
        if depth > 60:
            raise EvalError("expansion too deep")
        out = []
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if not (t[0].isalpha() or t[0] == "_") or t in hide or t in TYPE_NAMES:
                if t in HRESULT_MARKERS:
                    markers.add("HRESULT")
                if t in NTSTATUS_MARKERS:
                    markers.add("NTSTATUS")
                out.append(t)
                i += 1
                continue
            if t in HRESULT_MARKERS:
                markers.add("HRESULT")
            if t in NTSTATUS_MARKERS:
                markers.add("NTSTATUS")
            is_call = i + 1 < n and toks[i + 1] == "("
            if is_call and (t in BUILTINS or self.lookup_function(t, header)):
                args, j = self.collect_args(toks, i + 1)
                if t in BUILTINS:
                    arity, fn = BUILTINS[t]
                    if len(args) != arity:
                        raise EvalError("bad arity for " + t)
                    vals = [
                        self.evaluate_tokens(
                            self.expand(a, header, hide, markers, extra, depth + 1)
                        )
                        for a in args
                    ]
                    res = fn(*vals)
                    if res >= 0:
                        out.extend(["(", str(res), ")"])
                    else:
                        out.extend(["(", "-", str(-res), ")"])
                else:
                    params, body = self.lookup_function(t, header)
                    if len(params) != len(args) and not (not params and args == [[]]):
                        raise EvalError("bad arity for " + t)
                    xargs = {
                        p: self.expand(a, header, hide, markers, extra, depth + 1)
                        for p, a in zip(params, args)
                    }
                    subst = []
                    for bt in body:
                        if bt in xargs:
                            subst.extend(["("] + xargs[bt] + [")"])
                        elif bt == "##":
                            raise EvalError("token pasting not supported")
                        else:
                            subst.append(bt)
                    out.extend(
                        self.expand(subst, header, hide | {t}, markers, extra, depth + 1)
                    )
                i = j
                continue
            body = self.lookup_object(t, header, extra)
            if body is not None:
                out.append("(")
                out.extend(self.expand(body, header, hide | {t}, markers, extra, depth + 1))
                out.append(")")
            else:
                out.append(t)
            i += 1
        return out

    @staticmethod
    def collect_args(toks, open_index):
        depth = 0
        args = [[]]
        i = open_index
        while i < len(toks):
            t = toks[i]
            if t == "(":
                depth += 1
                if depth > 1:
                    args[-1].append(t)
            elif t == ")":
                depth -= 1
                if depth == 0:
                    return args, i + 1
                args[-1].append(t)
            elif t == "," and depth == 1:
                args.append([])
            else:
                args[-1].append(t)
            i += 1
        raise EvalError("unbalanced parentheses")

    @staticmethod
    def evaluate_tokens(toks):
        toks = remove_casts(toks)
        parts = []
        for t in toks:
            if t[0].isdigit():
                parts.append(str(parse_int(t)))
            elif t[0].isalpha() or t[0] == "_":
                raise EvalError("unresolved identifier " + t)
            elif t in ("+", "-", "*", "%", "|", "&", "^", "~", "<<", ">>", "(", ")"):
                parts.append(t)
            elif t == "/":
                parts.append("//")
            else:
                raise EvalError("unsupported token " + t)
        if not parts:
            raise EvalError("empty expression")
        return safe_eval(" ".join(parts))

    def value(self, toks, header, extra=None):
        """Return (int value, markers) or raise EvalError."""
        markers = set()
        try:
            expanded = self.expand(toks, header, frozenset(), markers, extra)
            return self.evaluate_tokens(expanded), markers
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError) as e:
            raise EvalError(str(e))


CAST_WORDS = re.compile(r"^[A-Za-z_]\w*$")


def remove_casts(toks):
    """Drop '(' ident... ')' groups (casts) left after macro expansion."""
    out = []
    i = 0
    n = len(toks)
    while i < n:
        if toks[i] == "(":
            # '(' [idents and nested parens only] ')' followed by an operand
            j = i + 1
            depth = 1
            words = 0
            while j < n:
                if toks[j] == "(":
                    depth += 1
                elif toks[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif CAST_WORDS.match(toks[j]):
                    words += 1
                else:
                    break
                j += 1
            if words and j < n and toks[j] == ")" and depth == 0:
                nxt = toks[j + 1] if j + 1 < n else None
                if nxt is not None and (nxt in ("(", "~", "-", "+") or nxt[0].isalnum() or nxt[0] == "_"):
                    i = j + 1
                    continue
        out.append(toks[i])
        i += 1
    return out


def _bad_shift():
    raise EvalError("shift out of range")


_ALLOWED_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: int(a / b),
    ast.Mod: lambda a, b: a % b,
    ast.BitOr: lambda a, b: a | b,
    ast.BitAnd: lambda a, b: a & b,
    ast.BitXor: lambda a, b: a ^ b,
    ast.LShift: lambda a, b: a << b if 0 <= b <= 64 else _bad_shift(),
    ast.RShift: lambda a, b: a >> b,
}
_ALLOWED_UNARY = {
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: a,
    ast.Invert: lambda a: ~a,
}


def safe_eval(expr):
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        raise EvalError("syntax: " + expr)

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _ALLOWED_BINOPS:
            return _ALLOWED_BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _ALLOWED_UNARY:
            return _ALLOWED_UNARY[type(node.op)](ev(node.operand))
        raise EvalError("unsupported expression: " + expr)

    return ev(tree)


def is_alias(toks):
    """A define whose body is just another name (possibly parenthesised)."""
    core = [t for t in toks if t not in ("(", ")")]
    return len(core) == 1 and (core[0][0].isalpha() or core[0][0] == "_")


# --------------------------------------------------------------------------
# Message texts from impacket's [MS-ERREF] transcriptions
# --------------------------------------------------------------------------

IMPACKET_FILES = {
    "win32": "impacket/system_errors.py",
    "hresult": "impacket/hresult_errors.py",
    "ntstatus": "impacket/nt_errors.py",
}


def find_impacket(path):
    """Return (reader(relpath) -> text, version, description) or None."""
    if path is None:
        spec = importlib.util.find_spec("impacket")  # does not import it
        if spec is None or not spec.submodule_search_locations:
            return None
        path = list(spec.submodule_search_locations)[0]
    if os.path.isfile(path) and path.endswith(".whl"):
        zf = zipfile.ZipFile(path)
        version = None
        for n in zf.namelist():
            m = re.match(r"impacket-([^/]+)\.dist-info/METADATA$", n)
            if m:
                version = m.group(1)

        def reader(rel):
            return zf.read(rel).decode("utf-8")

        return reader, version, os.path.basename(path)
    pkg = path.rstrip("/")
    if os.path.basename(pkg) != "impacket":
        pkg = os.path.join(pkg, "impacket")
    base = os.path.dirname(pkg)
    version = None
    for n in sorted(os.listdir(base)):
        m = re.match(r"impacket-(.+)\.dist-info$", n)
        if m:
            version = m.group(1)

    def reader(rel):
        with open(os.path.join(base, rel), encoding="utf-8") as fh:
            return fh.read()

    return reader, version, pkg


def load_ms_messages(reader, rel):
    """Parse ERROR_MESSAGES = {int: (name, message), ...}, keeping every
    entry even where a key repeats."""
    tree = ast.parse(reader(rel))
    entries = []
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "ERROR_MESSAGES" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            for k, v in zip(node.value.keys, node.value.values):
                if not (isinstance(k, ast.Constant) and isinstance(k.value, int)):
                    continue
                if not (isinstance(v, ast.Tuple) and len(v.elts) == 2):
                    continue
                name, msg = (e.value if isinstance(e, ast.Constant) else None for e in v.elts)
                if isinstance(name, str) and isinstance(msg, str):
                    entries.append((k.value & 0xFFFFFFFF, name, clean_message(msg)))
    return entries


class MessageIndex:
    def __init__(self, entries, by_value_ok):
        self.by_pair = {}
        self.by_value = {}
        for value, name, msg in entries:
            if not msg:
                continue
            self.by_pair.setdefault((value, name), msg)
            self.by_value.setdefault(value, set()).add(msg)
        self.by_value_ok = by_value_ok

    def get(self, value, name):
        msg = self.by_pair.get((value, name))
        if msg:
            return msg, "pair"
        msgs = self.by_value.get(value)
        if msgs and len(msgs) == 1 and self.by_value_ok(value):
            return next(iter(msgs)), "value"
        return "", None


# --------------------------------------------------------------------------
# Table builders
# --------------------------------------------------------------------------


class Row:
    __slots__ = ("value", "name", "message", "rank", "source", "how")

    def __init__(self, value, name, message, rank, source):
        self.value = value
        self.name = name
        self.message = message
        self.rank = rank
        self.source = source
        self.how = "header" if message else "none"


def finish(rows):
    """Deduplicate (value, name), sort by value then preference."""
    best = {}
    for r in rows:
        key = (r.value, r.name)
        if key not in best or r.rank < best[key].rank:
            if key in best and not r.message:
                r.message, r.how = best[key].message, best[key].how
            best[key] = r
        elif not best[key].message and r.message:
            best[key].message, best[key].how = r.message, r.how
    return sorted(best.values(), key=lambda r: (r.value, r.rank, r.name))


def severity_section_line(h):
    """Line of '#define SEVERITY_SUCCESS' in winerror.h: the Win32 error
    sections come before it, the HRESULT sections after it."""
    for name, toks, line in h.order:
        if name == "SEVERITY_SUCCESS":
            return line
    raise SystemExit("winerror.h: SEVERITY_SUCCESS not found; layout changed?")


def build_win32(headers, ev, log):
    h = headers["winerror.h"]
    limit = severity_section_line(h)
    rows = []
    for name, toks, line in h.order:
        if line >= limit or MARKER_RE.search(name):
            continue
        try:
            v, markers = ev.value(toks, h)
        except EvalError:
            continue
        if markers or not 0 <= v < 65536:
            continue
        rank = (1 if is_alias(toks) else 0, 0, line)
        rows.append(Row(v, name, h.messages.get(name, ""), rank, "winerror.h"))
    return rows


def build_hresult(headers, ev, log, only_permissive=False):
    rows = []
    all_headers = headers
    if only_permissive:
        # drop headers whose notice is LGPL or unknown (WIDL-generated)
        headers = {k: h for k, h in headers.items()
                   if not h.notice.startswith(("LGPL", "generated by WIDL"))}
    home = headers["winerror.h"]
    limit = severity_section_line(home)
    skipped = []
    for rel in sorted(headers):
        h = headers[rel]
        tier = 1 if rel == "winerror.h" else 2
        for name, toks, line in h.order:
            if MARKER_RE.search(name) or not toks:
                continue
            # cheap pre-filter: the body must mention a number or a name
            try:
                v, markers = ev.value(toks, h)
            except EvalError:
                continue
            untyped_ok = False
            if rel == "winerror.h" and line > limit and not markers:
                untyped_ok = True  # NOERROR, NTE_OP_OK, TBS_SUCCESS, ...
            if rel in UNTYPED_HRESULT_HEADERS and not markers and v >= 0x80000000:
                untyped_ok = True
            if "HRESULT" not in markers and not untyped_ok:
                continue
            if "NTSTATUS" in markers:
                continue
            if v < -(1 << 31) or v > 0xFFFFFFFF:
                skipped.append((rel, name, v))
                continue
            v &= 0xFFFFFFFF
            rank = (0 if name in PREFERRED else tier, 1 if is_alias(toks) else 0, rel, line)
            rows.append(Row(v, name, h.messages.get(name, ""), rank, rel))
    # enums
    wanted = {}
    name_filter = {}
    for rel, key, name_re in HRESULT_ENUMS:
        wanted.setdefault(rel, set()).add(key)
        name_filter[(rel, key)] = name_re
    found = set()
    for rel in sorted(wanted):
        h = headers.get(rel)
        if h is None:
            if rel not in all_headers:
                log("warning: %s not found, enum skipped" % rel)
            continue
        for tag, members in h.enums():
            keys = {tag, members[0][0]}
            hit = keys & wanted[rel]
            if not hit:
                continue
            found.update((rel, k) for k in hit)
            name_re = name_filter[(rel, sorted(hit)[0])]
            extra = {}
            nextval = 0
            for mname, expr, line in members:
                try:
                    if expr is None:
                        v = nextval
                    else:
                        v, _ = ev.value(expr, h, extra)
                except EvalError as e:
                    log("warning: %s: enum %s member %s: %s" % (rel, tag, mname, e))
                    continue
                extra[mname] = [str(v)] if v >= 0 else ["(", "-", str(-v), ")"]
                nextval = v + 1
                if MARKER_RE.search(mname):
                    continue
                if name_re and not re.search(name_re, mname):
                    continue
                rank = (3, 0, rel, line)
                rows.append(Row(v & 0xFFFFFFFF, mname, "", rank, rel))
    for rel, key, _ in HRESULT_ENUMS:
        if (rel, key) not in found and rel in headers:
            log("warning: enum %s in %s not found" % (key, rel))
    for rel, name, v in skipped:
        log("warning: %s %s = %d out of 32-bit range, skipped" % (rel, name, v))
    return rows


def build_ntstatus(headers, ev, log):
    h = headers["ntstatus.h"]
    rows = []
    for name, toks, line in h.order:
        if MARKER_RE.search(name):
            continue
        try:
            v, markers = ev.value(toks, h)
        except EvalError:
            continue
        if "NTSTATUS" not in markers:
            continue
        rank = (1 if is_alias(toks) else 0, 0, line)
        rows.append(Row(v & 0xFFFFFFFF, name, h.messages.get(name, ""), rank, "ntstatus.h"))
    return rows


def build_jet(headers, ev, log):
    h = headers.get("esent.h")
    if h is None:
        log("esent.h not found: jet.tsv not written")
        return None
    rows = []
    for name, toks, line in h.order:
        if not name.startswith("JET_err"):
            continue
        try:
            v, markers = ev.value(toks, h)
        except EvalError:
            continue
        rank = (1 if is_alias(toks) else 0, 0, line)
        rows.append(Row(v, name, h.messages.get(name, ""), rank, "esent.h"))
    return rows


ERRNO_HEADERS = [
    "/usr/include/asm-generic/errno-base.h",
    "/usr/include/asm-generic/errno.h",
]


def glibc_bits_errno():
    import glob

    found = sorted(glob.glob("/usr/include/*/bits/errno.h")) + sorted(
        glob.glob("/usr/include/bits/errno.h")
    )
    return found[0] if found else None


def build_errno(log):
    paths = list(ERRNO_HEADERS)
    bits = glibc_bits_errno()
    if bits:
        paths.append(bits)
    objects = {}
    order = []
    for idx, p in enumerate(paths):
        with open(p, encoding="latin-1") as fh:
            h = Header(p, fh.read())
        for name, toks, line in h.order:
            if not re.match(r"^E[A-Z0-9]+$", name):
                continue
            if name in objects:
                continue  # first definition wins (glibc only fills gaps)
            objects[name] = (toks, line)
            order.append((idx, line, name, toks))

    fake = Header("<errno>", "")
    fake.objects = objects
    ev = Evaluator({"<errno>": fake}, home="<errno>")
    rows = []
    for idx, line, name, toks in order:
        try:
            v, _ = ev.value(toks, fake)
        except EvalError:
            continue
        msg = os.strerror(v)
        if msg.startswith("Unknown error"):
            msg = ""
        rank = (1 if is_alias(toks) else 0, idx, line)
        rows.append(Row(v, name, clean_message(msg), rank, paths[idx]))
    return rows, paths


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def render(rows, fmt):
    buf = io.StringIO()
    buf.write(HEADER)
    for r in rows:
        for field in (r.name, r.message):
            if "\t" in field or "\n" in field:
                raise SystemExit("tab/newline in field: %r" % field)
        buf.write("%s\t%s\t%s\n" % (fmt(r.value), r.name, r.message))
    return buf.getvalue()


BEGIN_MARK = "<!-- BEGIN GENERATED by scripts/gen_code_tables.py; do not edit -->"
END_MARK = "<!-- END GENERATED -->"
SOURCES_TEMPLATE = "# Error-code tables: sources\n\n%s\n%s\n" % (BEGIN_MARK, END_MARK)


def splice_generated(doc, generated):
    if BEGIN_MARK not in doc or END_MARK not in doc:
        doc = doc.rstrip("\n") + "\n\n%s\n%s\n" % (BEGIN_MARK, END_MARK)
    head, rest = doc.split(BEGIN_MARK, 1)
    _, tail = rest.split(END_MARK, 1)
    return head + BEGIN_MARK + "\n" + generated + END_MARK + tail


def provenance_markdown(finished, headers, versions, stats, errno_paths):
    out = []
    w = out.append
    w("")
    w("### Input versions")
    w("")
    w("| input | version |")
    w("| --- | --- |")
    for k in sorted(versions):
        w("| %s | %s |" % (k, versions[k] or "not used"))
    w("")
    w("### Row counts")
    w("")
    w("| file | rows | distinct codes | rows with message |")
    w("| --- | ---: | ---: | ---: |")
    for name in sorted(finished):
        rows = finished[name][0]
        w("| %s | %d | %d | %d |" % (
            name, len(rows), len({r.value for r in rows}),
            sum(1 for r in rows if r.message)))
    w("")
    for table in sorted(stats):
        st = stats[table]
        w("- %s.tsv messages: %d from header comments, %d matched by (code, name) "
          "in impacket, %d by code alone, %d without message." % (
              table, st["header"], st["pair"], st["value"], st["none"]))
    w("")
    w("### Rows per source header")
    w("")
    w("Each (code, name) row is counted once, under the header that ranks first "
      "for it.  Licence notice as found at the top of the header.")
    w("")
    w("| file | header | rows | licence notice |")
    w("| --- | --- | ---: | --- |")
    for name in sorted(finished):
        rows = finished[name][0]
        counts = {}
        for r in rows:
            counts[r.source] = counts.get(r.source, 0) + 1
        for src in sorted(counts, key=lambda k: (-counts[k], k)):
            if src in headers:
                where = "`include/%s`" % src
                notice = headers[src].notice
            else:
                where = "`%s`" % src
                notice = "Linux UAPI / glibc header (see below)"
            w("| %s | %s | %d | %s |" % (name, where, counts[src], notice))
    w("")
    return "\n".join(out) + "\n"


def hex32(v):
    return "0x%08x" % (v & 0xFFFFFFFF)


def dpkg_version(pkg):
    try:
        return subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", pkg],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--include-dir", default=DEFAULT_INCLUDE)
    ap.add_argument("--out-dir", default=DEFAULT_OUT)
    ap.add_argument("--impacket", help="impacket package dir or wheel file")
    ap.add_argument("--no-ms-messages", action="store_true",
                    help="do not take messages from impacket")
    ap.add_argument("--only-permissive-headers", action="store_true",
                    help="hresult.tsv: skip LGPL (Wine-derived) and WIDL-generated "
                         "headers")
    ap.add_argument("--check", action="store_true",
                    help="compare with the files in --out-dir, write nothing")
    args = ap.parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr)

    if not os.path.isfile(os.path.join(args.include_dir, "winerror.h")):
        raise SystemExit(
            "%s/winerror.h not found: apt-get install -y mingw-w64-common"
            % args.include_dir
        )

    versions = {
        "mingw-w64-common": dpkg_version("mingw-w64-common"),
        "linux-libc-dev": dpkg_version("linux-libc-dev"),
        "glibc": (os.confstr("CS_GNU_LIBC_VERSION") or "").replace("glibc ", "") or None,
    }

    ms = {}
    if not args.no_ms_messages:
        found = find_impacket(args.impacket)
        if found is None:
            raise SystemExit(
                "impacket not found (for message texts). Either\n"
                "  pip download impacket==%s --no-deps -d /tmp/whl && "
                "python3 %s --impacket /tmp/whl/impacket-%s-py3-none-any.whl\n"
                "or pass --no-ms-messages." % (PINNED["impacket"], sys.argv[0], PINNED["impacket"])
            )
        reader, versions["impacket"], where = found
        log("messages from impacket %s (%s)" % (versions["impacket"], where))
        for table, rel in IMPACKET_FILES.items():
            ms[table] = load_ms_messages(reader, rel)

    for k, v in versions.items():
        if v is not None and PINNED.get(k) and v != PINNED[k]:
            log("note: %s is %s, the shipped tables were made with %s" % (k, v, PINNED[k]))

    headers = read_headers(args.include_dir)
    ev = Evaluator(headers)

    tables = {}
    stats = {}

    def with_messages(rows, table, by_value_ok):
        entries = ms.get(table)
        if not entries:
            return rows
        idx = MessageIndex(entries, by_value_ok)
        for r in rows:
            if not r.message:
                r.message, how = idx.get(r.value, r.name)
                r.how = how or "none"
        return rows

    finished = {}
    finished["win32.tsv"] = (
        finish(with_messages(build_win32(headers, ev, log), "win32", lambda v: True)), str)
    # FACILITY_ITF (4) codes are interface-specific: never borrow a message
    # by value alone there.
    finished["hresult.tsv"] = (
        finish(with_messages(build_hresult(headers, ev, log, args.only_permissive_headers), "hresult",
                             lambda v: ((v >> 16) & 0x1FFF) != 4)), hex32)
    finished["ntstatus.tsv"] = (
        finish(with_messages(build_ntstatus(headers, ev, log), "ntstatus",
                             lambda v: True)), hex32)
    errno_rows, errno_paths = build_errno(log)
    finished["errno.tsv"] = (finish(errno_rows), str)
    jet = build_jet(headers, ev, log)
    if jet is not None:
        finished["jet.tsv"] = (finish(jet), str)

    for name, (rows, fmt) in finished.items():
        tables[name] = render(rows, fmt)
    for name in ("win32.tsv", "hresult.tsv", "ntstatus.tsv"):
        if ms:
            st = {"header": 0, "pair": 0, "value": 0, "none": 0}
            for r in finished[name][0]:
                st[r.how] += 1
            stats[name[:-4]] = st

    for k in sorted(versions):
        log("%s: %s" % (k, versions[k]))
    for name in sorted(tables):
        rows = finished[name][0]
        log("%-13s %6d rows, %6d with message"
            % (name, len(rows), sum(1 for r in rows if r.message)))
    for t in sorted(stats):
        log("%s messages: %s" % (t, stats[t]))

    generated = provenance_markdown(finished, headers, versions, stats, errno_paths)
    sources_path = os.path.join(args.out_dir, "SOURCES.md")
    try:
        with open(sources_path, encoding="utf-8") as fh:
            sources_old = fh.read()
    except FileNotFoundError:
        sources_old = SOURCES_TEMPLATE
    sources_new = splice_generated(sources_old, generated)

    if args.check:
        bad = 0
        for name in sorted(tables):
            path = os.path.join(args.out_dir, name)
            try:
                with open(path, encoding="utf-8", newline="") as fh:
                    same = fh.read() == tables[name]
            except FileNotFoundError:
                same = False
            if not same:
                log("DIFFERS: %s" % path)
                bad += 1
        if sources_new != sources_old:
            log("DIFFERS: %s (generated section)" % sources_path)
            bad += 1
        if not bad:
            log("all tables match")
        return 1 if bad else 0

    os.makedirs(args.out_dir, exist_ok=True)
    tables["SOURCES.md"] = sources_new
    for name in sorted(tables):
        path = os.path.join(args.out_dir, name)
        fd, tmp = tempfile.mkstemp(dir=args.out_dir, prefix="." + name)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(tables[name])
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
