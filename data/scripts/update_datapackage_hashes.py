"""Write the current sha256 and size of every resource into data/datapackage.json.

Run after an intended change to a data file (e.g. after make_data.py); the loader
refuses a file whose hash differs from the descriptor, so an accidental edit of a
data file can never change a chapter silently.

It refuses to record the hash of a file that is not in the one byte form the data
files have (UTF-8 without a byte-order mark, LF line endings, not empty): a hash
taken of a CRLF checkout or of a spreadsheet's re-save would fail on every other
machine, and the loader refuses such a file anyway.
"""
import hashlib
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
DESCRIPTOR = DATA / "datapackage.json"


def byte_form_problem(content: bytes) -> str:
    if not content:
        return "the file is empty"
    if content.startswith(b"\xef\xbb\xbf"):
        return "it starts with a UTF-8 byte-order mark (BOM)"
    if b"\r" in content:
        return "it has CR or CRLF line endings (the data files use LF)"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"it is not valid UTF-8 (byte {error.start})"
    return ""


def main() -> None:
    package = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    refused = []
    for resource in package["resources"]:
        content = (DATA / resource["path"]).read_bytes()
        problem = byte_form_problem(content)
        if problem:
            refused.append(f"data/{resource['path']}: {problem}; hash not recorded")
            continue
        resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
        resource["bytes"] = len(content)
        print(f"{resource['path']}: {resource['hash'][:23]}... {len(content):,} bytes")
    if refused:
        sys.exit("\n".join(refused) + "\ndata/datapackage.json left unchanged")
    DESCRIPTOR.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
