#!/bin/sh
# Peak anonymous (heap) and file-backed resident memory of a command, by
# polling /proc/PID/status every 5 ms (Linux). Usage: bench/peak_rss.sh CMD…
# Max RSS (as /usr/bin/time -v reports it) counts the index files mapped
# into memory as they are read; RssAnon is what the process allocates.
"$@" > /dev/null &
pid=$!
anon=0; file=0
while [ -r /proc/$pid/status ]; do
  a=$(awk '/^RssAnon:/ {print $2}' /proc/$pid/status 2>/dev/null)
  f=$(awk '/^RssFile:/ {print $2}' /proc/$pid/status 2>/dev/null)
  [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
  [ -n "$f" ] && [ "$f" -gt "$file" ] && file=$f
  sleep 0.005
done
wait $pid
echo "peak RssAnon ${anon} KB, peak RssFile ${file} KB (exit $?)"
