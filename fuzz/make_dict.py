#!/usr/bin/env python3
"""Writes fuzz/obc.dict, the libFuzzer dictionary for the contract targets: every literal of
grammar/obc.pest (keywords, punctuation, units, month names), plus a few whole tokens that
mutations rarely build by themselves (dates, periods, money, percentages). Run it again when
the grammar changes: python3 fuzz/make_dict.py"""

import pathlib

fuzz = pathlib.Path(__file__).resolve().parent
grammar = (fuzz.parent / "grammar" / "obc.pest").read_text(encoding="utf-8")

# String literals of the grammar, outside comments.
literals, i = [], 0
while i < len(grammar):
    if grammar.startswith("//", i):
        i = grammar.find("\n", i)
        i = len(grammar) if i < 0 else i
        continue
    if grammar[i] == '"':
        j, text = i + 1, ""
        while grammar[j] != '"':
            if grammar[j] == "\\":
                text += {"n": "\n", "t": "\t"}.get(grammar[j + 1], grammar[j + 1])
                j += 2
            else:
                text += grammar[j]
                j += 1
        literals.append(text)
        i = j + 1
        continue
    i += 1

tokens = [
    "2016-04-01", "2021-03-31", "2016-04", "2016-Q2", "2016/17", "2016/17 Q1", "year 2",
    "£1,000", "£76,000,000", "$500", "€20", "85%", "12.5%", "-5%", "1/3", "6 months",
    "30 days", " to ", "import \"indicators.obc\"\n", "import \"cycle/back.obc\"\n", "\n}\n", " {\n", "\n  ", "E0301", "W0101", "\\u{1F600}",
]


def escape(text):
    out = ""
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\':
            out += "\\" + ch
        elif 0x20 <= byte < 0x7F:
            out += ch
        else:
            out += f"\\x{byte:02X}"
    return out


seen, lines = set(), []
for text in literals + tokens:
    if text and text not in seen:
        seen.add(text)
        lines.append(f'"{escape(text)}"')

header = "# libFuzzer dictionary for the contract targets, written by make_dict.py from grammar/obc.pest.\n"
(fuzz / "obc.dict").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
print(f"obc.dict: {len(lines)} entries")
