#!/usr/bin/env python3
"""Reads the comments of drafts annotated by `statlint annotate` back with python-docx, a
reader nobody here wrote, and checks them against what `statlint check` reports (issue 16,
part 3). Run by scripts/verify-annotate, which installs python-docx and builds statlint:

    verify_annotate.py STATLINT WORKDIR DRAFT.docx...

For each draft: annotates it into WORKDIR; then checks that
- every finding's figures each carry exactly one comment by `statlint` (initials `SL`) whose
  anchored text is the figure as written and whose text opens with the finding's message
  (a figure in a header or footer: a comment at the start of the body that names it);
- the comments already in the draft are still there, with their text and anchored text;
- the text and the formatting of every character of the body (bold, italic, underline,
  colour), and the tracked changes (w:ins, w:del with their text), are as in the draft;
- the annotated copy, checked again, gives the same findings.
"""

import json
import os
import subprocess
import sys

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

W_T = qn("w:t")
W_DEL_TEXT = qn("w:delText")
START = qn("w:commentRangeStart")
END = qn("w:commentRangeEnd")
ID = qn("w:id")


def fail(message):
    print(f"verify-annotate: FAILED: {message}")
    sys.exit(1)


def run_json(statlint, *args):
    done = subprocess.run([statlint, *args], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        fail(f"statlint {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def anchored(document):
    """The text each comment id is anchored on, in the body (tables included) and the notes."""
    open_ids, texts = set(), {}
    trees = [document.element.body]
    for part in document.part.package.iter_parts():
        if str(part.partname) in ("/word/footnotes.xml", "/word/endnotes.xml"):
            trees.append(parse_xml(part.blob))
    elements = (element for tree in trees for element in tree.iter())
    for element in elements:
        if element.tag == START:
            open_ids.add(element.get(ID))
            texts.setdefault(element.get(ID), "")
        elif element.tag == END:
            open_ids.discard(element.get(ID))
        elif element.tag == W_T and element.text:
            for i in open_ids:
                texts[i] += element.text
    return texts


def characters(document):
    """Every character of the body's runs with its formatting."""
    out = []
    for paragraph in document.element.body.iter(qn("w:p")):
        for run in paragraph.iter(qn("w:r")):
            props = run.find(qn("w:rPr"))

            def has(tag):
                return props is not None and props.find(qn(tag)) is not None

            color = props.find(qn("w:color")) if props is not None else None
            style = (
                has("w:b"),
                has("w:i"),
                has("w:u"),
                color.get(qn("w:val")) if color is not None else None,
            )
            for t in run.iter(W_T, W_DEL_TEXT):
                out.extend((c, t.tag, style) for c in t.text or "")
        out.append(("\n", None, None))
    return out


def changes(document):
    found = []
    for tag in ("w:ins", "w:del"):
        for change in document.element.body.iter(qn(tag)):
            text = "".join(t.text or "" for t in change.iter(W_T, W_DEL_TEXT))
            found.append((tag, change.get(qn("w:author")), text))
    return found


def comments(document):
    return {c.comment_id: c for c in document.comments}


def expected_notes(statlint, draft):
    """(message, figure) for each figure of each finding, from check and extract."""
    report = run_json(statlint, "check", draft, "--format", "json")
    findings = report["files"][0]["findings"]
    quantities = run_json(statlint, "extract", draft, "--format", "json")["quantities"]
    figure = {(q["span"]["start"], q["span"]["end"]): q["text"] for q in quantities}
    notes = []
    for f in findings:
        spans = []
        for label in [{"span": f["span"]}] + f["labels"]:
            span = (label["span"]["start"], label["span"]["end"])
            if span not in spans:
                spans.append(span)
        for span in spans:
            if span not in figure:
                fail(f"{draft}: no figure at {span} for {f['rule']}")
            # A line break or tab inside a figure (w:br, w:tab) is not text of a w:t.
            notes.append((f["message"], figure[span].replace("\n", "").replace("\t", "")))
    return sorted(notes), findings


def verify(statlint, workdir, draft):
    name = os.path.basename(draft)
    out = os.path.join(workdir, name.replace(".docx", ".checked.docx"))
    if os.path.exists(out):
        os.remove(out)
    before = open(draft, "rb").read()
    done = subprocess.run([statlint, "annotate", draft, "-o", out], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        fail(f"annotate {draft} exited {done.returncode}: {done.stderr}")
    if open(draft, "rb").read() != before:
        fail(f"{draft} was modified")
    original, annotated = docx.Document(draft), docx.Document(out)
    notes, findings = expected_notes(statlint, draft)

    old, new = comments(original), comments(annotated)
    old_anchors, new_anchors = anchored(original), anchored(annotated)
    for i, comment in old.items():
        kept = new.get(i)
        if kept is None or (kept.author, kept.text) != (comment.author, comment.text):
            fail(f"{name}: the comment {i} by {comment.author} did not survive")
        if new_anchors.get(str(i)) != old_anchors.get(str(i)):
            fail(f"{name}: the comment {i} is anchored on {new_anchors.get(str(i))!r}")
    ours = [c for i, c in new.items() if i not in old]
    for c in ours:
        if (c.author, c.initials) != ("statlint", "SL"):
            fail(f"{name}: comment {c.comment_id} by {c.author} ({c.initials})")
    actual = []
    for c in ours:
        lines = c.text.split("\n")
        text = new_anchors.get(str(c.comment_id))
        if lines[0].startswith("（此数字在"):
            # In a header or footer: at the start of the body, empty, naming the figure.
            if text != "":
                fail(f"{name}: a header figure's comment is anchored on {text!r}")
            text = lines[0].split("“", 1)[1].split("”", 1)[0]
            lines = lines[1:]
        actual.append((lines[0], text))
    actual.sort()
    if actual != notes:
        fail(f"{name}: comments {actual}\n  expected {notes}")

    if characters(annotated) != characters(original):
        fail(f"{name}: the text or its formatting changed")
    if changes(annotated) != changes(original):
        fail(f"{name}: tracked changes {changes(annotated)} != {changes(original)}")
    again = run_json(statlint, "check", out, "--format", "json")["files"][0]["findings"]
    strip = lambda fs: [(f["rule"], f["message"], f["span"]["start"]) for f in fs]
    if strip(again) != strip(findings):
        fail(f"{name}: the annotated copy checks differently")
    print(f"verify-annotate: {name}: {len(ours)} comment(s) on {len(findings)} finding(s), "
          f"{len(old)} earlier comment(s) kept: ok")


def main():
    statlint, workdir, drafts = sys.argv[1], sys.argv[2], sys.argv[3:]
    for draft in drafts:
        verify(statlint, workdir, draft)


if __name__ == "__main__":
    main()
