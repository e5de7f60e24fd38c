#!/usr/bin/env bash
# Regroups dev.kpool.supervisor.kafka by concern, and renames ReplyWriter to RecordWriter:
#   dev.kpool.supervisor.lane   the consumer threads that feed a pool (Lane, ShareLane, ...)
#   dev.kpool.supervisor.fault  what becomes of a task that fails: settling, retries, dead letters
#   dev.kpool.supervisor.kafka  Kafka I/O: connection, topics, task records, control, the writer
# Run from anywhere in the checkout, after every branch is merged; running it again changes nothing.
# A class it does not know stays in supervisor.kafka with a warning: add it to a list below and run
# it again. Package, import and qualified-name references are fixed across src/ and docs/; what
# javac then finds package-private across the new packages is made public, member by member.
# Needs: git, sed, python3, and ./mvnw with the repository offline (it compiles the supervisor).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

LANE="Lane ShareLane HeldRecords LoopRecovery RenewingShareConsumer"
FAULT="TaskSettler BundleSettler SettleDecision SettledTasks HeldTasks PatientWrite RetryRelay RetryRoute
  RetryTopicRoute DueRecords DeadLetters DiscardMarks DeadLetterDiscards"
KAFKA="KafkaConnection KafkaClientClasses PoolTopics ShareGroupStart TaskRecords MalformedTaskException ControlListener
  RecordWriter FollowUps NoKafkaConfigured"

src=src/supervisor/src
old=dev/kpool/supervisor/kafka
warn() { echo "regroup: WARNING: $*" >&2; }

# 1. ReplyWriter writes replies, dead letters, retries, replays, follow-ups and stages: RecordWriter.
for kind in main test; do
  for suffix in "" Test; do
    from=$src/$kind/java/$old/ReplyWriter$suffix.java
    if [ -f "$from" ]; then
      git mv "$from" "$src/$kind/java/$old/RecordWriter$suffix.java"
    fi
  done
done
{ git grep -lzE '\bReplyWriter' -- 'src/*.java' 'docs/*.md' '*.md' || true; } | xargs -0 -r sed -i -E 's/\bReplyWriter(Test)?\b/RecordWriter\1/g'

# 2. Where each class of supervisor.kafka goes: by its name, a test by the class it tests.
package_of() {
  local name=$1 base
  base=$(echo "$name" | sed -E 's/(Test|IT)$//')
  for group in lane fault kafka; do
    local list
    case $group in lane) list=$LANE ;; fault) list=$FAULT ;; kafka) list=$KAFKA ;; esac
    for known in $list; do
      if [ "$known" = "$name" ] || [ "$known" = "$base" ]; then
        echo "$group"
        return
      fi
    done
  done
  echo unknown
}

moves=$(mktemp)
trap 'rm -f "$moves"' EXIT
for kind in main test; do
  dir=$src/$kind/java/$old
  [ -d "$dir" ] || continue
  for file in "$dir"/*.java; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .java)
    [ "$name" = package-info ] && continue
    group=$(package_of "$name")
    case $group in
      kafka) ;;
      unknown) warn "$file: not in any list, left in supervisor.kafka" ;;
      *)
        mkdir -p "$src/$kind/java/dev/kpool/supervisor/$group"
        git mv "$file" "$src/$kind/java/dev/kpool/supervisor/$group/$name.java"
        sed -i -E "s/^package dev\.kpool\.supervisor\.kafka;/package dev.kpool.supervisor.$group;/" \
          "$src/$kind/java/dev/kpool/supervisor/$group/$name.java"
        ;;
    esac
  done
done
# Every class now in lane or fault, from this run or an earlier one: "Name group".
for group in lane fault; do
  for kind in main test; do
    for file in "$src/$kind/java/dev/kpool/supervisor/$group"/*.java; do
      [ -e "$file" ] || continue
      name=$(basename "$file" .java)
      [ "$name" = package-info ] || echo "$name $group" >> "$moves"
    done
  done
done

# 3. Qualified names and imports across the tree.
while read -r name group; do
  { git grep -lzE "dev\.kpool\.supervisor\.kafka\.$name\b" -- 'src/*' 'docs/*' '*.md' || true; } \
    | xargs -0 -r sed -i -E "s/dev\.kpool\.supervisor\.kafka\.$name\b/dev.kpool.supervisor.$group.$name/g"
done < "$moves"

# 4. Classes that shared supervisor.kafka and now sit apart need imports of each other.
python3 - "$moves" "$src" <<'PY'
import os, re, sys
moves, src = sys.argv[1], sys.argv[2]
where = dict(line.split() for line in open(moves) if line.strip())
for kind in ("main", "test"):
    for group in ("kafka", "lane", "fault"):
        d = os.path.join(src, kind, "java/dev/kpool/supervisor", group)
        if not os.path.isdir(d):
            continue
        for dirpath, _, files in os.walk(d):
            for f in files:
                if not f.endswith(".java"):
                    continue
                path = os.path.join(dirpath, f)
                text = open(path).read()
                own = re.search(r"^package ([\w.]+);", text, re.M).group(1)
                # Kafka's own classes in supervisor.kafka's old neighbours: every class of the old
                # package is either moved (in `where`) or still in kafka.
                kafka_dir = os.path.join(src, kind, "java/dev/kpool/supervisor/kafka")
                main_kafka = os.path.join(src, "main", "java/dev/kpool/supervisor/kafka")
                names = dict(where)
                for k in (kafka_dir, main_kafka):
                    if os.path.isdir(k):
                        for g in os.listdir(k):
                            if g.endswith(".java") and g != "package-info.java":
                                names.setdefault(g[:-5], "kafka")
                body = text.split("\n", 1)[1]
                code = re.sub(r'"(?:\\.|[^"\\])*"', '""', body)
                code = re.sub(r"//[^\n]*", "", code)
                wanted = []
                for name, group_of in names.items():
                    pkg = "dev.kpool.supervisor." + group_of
                    if pkg == own or name + ".java" == f:
                        continue
                    if re.search(r"\b%s\b" % re.escape(name), code) and not re.search(
                        r"^import (static )?[\w.]*\b%s\b" % re.escape(name), text, re.M
                    ) and not re.search(r"\b(class|interface|record|enum) %s\b" % re.escape(name), code):
                        wanted.append("import %s.%s;" % (pkg, name))
                if not wanted:
                    continue
                lines = text.split("\n")
                for stmt in sorted(wanted):
                    plain = [i for i, l in enumerate(lines) if l.startswith("import ") and not l.startswith("import static")]
                    if plain:
                        pos = next((i for i in plain if lines[i] > stmt), plain[-1] + 1)
                    else:
                        statics = [i for i, l in enumerate(lines) if l.startswith("import static")]
                        pos = statics[-1] + 1 if statics else 1
                        if not statics:
                            lines.insert(pos, "")
                            pos += 1
                        else:
                            lines.insert(pos, "")
                            pos += 1
                    lines.insert(pos, stmt)
                open(path, "w").write("\n".join(lines))
PY

# 5. A package-info for each new package, unless one is there.
describe() {
  case $1 in
    lane) echo "The consumer threads that feed a pool's processes from its task topic: share lanes, the records they hold and the renewal of their locks." ;;
    fault) echo "What becomes of a task record once its run has an outcome: settling, retries and their backoff, and dead letters." ;;
  esac
}
for group in lane fault; do
  info=$src/main/java/dev/kpool/supervisor/$group/package-info.java
  if [ -d "$(dirname "$info")" ] && [ ! -f "$info" ]; then
    printf '/** %s */\npackage dev.kpool.supervisor.%s;\n' "$(describe $group)" "$group" > "$info"
    git add "$info"
  fi
done

# 6. What javac finds package-private across the new packages becomes public, one member at a time.
for round in $(seq 1 12); do
  log=$(mktemp)
  if ./mvnw -o -q -B -pl src/supervisor -am test-compile > "$log" 2>&1; then
    rm -f "$log"
    echo "regroup: src/supervisor compiles (round $round)"
    break
  fi
  changed=$(python3 - "$log" "$src" <<'PY'
import os, re, sys
log, src = sys.argv[1], sys.argv[2]
changed = 0
seen = set()
for line in open(log):
    m = re.search(r"\] ([\w.]+?)(\([^)]*\))? is not public in ([\w.]+); cannot be accessed from outside package", line)
    # A public overload beside a package-private one turns the access error into this one.
    o = re.search(r"\] (constructor|method) (\w+) in (?:class|interface|enum|record) ([\w.]+) cannot be applied to given types", line)
    if m:
        member, call, owner = m.group(1).split(".")[-1], m.group(2), m.group(3)
    elif o:
        member, call, owner = o.group(2), "()", o.group(3)
    else:
        continue
    key = (member, owner)
    if key in seen:
        continue
    seen.add(key)
    parts = owner.split(".")
    # The owner is a package (a top-level class) or a class (a member, possibly of a nested type).
    top = next((i for i, p in enumerate(parts) if p[:1].isupper()), len(parts))
    if top == len(parts):
        pkg, cls, nested = owner, member, []
        member_kind = "type"
    else:
        pkg, cls, nested = ".".join(parts[:top]), parts[top], parts[top + 1:]
        member_kind = "member"
    path = None
    for kind in ("main", "test"):
        p = os.path.join(src, kind, "java", pkg.replace(".", "/"), cls + ".java")
        if os.path.exists(p):
            path = p
    if path is None:
        continue
    text = open(path).read()
    mods = r"((?:static|final|abstract|sealed|non-sealed|synchronized|default|strictfp|volatile|transient)\s+)*"
    if member_kind == "type" or (call is None and member[:1].isupper() and re.search(r"\b(class|interface|record|enum)\s+%s\b" % member, text)):
        pattern = re.compile(r"^(\s*)%s(class|interface|record|enum)\s+%s\b" % (mods, re.escape(member)), re.M)
    elif call is not None:
        pattern = re.compile(r"^(\s*)%s(?:<[^>]*>\s+)?(?:[\w.<>\[\],? ]+\s+)?%s\s*\(" % (mods, re.escape(member)), re.M)
    else:
        pattern = re.compile(r"^(\s*)%s[\w.<>\[\],? ]+\s+%s\s*(=|;|,)" % (mods, re.escape(member)), re.M)
    def fix(match):
        global changed
        text_line = match.group(0)
        if re.match(r"\s*(public|private|protected)\b", text_line) or re.match(r"\s*(return|new|throw)\b", text_line):
            return text_line
        changed += 1
        return match.group(1) + "public " + text_line[len(match.group(1)):]
    new = pattern.sub(fix, text)
    if new != text:
        open(path, "w").write(new)
print(changed)
PY
)
  if [ "$changed" = 0 ]; then
    warn "src/supervisor does not compile and nothing more can be made public by this script:"
    grep -E '^\[ERROR\] .*\.java' "$log" | head -30 >&2
    rm -f "$log"
    exit 1
  fi
  echo "regroup: round $round made $changed declarations public"
  rm -f "$log"
done
git add -A src/supervisor docs
echo "regroup: done; review with git diff --cached --stat, then compile the reactor: ./mvnw -o -q -B verify -DskipTests"
