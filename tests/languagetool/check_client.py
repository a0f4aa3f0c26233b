#!/usr/bin/env python3
"""LanguageTool's API of `statlint serve`, through a client nobody here wrote: the PyPI package
`language_tool_python` pointed at the local server with `remote_server=` (as an editor's tools
would be). Run by `.ci/run` (`scripts/test-languagetool`) after `pip install language_tool_python`.

Usage: check_client.py PATH/TO/statlint PATH/TO/seed.txt
"""

import re
import subprocess
import sys
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

import language_tool_python


def start(binary, *args):
    server = subprocess.Popen(
        [binary, "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    line = server.stderr.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not found:
        server.kill()
        sys.exit(f"statlint serve did not say where it listens: {line!r}")
    return server, f"http://127.0.0.1:{found.group(1)}"


def post(url, fields):
    data = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(url, data=data) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def main():
    binary, seed_path = sys.argv[1], sys.argv[2]
    seed = open(seed_path, encoding="utf-8").read()
    server, base = start(binary)
    failures = []

    def expect(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    try:
        tool = language_tool_python.LanguageTool("zh-CN", remote_server=base)
        matches = tool.check(seed)
        figures = [seed[m.offset : m.offset + m.error_length] for m in matches]
        expect(figures == ["8亿余万元", "2亿余万元"], f"the seed's figures: {figures}")
        expect(
            all(m.rule_id == "malformed-amount" for m in matches),
            "both are malformed-amount",
        )
        expect(
            # The client NFKC-normalizes messages (the full-width comma becomes `,`).
            matches
            and matches[0].message
            == unicodedata.normalize("NFKC", "金额“8亿余万元”写法有误，无法确定数值"),
            "the message is the rule's",
        )

        # A character outside the BMP before the figures: two UTF-16 units, which the client
        # turns back into one Python character. Offsets in anything but UTF-16 land elsewhere.
        text = "𠮷𠮷通报：全市889个行政村已配备驻村辅警901人。"
        matches = tool.check(text)
        figures = sorted(text[m.offset : m.offset + m.error_length] for m in matches)
        expect(figures == ["889个", "901人"], f"offsets after 𠮷 are UTF-16: {figures}")

        clean = tool.check("全市共有12个派出所。")
        expect(clean == [], "a clean text has no match")
        tool.close()

        status, body = post(base + "/v2/check", {"text": "x"})
        expect(status == 400 and "缺少 language 参数" in body and "missing parameter" in body,
               f"no language: {status} {body!r}")
        status, body = post(base + "/v2/check", {"language": "zh-CN"})
        expect(status == 400 and "text" in body, f"no text: {status} {body!r}")
        status, body = post(base + "/v2/check", {"language": "zh-CN", "data": "{"})
        expect(status == 400 and "data" in body, f"bad data: {status} {body!r}")
    finally:
        server.kill()
        server.wait()

    small, base = start(binary, "--max-file-size", "1K")
    try:
        status, body = post(base + "/v2/check", {"language": "zh-CN", "text": "咸" * 2000})
        expect(status == 413 and "内容过大" in body, f"a body past --max-file-size: {status}")
    finally:
        small.kill()
        small.wait()

    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("language_tool_python against statlint serve: all checks passed")


if __name__ == "__main__":
    main()
