"""Write the current sha256 and size of every resource into data/datapackage.json.

Run after an intended change to a data file (e.g. after make_data.py); the loader
refuses a file whose hash differs from the descriptor, so an accidental edit of a
data file can never change a chapter silently.
"""
import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
DESCRIPTOR = DATA / "datapackage.json"


def main() -> None:
    package = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        content = (DATA / resource["path"]).read_bytes()
        resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
        resource["bytes"] = len(content)
        print(f"{resource['path']}: {resource['hash'][:23]}... {len(content):,} bytes")
    DESCRIPTOR.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
