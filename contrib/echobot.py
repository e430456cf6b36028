#!/usr/bin/env python3
# An echo bot for natter, written from natter-protocol(7) alone: it answers private messages
# (with a notice, and never a notice, so two such bots cannot answer each other forever) and
# prints the group chat. Usage: echobot.py [PORT]
import json, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 6288))
f = s.makefile("rw", encoding="utf-8", newline="\n")
def send(**m):
    f.write(json.dumps(m) + "\n"); f.flush()
me = "echobot"
send(type="hello", nick=me)
for line in f:
    m = json.loads(line)
    t = m["type"]
    if t == "error" and m["code"] == "nick_taken":
        me += "_"; send(type="hello", nick=me)
    elif t == "ping":
        send(type="pong", token=m.get("token", ""))
    elif t == "private" and m["from"] != me and not m.get("notice"):
        send(type="tell", to=m["from"], text="you said: " + m["text"], notice=True)
    elif t == "message" and m["from"] != me:
        print(m["from"] + ": " + m["text"], flush=True)
    elif t == "bye":
        break
