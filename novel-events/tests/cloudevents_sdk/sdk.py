"""The CloudEvents SDK for Python (cloudevents 2.2.0), driven by novel-events/tests/cloudevents_interop.rs and
novel-events-nats/tests/cloudevents.rs through mod.rs beside this file.

One JSON request on stdin, one JSON answer on stdout:

- {"op": "read", "mode": "structured" | "binary", "headers": {...}, "body": "..."}:
  the SDK's HTTP binding reads the message; the answer is every attribute as the SDK sees it
  (`time` in ISO 8601) and the data.
- {"op": "write", "mode": ..., "envelope": {...}, "drop": [...], "set": {...}}:
  the envelope (the Novel Engine specification's Event Structure) is mapped to CloudEvents
  attributes here, by this file's own reading of the mapping table, then `drop` and `set`
  change them (to make bad input), and the SDK writes the event; the answer is the message's
  headers and body.
"""

import json
import re
import sys

from dateutil.parser import isoparse

from cloudevents.core.bindings import http
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def attributes_of(envelope):
    attributes = {
        "id": envelope["eventId"],
        "source": envelope["metadata"]["source"],
        "type": envelope["eventType"],
        "specversion": "1.0",
        "subject": envelope["aggregateId"],
        "time": isoparse(envelope["timestamp"]),
        "datacontenttype": "application/json",
        "eventversion": envelope["eventVersion"],
        "aggregatetype": envelope["aggregateType"],
        "correlationid": envelope["correlationId"],
        "causationid": envelope["causationId"],
    }
    if envelope.get("userId") is not None:
        attributes["userid"] = envelope["userId"]
    trace = envelope["metadata"].get("trace")
    if trace is not None:
        attributes["traceparent" if TRACEPARENT.match(trace) else "trace"] = trace
    if envelope["metadata"].get("schema") is not None:
        attributes["schema"] = envelope["metadata"]["schema"]
    return attributes


def write(request):
    attributes = attributes_of(request["envelope"])
    for name in request.get("drop", []):
        attributes.pop(name, None)
    for name, value in request.get("set", {}).items():
        attributes[name] = isoparse(value) if name == "time" else value
    event = CloudEvent(attributes, request["envelope"]["payload"])
    if request["mode"] == "structured":
        message = http.to_structured(event, JSONFormat())
    else:
        message = http.to_binary(event, JSONFormat())
    return {"headers": dict(message.headers), "body": message.body.decode("utf-8")}


def read(request):
    message = http.HTTPMessage(
        headers=request["headers"], body=request["body"].encode("utf-8")
    )
    if request["mode"] == "structured":
        event = http.from_structured(message, JSONFormat(), CloudEvent)
    else:
        event = http.from_binary(message, JSONFormat(), CloudEvent)
    attributes = {}
    for name, value in event.get_attributes().items():
        attributes[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return {"attributes": attributes, "data": event.get_data()}


def main():
    request = json.load(sys.stdin)
    answer = {"read": read, "write": write}[request["op"]](request)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
